from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _mto_cockpit_paid_on(self):
        """When the money that released production arrived (the order date for an order
        released by a manager, or when nothing better is known)."""
        self.ensure_one()
        dates = [
            tx.last_state_change
            for tx in self.sudo().transaction_ids
            if tx.state == "done" and tx.last_state_change
        ]
        invoices = self.sudo().invoice_ids.filtered(lambda m: m.state == "posted")
        for payment in invoices._get_reconciled_payments():
            if payment.create_date:
                dates.append(payment.create_date)
        if self.mto_released or not dates:
            return self.date_order
        return max(dates)
