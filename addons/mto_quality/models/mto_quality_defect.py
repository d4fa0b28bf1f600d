from odoo import fields, models

SEVERITIES = [("minor", "Minor"), ("major", "Major"), ("critical", "Critical")]


class MtoQualityDefectType(models.Model):
    _name = "mto.quality.defect.type"
    _description = "Defect Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)


class MtoQualityDefect(models.Model):
    """What is wrong with a piece: it goes back to its manufacturer with these."""

    _name = "mto.quality.defect"
    _description = "Defect"
    _order = "id"

    inspection_id = fields.Many2one(
        "mto.quality.inspection", required=True, ondelete="cascade", index=True
    )
    line_id = fields.Many2one(
        "mto.quality.inspection.line",
        string="Checklist Item",
        domain="[('inspection_id', '=', inspection_id)]",
    )
    type_id = fields.Many2one("mto.quality.defect.type", required=True)
    severity = fields.Selection(SEVERITIES, required=True, default="major")
    description = fields.Text(required=True)
    photo_ids = fields.Many2many("ir.attachment", string="Photos")
    piece_id = fields.Many2one(related="inspection_id.piece_id", store=True)
    manufacturer_id = fields.Many2one(related="inspection_id.manufacturer_id", store=True)
    categ_id = fields.Many2one(related="inspection_id.categ_id", store=True)
    company_id = fields.Many2one(related="inspection_id.company_id", store=True)
    create_date = fields.Datetime(readonly=True)
