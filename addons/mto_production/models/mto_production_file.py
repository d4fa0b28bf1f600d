from odoo import api, fields, models


class MtoProductionFile(models.Model):
    """A file the manufacturer works from: for a product, a sales line or one order."""

    _name = "mto.production.file"
    _description = "Production File"
    _order = "document_type_id, id"

    name = fields.Char(required=True)
    document_type_id = fields.Many2one("mto.document.type", string="Type", required=True)
    file = fields.Binary(required=True, attachment=True)
    file_name = fields.Char()
    product_tmpl_id = fields.Many2one("product.template", ondelete="cascade", index=True)
    sale_line_id = fields.Many2one(
        "sale.order.line", ondelete="cascade", index=True, groups="base.group_user"
    )
    purchase_id = fields.Many2one("purchase.order", ondelete="cascade", index=True)
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", store=True, index=True
    )

    _sql_constraints = [
        (
            "one_owner",
            "CHECK(num_nonnulls(product_tmpl_id, sale_line_id, purchase_id) = 1)",
            "A production file belongs to exactly one product, sales line or purchase order.",
        ),
    ]

    @api.depends("product_tmpl_id.company_id", "sale_line_id.company_id", "purchase_id.company_id")
    def _compute_company_id(self):
        for record in self:
            record.company_id = (
                record.purchase_id.company_id
                or record.sale_line_id.company_id
                or record.product_tmpl_id.company_id
            )

    @api.onchange("file_name")
    def _onchange_file_name(self):
        if self.file_name and not self.name:
            self.name = self.file_name
