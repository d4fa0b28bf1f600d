from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    clienteling_privacy = fields.Boolean(related="company_id.clienteling_privacy", readonly=False)
    clienteling_link_guests = fields.Boolean(
        related="company_id.clienteling_link_guests", readonly=False
    )
    clienteling_vip_amount = fields.Monetary(
        related="company_id.clienteling_vip_amount", readonly=False
    )
    clienteling_dormant_months = fields.Integer(
        related="company_id.clienteling_dormant_months", readonly=False
    )
