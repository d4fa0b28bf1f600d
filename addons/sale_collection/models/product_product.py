from odoo import models
from odoo.exceptions import UserError


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _collection_check_client(self, partner, quantity=1):
        """Raise a UserError saying why `partner` may not buy `quantity` of this product:
        not among the clients of its restricted collection, the edition not open yet or
        closed, or fewer pieces left. Products outside any collection pass.

        The one check every path uses (back office, portal, payment, API)."""
        collections = self.env["sale.collection"]._get_for_products(self)
        for product in self:
            collections[product.sudo()]._ensure_client(partner, product, quantity)

    def _collection_allows(self, partner, quantity=1):
        """Whether `partner` may buy `quantity` of each product (see
        :meth:`_collection_check_client`)."""
        try:
            self._collection_check_client(partner, quantity)
        except UserError:
            return False
        return True
