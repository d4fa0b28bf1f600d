from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class MtoChangeRequest(models.Model):
    """A change to an order the manufacturer already accepted: it must agree again."""

    _name = "mto.change.request"
    _description = "Production Change Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    purchase_id = fields.Many2one(
        "purchase.order", required=True, readonly=True, index=True, ondelete="cascade"
    )
    purchase_line_id = fields.Many2one("purchase.order.line", readonly=True)
    sale_line_id = fields.Many2one(related="purchase_line_id.mto_sale_line_id")
    manufacturer_id = fields.Many2one(related="purchase_id.partner_id", store=True)
    company_id = fields.Many2one(related="purchase_id.company_id", store=True, index=True)
    kind = fields.Selection(
        [
            ("specification", "Specification"),
            ("quantity", "Quantity"),
            ("cancellation", "Cancellation"),
        ],
        required=True,
        readonly=True,
    )
    description = fields.Text(required=True, readonly=True)
    state = fields.Selection(
        [("pending", "Pending"), ("accepted", "Accepted"), ("refused", "Refused")],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
    )
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decided_on = fields.Datetime(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("mto.change.request")
        return super().create(vals_list)

    @api.model
    def _mto_request(self, purchase_line, kind, description):
        """Record a change for the manufacturer and give the production manager a to-do."""
        request = self.sudo().create(
            {
                "purchase_id": purchase_line.order_id.id,
                "purchase_line_id": purchase_line.id,
                "kind": kind,
                "description": description,
            }
        )
        manager = purchase_line.order_id.user_id or self.env.user
        request.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_("Change after acceptance: agree it with the manufacturer"),
            note=description,
            user_id=manager.id,
        )
        purchase_line.order_id._mto_notify(
            Markup("%s<br/>%s")
            % (_("Change request %(name)s for the manufacturer:", name=request.name), description)
        )
        return request

    def _mto_decide(self, state):
        for request in self:
            if request.state != "pending":
                raise UserError(_("%(name)s was already decided.", name=request.name))
            request.write(
                {
                    "state": state,
                    "decided_by_id": self.env.user.id,
                    "decided_on": fields.Datetime.now(),
                }
            )
            label = dict(self._fields["state"]._description_selection(self.env))[state]
            request.activity_ids.action_feedback(feedback=label)
            request.purchase_id._mto_notify(
                _("Change request %(name)s: %(state)s.", name=request.name, state=label)
            )

    def action_accept(self):
        self._mto_decide("accepted")

    def action_refuse(self):
        self._mto_decide("refused")
