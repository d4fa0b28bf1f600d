from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_manufacturer = fields.Boolean(
        string="Manufacturer",
        help="An outside workshop that makes pieces to order for the retailer.",
    )
    mto_purchase_ids = fields.One2many(
        "purchase.order",
        "partner_id",
        string="Manufacturer Orders",
        domain=[("mto_state", "!=", False)],
        groups="purchase.group_purchase_user",
    )
