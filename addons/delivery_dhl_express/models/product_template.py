# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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
