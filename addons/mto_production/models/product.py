from odoo import api, fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    mto_document_type_ids = fields.Many2many(
        "mto.document.type",
        string="Required Production Documents",
        help="Documents every manufacturer order for products of this category must carry "
        "before it can be sent.",
    )
    mto_measurement_type_ids = fields.One2many(
        "mto.measurement.type", "categ_id", string="Measurements"
    )


class ProductTemplate(models.Model):
    _inherit = "product.template"

    mto_mode = fields.Selection(
        [
            ("made_to_order", "Made to order"),
            ("customisable", "Stocked, customisable"),
        ],
        string="Production",
        help="Made to order: always built by the manufacturer for the customer.\n"
        "Stocked, customisable: sold from stock, but ordered from the manufacturer when "
        "customised or out of stock.\nEmpty: standard Odoo behaviour.",
    )
    manufacturer_id = fields.Many2one(
        "res.partner",
        compute="_compute_manufacturer_id",
        search="_search_manufacturer_id",
        help="The first manufacturer in the vendor list.",
    )
    mto_file_ids = fields.One2many(
        "mto.production.file", "product_tmpl_id", string="Production Files"
    )

    @api.depends("seller_ids.partner_id.is_manufacturer", "seller_ids.sequence")
    def _compute_manufacturer_id(self):
        for template in self:
            sellers = template.seller_ids.filtered(lambda s: s.partner_id.is_manufacturer)
            template.manufacturer_id = sellers[:1].partner_id

    def _search_manufacturer_id(self, operator, value):
        return [
            ("seller_ids.partner_id", operator, value),
            ("seller_ids.partner_id.is_manufacturer", "=", True),
        ]
