from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        shipped = self.sudo().filtered(
            lambda p: p.state == "done" and p.picking_type_code == "outgoing" and p.sale_id
        )
        for picking in shipped:
            self.env["mto.sms.stage"]._mto_notify(
                "shipped",
                picking,
                picking.sale_id.partner_id,
                post_on=picking.sale_id,
                mto_sms_tracking_link=picking._mto_sms_tracking_link(),
            )
        return res

    def _mto_sms_tracking_link(self):
        """Hook: the parcel's tracking link for the shipped SMS (a carrier connector's)."""
        self.ensure_one()
        if "carrier_tracking_url" in self._fields:
            return self.carrier_tracking_url or False
        return False
