from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ClientelingHandover(models.Model):
    """An assistant leaves or changes showroom: every client of theirs goes to another
    assistant in one action. Kept as a record (the summary), logged on each client."""

    _name = "clienteling.handover"
    _description = "Clients handed over to another assistant"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    from_user_id = fields.Many2one(
        "res.users",
        "From",
        required=True,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    to_user_id = fields.Many2one(
        "res.users",
        "To",
        required=True,
        domain="[('share', '=', False), ('id', '!=', from_user_id)]",
        tracking=True,
    )
    include_open_orders = fields.Boolean(
        "Open quotations and orders too",
        default=True,
        help="The salesperson of the clients' quotations and orders not yet delivered or "
        "invoiced changes as well.",
    )
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
    partner_ids = fields.Many2many("res.partner", string="Clients handed over", readonly=True)
    order_ids = fields.Many2many("sale.order", string="Orders handed over", readonly=True)
    client_count = fields.Integer(compute="_compute_client_count")
    done_date = fields.Datetime(readonly=True)
    done_uid = fields.Many2one("res.users", "Done by", readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    @api.depends("from_user_id", "to_user_id")
    def _compute_name(self):
        for handover in self:
            handover.name = _(
                "%(from)s to %(to)s",
                **{
                    "from": handover.from_user_id.name or "?",
                    "to": handover.to_user_id.name or "?",
                },
            )

    def _clienteling_clients(self):
        self.ensure_one()
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search(
                [
                    ("user_id", "=", self.from_user_id.id),
                    ("parent_id", "=", False),
                    ("company_id", "in", [False, self.company_id.id]),
                ]
            )
        )

    @api.depends("from_user_id", "state", "partner_ids")
    def _compute_client_count(self):
        for handover in self:
            if handover.state == "done":
                handover.client_count = len(handover.partner_ids)
            else:
                handover.client_count = (
                    len(handover._clienteling_clients()) if handover.from_user_id else 0
                )

    def _clienteling_open_orders(self, clients):
        return self.env["sale.order"].search(
            [
                ("user_id", "=", self.from_user_id.id),
                ("partner_id", "child_of", clients.ids),
                ("company_id", "=", self.company_id.id),
                ("state", "in", ("draft", "sent", "sale")),
                ("invoice_status", "!=", "invoiced"),
            ]
        )

    def action_hand_over(self):
        self.ensure_one()
        if self.state == "done":
            raise UserError(_("These clients have been handed over already."))
        if self.from_user_id == self.to_user_id:
            raise UserError(_("Choose another assistant to hand the clients over to."))
        clients = self._clienteling_clients()
        if not clients:
            raise UserError(_("%(user)s has no client to hand over.", user=self.from_user_id.name))
        orders = self._clienteling_open_orders(clients) if self.include_open_orders else None
        orders = orders or self.env["sale.order"]
        clients.write({"user_id": self.to_user_id.id})
        orders.write({"user_id": self.to_user_id.id})
        body = _(
            "Client handed over from %(from)s to %(to)s by %(by)s.",
            **{
                "from": self.from_user_id.name,
                "to": self.to_user_id.name,
                "by": self.env.user.name,
            },
        )
        for client in clients:
            client.message_post(body=body, subtype_xmlid="mail.mt_note")
        self.write(
            {
                "state": "done",
                "partner_ids": [fields.Command.set(clients.ids)],
                "order_ids": [fields.Command.set(orders.ids)],
                "done_date": fields.Datetime.now(),
                "done_uid": self.env.user.id,
            }
        )
        self.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                _(
                    "%(count)s clients and %(orders)s open orders handed over.",
                    count=len(clients),
                    orders=len(orders),
                ),
                Markup().join(Markup("<li>%s</li>") % c.display_name for c in clients),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True
