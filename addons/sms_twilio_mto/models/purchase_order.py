from odoo import Command, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def _mto_sms_to_customer(self, code):
        """Text the customer that their order reached stage ``code``: once per sales order,
        however many manufacturers make its pieces (the first of its manufacturer orders to
        get there sends it; the others would send the customer the same words again)."""
        # A production user may not read sales orders: the customer is looked up as superuser.
        for order in self.sudo().filtered("mto_sale_id"):
            sale = order.mto_sale_id
            stage = self.env["mto.sms.stage"]._mto_stage(code, order.company_id)
            if not stage or stage in sale.mto_sms_stage_ids:
                continue
            # Written on the sales order's own row: two of its manufacturer orders reaching the
            # stage at once conflict there, and the transaction Odoo retries finds it texted.
            sale.mto_sms_stage_ids = [Command.link(stage.id)]
            stage._mto_send(order, sale.partner_id, post_on=sale)

    def action_mto_validate(self):
        res = super().action_mto_validate()
        for order in self:
            self.env["mto.sms.stage"]._mto_notify(
                "manufacturer_new_order", order, order._mto_sms_manufacturer_contact()
            )
        return res

    def action_mto_accept(self):
        res = super().action_mto_accept()
        self._mto_sms_to_customer("manufacturer_accepted")
        return res

    def action_mto_start(self):
        res = super().action_mto_start()
        self._mto_sms_to_customer("in_production")
        return res

    def _mto_on_quality_passed(self):
        super()._mto_on_quality_passed()
        self._mto_sms_quality_passed()

    def _mto_sms_quality_passed(self):
        """Hook: the pieces passed quality control (called by the quality module)."""
        self._mto_sms_to_customer("quality_passed")

    def _mto_sms_manufacturer_contact(self):
        """Who at the manufacturer gets the new-order SMS: a contact with a mobile, else it."""
        self.ensure_one()
        partner = self.partner_id
        with_mobile = partner.child_ids.filtered(lambda p: p.type == "contact" and p.mobile)
        return with_mobile[:1] or partner
