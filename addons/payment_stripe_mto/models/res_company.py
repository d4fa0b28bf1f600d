from odoo import fields, models


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
