from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    mto_deposit_percent = fields.Float(
        string="Made-to-Order Deposit",
        default=0.0,
        help="Share of a made-to-order sale paid as a deposit before production (0 = the "
        "whole order is paid up front). The balance is invoiced and charged later.",
    )
    mto_invoice_balance_on_delivery = fields.Boolean(
        string="Invoice the Balance on Delivery",
        default=True,
        help="When the last delivery of an order with a deposit is done, its balance "
        "invoice is posted, which charges the customer's saved card.",
    )

    _sql_constraints = [
        (
            "mto_deposit_percent_range",
            "CHECK(mto_deposit_percent >= 0 AND mto_deposit_percent < 1)",
            "The deposit is a share of the total: at least 0% and less than 100%.",
        ),
    ]

    @api.constrains("mto_deposit_percent")
    def _check_mto_deposit_capture(self):
        for company in self.filtered("mto_deposit_percent"):
            provider = (
                self.env["payment.provider"]
                .sudo()
                .search(
                    [
                        ("code", "=", "stripe"),
                        ("company_id", "=", company.id),
                        ("capture_manually", "=", True),
                    ],
                    limit=1,
                )
            )
            if provider:
                raise ValidationError(provider._stripe_mto_manual_capture_message())
