from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    mto_checklist_id = fields.Many2one(
        "mto.quality.checklist",
        string="Quality Checklist",
        help="Checked on every made-to-order piece of this category (and its sub-categories "
        "without a checklist of their own).",
    )


class ProductTemplate(models.Model):
    _inherit = "product.template"

    mto_checklist_id = fields.Many2one(
        "mto.quality.checklist",
        string="Quality Checklist",
        help="Overrides the category's checklist for this product.",
    )

    def _mto_quality_checklist(self):
        """The product's own checklist, else the nearest category's."""
        self.ensure_one()
        if self.mto_checklist_id:
            return self.mto_checklist_id
        categ = self.categ_id
        while categ and not categ.mto_checklist_id:
            categ = categ.parent_id
        return categ.mto_checklist_id
