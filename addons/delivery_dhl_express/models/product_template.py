# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from . import dhl_payloads


class ProductTemplate(models.Model):
    _inherit = "product.template"

    packed_length = fields.Float(
        "Packed Length (cm)", help="Length of one unit as packed for shipping."
    )
    packed_width = fields.Float("Packed Width (cm)", help="Width of one unit as packed.")
    packed_height = fields.Float("Packed Height (cm)", help="Height of one unit as packed.")
    customs_description = fields.Char(
        help="English description of the goods for customs (default: the English name)."
    )


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _dhl_weight_kg(self):
        """The unit weight, in kg."""
        self.ensure_one()
        return self.env["delivery.carrier"]._dhl_kg(self.weight)

    def _dhl_customs_description(self):
        self.ensure_one()
        return (self.customs_description or self.with_context(lang="en_US").name or "").strip()

    def _dhl_goods(self, quantity, unit_price):
        """``quantity`` of this product at ``unit_price``, as ``dhl_payloads.Goods``."""
        self.ensure_one()
        return dhl_payloads.Goods(
            description=self._dhl_customs_description(),
            hs_code=self.hs_code or "",
            origin_country=self.country_of_origin.code or "",
            quantity=quantity,
            unit_price=unit_price,
            weight_kg=self._dhl_weight_kg(),
            name=self.display_name,
        )
