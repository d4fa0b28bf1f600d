from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    mto_deposit_percent = fields.Float(related="company_id.mto_deposit_percent", readonly=False)
    mto_invoice_balance_on_delivery = fields.Boolean(
        related="company_id.mto_invoice_balance_on_delivery", readonly=False
    )
