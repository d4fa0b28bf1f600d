from odoo.tests import tagged

from odoo.addons.sms_twilio_mto.tests.common import MtoSmsCase, trap_jobs


@tagged("post_install", "-at_install")
class TestDeliveredText(MtoSmsCase):
    def test_dhl_confirming_the_delivery_texts_the_customer(self):
        with trap_jobs():
            order = self._sell((self.table, 1))
            self._validated_purchase(order)  # paid: the delivery to the customer exists
            delivery = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
            self.assertTrue(delivery, "the sale has a delivery")
            delivery._dhl_on_delivered()

        texts = self._texts(self.customer)
        self.assertIn(f"your order {order.name} was delivered", texts[-1])
        self.assertEqual(sum(f"order {order.name} was delivered" in t for t in texts), 1)
