from odoo import api, models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    @api.model_create_multi
    def create(self, vals_list):
        """No payment (portal, payment link, back office) for an order its client may not
        buy. Its confirmation, when the payment confirms it, locks and checks the edition
        again (`sale.order.action_confirm`)."""
        transactions = super().create(vals_list)
        transactions.sale_order_ids._collection_check(edition_of_quotations_only=True)
        return transactions
