from odoo import api, fields, models
from odoo.tools.sql import create_index


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    # Milestones of production, written when the state changes: the cockpit's rules and
    # figures read them from indexed columns instead of the chatter.
    mto_state_since = fields.Datetime(
        string="In This State Since", readonly=True, copy=False, index=True
    )
    mto_accepted_on = fields.Datetime(string="Accepted on", readonly=True, copy=False)
    mto_completed_on = fields.Datetime(string="Completed on", readonly=True, copy=False)

    def init(self):
        super().init()
        # Only orders in production: completed (healthy) orders stay out of these indexes.
        create_index(
            self.env.cr,
            "mto_cockpit_po_state_since",
            "purchase_order",
            ["mto_state", "mto_state_since"],
            where="mto_state IN ('to_validate', 'awaiting', 'accepted', 'in_production', 'rework')",
        )
        create_index(
            self.env.cr,
            "mto_cockpit_po_expected",
            "purchase_order",
            ["mto_expected_date"],
            where="mto_state IN ('accepted', 'in_production', 'rework')",
        )

    @api.model
    def _mto_milestone_vals(self, state):
        now = fields.Datetime.now()
        vals = {"mto_state_since": now}
        if state == "accepted":
            vals["mto_accepted_on"] = now
        elif state == "completed":
            vals["mto_completed_on"] = now
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("mto_state") and not vals.get("mto_state_since"):
                vals.update(self._mto_milestone_vals(vals["mto_state"]))
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("mto_state") and "mto_state_since" not in vals:
            changed = self.filtered(lambda o: o.mto_state != vals["mto_state"])
            if changed and changed != self:
                res = super(PurchaseOrder, self - changed).write(vals)
                return (
                    super(PurchaseOrder, changed).write(
                        dict(vals, **self._mto_milestone_vals(vals["mto_state"]))
                    )
                    and res
                )
            if changed:
                vals = dict(vals, **self._mto_milestone_vals(vals["mto_state"]))
        return super().write(vals)
