from collections import defaultdict

from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _collection_quantities(self):
        """{collection: (pieces on this order in product units, first product)}."""
        self.ensure_one()
        lines = self.order_line.filtered(lambda line: line.product_id and not line.display_type)
        by_product = self.env["sale.collection"]._get_for_products(lines.product_id)
        quantities = defaultdict(float)
        products = {}
        for line in lines:
            qty = line.product_uom._compute_quantity(line.product_uom_qty, line.product_id.uom_id)
            for collection in by_product[line.product_id.sudo()]:
                quantities[collection] += qty
                products.setdefault(collection, line.product_id)
        return {c: (q, products[c]) for c, q in quantities.items()}

    def _collection_check(self, lock=False, edition_of_quotations_only=False):
        """Refuse an order with a restricted product for a client outside its collection,
        outside its edition's dates, or beyond the pieces left. With `lock`, the
        collections' rows are locked first (confirmation). With
        `edition_of_quotations_only`, a confirmed order (its pieces already counted in the
        edition) is checked for its client only: its balance may be paid after the
        edition closed."""
        for order in self:
            quantities = order._collection_quantities()
            if not quantities:
                continue
            collections = self.env["sale.collection"].sudo().concat(*quantities)
            if lock:
                collections._lock_for_sale()
            client_only = edition_of_quotations_only and order.state not in ("draft", "sent")
            for collection, (qty, product) in quantities.items():
                collection._ensure_client(
                    order.partner_id,
                    product,
                    qty,
                    exclude_orders=order,
                    client_only=client_only,
                )

    def write(self, vals):
        res = super().write(vals)
        if {"partner_id", "signature"}.intersection(vals):
            self.filtered(lambda o: o.state != "cancel")._collection_check(
                edition_of_quotations_only=True
            )
        return res

    def action_confirm(self):
        self._collection_check(lock=True)
        res = super().action_confirm()
        self.env["sale.collection"]._invalidate_quantities()
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self.env["sale.collection"]._invalidate_quantities()
        return res
