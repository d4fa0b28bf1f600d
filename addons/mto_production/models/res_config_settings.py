from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    mto_deposit = fields.Boolean(related="company_id.mto_deposit", readonly=False)
    mto_invoice_balance_on_delivery = fields.Boolean(
        related="company_id.mto_invoice_balance_on_delivery", readonly=False
    )
    mto_po_grouping = fields.Selection(related="company_id.mto_po_grouping", readonly=False)
