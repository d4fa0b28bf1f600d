from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    storefront_width = fields.Float(
        "Width (cm)", help="Outside width of the assembled piece, for the storefront and room fit."
    )
    storefront_depth = fields.Float("Depth (cm)", help="Outside depth of the assembled piece.")
    storefront_height = fields.Float("Height (cm)", help="Outside height of the assembled piece.")

    @api.model
    def _storefront_can_buy_domain(self, partner):
        """Products ``partner`` (a signed-in client, or the public partner for a guest) may
        see and buy through the storefront API, as a domain on ``product.template``.

        The one place to restrict the catalogue: a module restricting collections to some
        clients extends this domain (``super()`` and ``AND``); every endpoint (catalogue,
        quote, checkout, room fit) asks it, by domain for lists and through
        ``_storefront_can_buy`` for given products."""
        return [("sale_ok", "=", True), ("active", "=", True)]

    def _storefront_can_buy(self, partner):
        """The templates of ``self`` that ``partner`` may buy."""
        return self.filtered_domain(self._storefront_can_buy_domain(partner))


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _storefront_can_buy(self, partner):
        """The variants of ``self`` that ``partner`` may buy."""
        allowed = self.product_tmpl_id._storefront_can_buy(partner)
        return self.filtered(lambda variant: variant.active and variant.product_tmpl_id in allowed)
