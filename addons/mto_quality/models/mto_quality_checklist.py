from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

ITEM_KINDS = [
    ("pass_fail", "Pass / fail"),
    ("measurement", "Measurement"),
    ("photo", "Photo"),
    ("text", "Observation"),
]


class MtoQualityChecklist(models.Model):
    """What a quality controller checks on a piece: set per product category, overridable
    per product."""

    _name = "mto.quality.checklist"
    _description = "Quality Checklist"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    item_ids = fields.One2many("mto.quality.checklist.item", "checklist_id", copy=True)
    categ_ids = fields.One2many("product.category", "mto_checklist_id", string="Product Categories")
    company_id = fields.Many2one("res.company")


class MtoQualityChecklistItem(models.Model):
    _name = "mto.quality.checklist.item"
    _description = "Quality Checklist Item"
    _order = "sequence, id"

    checklist_id = fields.Many2one("mto.quality.checklist", required=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(ITEM_KINDS, required=True, default="pass_fail")
    required = fields.Boolean(default=True)
    target = fields.Float(digits="Product Unit of Measure")
    tolerance = fields.Float(digits="Product Unit of Measure", help="Allowed deviation, +/-.")
    uom_id = fields.Many2one("uom.uom", string="Unit")

    @api.constrains("kind", "tolerance", "uom_id")
    def _check_measurement(self):
        for item in self.filtered(lambda i: i.kind == "measurement"):
            if item.tolerance < 0:
                raise ValidationError(
                    _("%(item)s: a tolerance cannot be negative.", item=item.name)
                )
            if not item.uom_id:
                raise ValidationError(_("%(item)s: a measurement needs its unit.", item=item.name))

    def _prepare_inspection_line_vals(self):
        self.ensure_one()
        return {
            "item_id": self.id,
            "sequence": self.sequence,
            "name": self.name,
            "kind": self.kind,
            "required": self.required,
            "target": self.target,
            "tolerance": self.tolerance,
            "uom_id": self.uom_id.id,
        }
