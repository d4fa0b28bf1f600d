from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        # A payment (full or partial) reached customer invoices: their orders may now be paid
        # enough for production.
        moves = (partials.debit_move_id | partials.credit_move_id).move_id.filtered(
            lambda m: m.move_type == "out_invoice"
        )
        orders = moves.line_ids.sale_line_ids.order_id
        if orders:
            orders._mto_procure_paid_lines()
        return partials
