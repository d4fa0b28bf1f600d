from odoo import _, api, fields, models
from odoo.exceptions import UserError

# action: the model whose step it is
REASON_MODELS = {"release": "sale.order", "decline": "purchase.order"}


class MtoReasonWizard(models.TransientModel):
    """Asks why, for the production steps that need a reason in the log."""

    _name = "mto.reason.wizard"
    _description = "Production Step Reason"

    action = fields.Selection(
        [("release", "Release to production before payment"), ("decline", "Decline")],
        required=True,
        readonly=True,
    )
    res_model = fields.Char(required=True, readonly=True)
    res_id = fields.Integer(required=True, readonly=True)
    reason = fields.Text(required=True)

    @api.model
    def _mto_open(self, record, action):
        return {
            "type": "ir.actions.act_window",
            "name": dict(self._fields["action"]._description_selection(self.env))[action],
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_action": action,
                "default_res_model": record._name,
                "default_res_id": record.id,
            },
        }

    def action_confirm(self):
        self.ensure_one()
        model = REASON_MODELS[self.action]
        if self.res_model != model:
            raise UserError(_("This step does not apply to %(model)s.", model=self.res_model))
        if not (self.reason or "").strip():
            raise UserError(_("Please give a reason."))
        record = self.env[model].browse(self.res_id).exists()
        if not record:
            raise UserError(_("The record no longer exists."))
        if self.action == "release":
            record._mto_release(self.reason.strip())
        else:
            record._mto_decline(self.reason.strip())
        return {"type": "ir.actions.act_window_close"}


class MtoReassignWizard(models.TransientModel):
    _name = "mto.reassign.wizard"
    _description = "Reassign to Another Manufacturer"

    purchase_id = fields.Many2one("purchase.order", required=True, readonly=True)
    manufacturer_id = fields.Many2one(
        "res.partner", required=True, domain=[("is_manufacturer", "=", True)]
    )

    def action_confirm(self):
        self.ensure_one()
        self.purchase_id._mto_reassign(self.manufacturer_id)
        return {"type": "ir.actions.act_window_close"}
