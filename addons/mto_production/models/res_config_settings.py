from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    mto_prepayment_percent = fields.Float(
        related="company_id.mto_prepayment_percent", readonly=False
    )
    mto_po_grouping = fields.Selection(related="company_id.mto_po_grouping", readonly=False)
