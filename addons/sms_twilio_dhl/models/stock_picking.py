# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _dhl_on_delivered(self):
        res = super()._dhl_on_delivered()
        self.sale_id._mto_sms_delivered()
        return res
