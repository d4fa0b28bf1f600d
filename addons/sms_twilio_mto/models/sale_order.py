from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    mto_sms_payment_sent = fields.Boolean(
        string="Payment SMS Sent", copy=False, readonly=True, help="Texted once, not per payment."
    )
    mto_sms_stage_ids = fields.Many2many(
        "mto.sms.stage",
        string="Production SMS Sent",
        copy=False,
        readonly=True,
        help="Stages of its manufacturer orders already texted to the customer: once per order, "
        "however many manufacturers make its pieces.",
    )

    def action_confirm(self):
        res = super().action_confirm()
        for order in self.filtered(lambda o: o.state == "sale"):
            self.env["mto.sms.stage"]._mto_notify("order_confirmed", order, order.partner_id)
        return res

    def _mto_procure_paid_lines(self):
        res = super()._mto_procure_paid_lines()
        self._mto_sms_payment_received()
        return res

    def _mto_sms_payment_received(self):
        for order in self.filtered(lambda o: o.state == "sale" and not o.mto_sms_payment_sent):
            if order._mto_payment_reached():
                order.sudo().mto_sms_payment_sent = True
                self.env["mto.sms.stage"]._mto_notify("payment_received", order, order.partner_id)

    def _mto_sms_delivered(self):
        """Hook: the carrier confirmed the delivery (called by a carrier connector)."""
        for order in self:
            self.env["mto.sms.stage"]._mto_notify("delivered", order, order.partner_id)

    def _mto_payment_link_sent(self, amount, link, document):
        res = super()._mto_payment_link_sent(amount, link, document)
        for order in self:
            self.env["mto.sms.stage"]._mto_notify(
                "payment_link",
                order,
                order.partner_id,
                mto_sms_amount=document.currency_id.format(amount),
                mto_sms_payment_link=link,
            )
        return res
