from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    clienteling_privacy = fields.Boolean(
        "Private client books",
        help="Sales assistants whose access is limited to their own documents see only the "
        "clients they are responsible for, and those clients' orders, invoices, deliveries, "
        "messages and attachments.",
    )
    clienteling_link_guests = fields.Boolean(
        "Link guest orders",
        help="When a client who ordered as a guest confirms their e-mail by opening an "
        "account (signup or portal invitation), their guest orders, invoices and deliveries "
        "under that e-mail are linked to the account.",
    )
    clienteling_vip_amount = fields.Monetary(
        "VIP from",
        default=50000,
        help="A client whose confirmed orders reach this amount is a VIP.",
    )
    clienteling_dormant_months = fields.Integer(
        "Dormant after (months)",
        default=18,
        help="A client with no confirmed order for this many months is dormant.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "clienteling_privacy" in vals:
            # record rules' domains are cached per user
            self.env.registry.clear_cache()
        return res
