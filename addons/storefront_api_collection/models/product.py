# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.osv import expression


class ProductTemplate(models.Model):
    _inherit = "product.template"

    @api.model
    def _storefront_can_buy_domain(self, partner):
        """Leave out the pieces of the restricted collections ``partner`` is not a client of
        (by product or by category): the catalogue, the quote, the checkout and the room fit
        never offer them. Dates and caps of an edition are checked when the order is made,
        as in the back office."""
        domain = super()._storefront_can_buy_domain(partner)
        closed = (
            self.env["sale.collection"]
            .sudo()
            .search([("access", "=", "restricted")])
            .filtered(lambda collection: not collection._is_client(partner.sudo()))
        )
        if closed.product_tmpl_ids:
            domain = expression.AND([domain, [("id", "not in", closed.product_tmpl_ids.ids)]])
        if closed.product_categ_ids:
            domain = expression.AND(
                [domain, ["!", ("categ_id", "child_of", closed.product_categ_ids.ids)]]
            )
        return domain
