from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        # Delivered in full: the balance of an order with a deposit is invoiced. The
        # warehouse user validating the delivery needs no sales or invoicing rights for it.
        orders = (
            self.filtered(lambda p: p.picking_type_code == "outgoing")
            .sudo()
            .sale_id.filtered(
                lambda order: (
                    order.company_id.mto_invoice_balance_on_delivery
                    and all(p.state in ("done", "cancel") for p in order.picking_ids)
                )
            )
        )
        orders._mto_invoice_balance()
        return res
