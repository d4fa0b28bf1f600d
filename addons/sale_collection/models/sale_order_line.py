from odoo import api, models
from odoo.exceptions import UserError


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id.filtered(lambda o: o.state != "cancel")._collection_check()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if {"product_id", "product_uom_qty", "product_uom"}.intersection(vals):
            self.order_id.filtered(lambda o: o.state != "cancel")._collection_check()
        return res

    @api.onchange("product_id", "product_uom_qty")
    def _onchange_collection_warning(self):
        if not self.product_id or not self.order_id.partner_id:
            return None
        try:
            self.product_id._collection_check_client(
                self.order_id.partner_id,
                self.product_uom._compute_quantity(self.product_uom_qty, self.product_id.uom_id)
                if self.product_uom
                else self.product_uom_qty,
            )
        except UserError as error:
            return {
                "warning": {"title": self.env._("Restricted collection"), "message": error.args[0]}
            }
        return None
