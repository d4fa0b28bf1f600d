from odoo import api, fields, models

from .mto_quality_inspection import INSPECTION_STATES


class MtoPiece(models.Model):
    _inherit = "mto.piece"

    mto_inspection_ids = fields.One2many("mto.quality.inspection", "piece_id", string="Inspections")
    mto_inspection_id = fields.Many2one(
        "mto.quality.inspection",
        string="Latest Inspection",
        compute="_compute_mto_inspection",
        store=True,
    )
    quality_state = fields.Selection(
        [*INSPECTION_STATES, ("none", "Not Received")],
        compute="_compute_mto_inspection",
        store=True,
        string="Quality",
    )

    @api.depends("mto_inspection_ids.state")
    def _compute_mto_inspection(self):
        for piece in self:
            latest = piece.mto_inspection_ids.sorted("id")[-1:]
            piece.mto_inspection_id = latest
            piece.quality_state = latest.state or "none"
