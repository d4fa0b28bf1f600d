from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # The share paid before production is Odoo's own ``prepayment_percent`` (Sales settings,
    # "Online payment"); a share below 100% is a deposit once deposits are taken.
    mto_deposit = fields.Boolean(
        string="Take Deposits",
        help="Orders asking for less than full prepayment take it as a deposit: production "
        "starts when it is paid, and the balance is invoiced later (on delivery when set), "
        "which a payment provider holding the customer's saved card may charge.",
    )
    mto_invoice_balance_on_delivery = fields.Boolean(
        string="Invoice the Balance on Delivery",
        default=True,
        help="When the last delivery of an order with a deposit is done, its balance "
        "invoice is posted.",
    )
    mto_po_grouping = fields.Selection(
        [
            ("sale_order", "One purchase order per sales order and manufacturer"),
            ("sale_line", "One purchase order per sales order line"),
        ],
        string="Manufacturer Order Grouping",
        default="sale_order",
        required=True,
        help="Purchase orders to manufacturers are never merged across customers' orders.",
    )

    def _mto_takes_deposit(self):
        """Whether the company's new orders ask for a deposit (a prepayment below 100%)."""
        self.ensure_one()
        return self.mto_deposit and 0 < self.prepayment_percent < 1
