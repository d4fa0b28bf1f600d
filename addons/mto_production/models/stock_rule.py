from odoo import api, models


class StockRule(models.Model):
    _inherit = "stock.rule"

    @api.model
    def _mto_sale_line(self, values):
        """The made-to-order sales line a buy procurement serves, or an empty recordset."""
        moves = values.get("move_dest_ids") or self.env["stock.move"]
        lines = moves.sale_line_id
        if not lines and moves:
            lines = self.env["stock.move"].browse(moves._rollup_move_dests()).sale_line_id
        return lines.filtered(lambda line: line.mto_procurement == "manufacturer")[:1]

    def _make_po_get_domain(self, company_id, values, partner):
        domain = super()._make_po_get_domain(company_id, values, partner)
        sale_line = self._mto_sale_line(values)
        if not sale_line:
            # Standard replenishment never lands in an order made for one customer.
            return (*domain, ("mto_state", "=", False))
        domain += (("mto_state", "=", "to_validate"), ("mto_sale_id", "=", sale_line.order_id.id))
        if company_id.mto_po_grouping == "sale_line":
            domain += (("order_line.mto_sale_line_id", "=", sale_line.id),)
        return domain

    def _prepare_purchase_order(self, company_id, origins, values):
        vals = super()._prepare_purchase_order(company_id, origins, values)
        sale_line = self._mto_sale_line(values[0])
        if sale_line:
            vals.update(sale_line.order_id._prepare_mto_purchase_order_vals())
        return vals

    def _get_procurements_to_merge_groupby(self, procurement):
        # Each made-to-order sales line keeps a purchase line of its own.
        return (
            *super()._get_procurements_to_merge_groupby(procurement),
            self._mto_sale_line(procurement.values).id,
        )
