from datetime import date
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.sms_twilio_mto.models.stock_picking import StockPicking

from .common import MtoSmsCase, trap_jobs


@tagged("post_install", "-at_install")
class TestStageMessages(MtoSmsCase):
    def test_a_made_to_order_journey_texts_the_customer_at_each_step(self):
        with trap_jobs() as trap:
            order = self._sell((self.table, 1))
            purchase = self._validated_purchase(order)
            purchase.mto_expected_date = date(2027, 3, 15)
            purchase.with_user(self.production_user).action_mto_accept()
            purchase.with_user(self.production_user).action_mto_start()
            purchase._mto_sms_quality_passed()
            order._mto_sms_delivered()

        texts = self._texts(self.customer)
        expected = [
            f"Your order {order.name} is confirmed",
            f"we received your payment for order {order.name}",
            f"the workshop accepted your order {order.name}, expected ready on 03/15/2027",
            f"your order {order.name} is now being made",
            f"order {order.name} passed our quality control",
            f"your order {order.name} was delivered",
        ]
        self.assertEqual(len(texts), len(expected))
        for text, words in zip(texts, expected, strict=True):
            self.assertIn(words, text)
        self.assertEqual(trap.jobs_count(), len(expected) + 1, "one Twilio job per SMS")
        sms_in_chatter = order.message_ids.filtered(lambda m: m.message_type == "sms")
        self.assertEqual(len(sms_in_chatter), len(expected), "each one in the order's chatter")

    def test_an_order_made_by_two_manufacturers_texts_each_stage_once(self):
        with trap_jobs():
            order = self._sell((self.table, 1), (self.sofa, 1))
            for line in order.order_line:
                self._measure(line, width=220, height=75)
                self._attach(line, self.doc_cad)
            self._pay(order)
            purchases = self._purchase_orders(order)
            self.assertEqual(len(purchases), 2, "one manufacturer order per workshop")
            purchases.with_user(self.sales_manager).action_mto_validate()
            for purchase in purchases:
                purchase.with_user(self.production_user).action_mto_accept()
            for purchase in purchases:
                purchase.with_user(self.production_user).action_mto_start()
            for purchase in purchases:
                purchase._mto_sms_quality_passed()

        texts = self._texts(self.customer)
        for words in (
            f"the workshop accepted your order {order.name}",
            f"your order {order.name} is now being made",
            f"order {order.name} passed our quality control",
        ):
            self.assertEqual(len([t for t in texts if words in t]), 1, words)
        self.assertEqual(len(texts), len(set(texts)), "no text twice")

    def test_the_manufacturer_is_texted_when_a_new_order_awaits_it(self):
        with trap_jobs():
            order = self._sell((self.table, 1))
            purchase = self._validated_purchase(order)

        self.assertEqual(purchase.mto_state, "awaiting")
        (text,) = self._texts(self.workshop_contact)
        self.assertIn(f"a new order {purchase.name} awaits you", text)
        self.assertIn(text, purchase.message_ids.filtered(lambda m: m.message_type == "sms").body)

    def test_payment_is_texted_once_even_in_several_payments(self):
        with trap_jobs():
            order = self._sell((self.lamp, 2))
            self._pay(order, amount=100)
            invoice = order.invoice_ids
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"amount": invoice.amount_residual})._create_payments()

        payments = [text for text in self._texts(self.customer) if "payment" in text]
        self.assertEqual(len(payments), 1)
        self.assertTrue(order.mto_sms_payment_sent)

    def test_shipping_texts_the_tracking_link_a_carrier_gives(self):
        order = self._sell((self.lamp, 1))
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        link = "https://www.dhl.com/track?id=1234567890"

        with (
            trap_jobs(),
            patch.object(StockPicking, "_mto_sms_tracking_link", autospec=True, return_value=link),
        ):
            picking.button_validate()

        self.assertEqual(picking.state, "done")
        shipped = self._texts(self.customer)[-1]
        self.assertIn(f"your order {order.name} is on its way. Follow it: {link}", shipped)

    def test_a_payment_link_is_texted_with_the_amount_and_the_link(self):
        """A charge failed (e.g. the balance on the saved card): the link the customer was
        e-mailed is texted too."""
        order = self._sell((self.table, 1))
        link = "https://shop.example/my/invoices/7?access_token=abc"

        with trap_jobs() as trap:
            order._mto_payment_link_sent(1234.5, link, order)

        (text,) = [t for t in self._texts(self.customer) if "is due" in t]
        self.assertIn(order.currency_id.format(1234.5), text)
        self.assertIn(f"on your order {order.name}", text)
        self.assertTrue(text.endswith(link), "the link is whole, at the end")
        trap.assert_jobs_count(1)

        self.stages.filtered(lambda s: s.code == "payment_link").enabled = False
        with trap_jobs() as trap:
            order._mto_payment_link_sent(1234.5, link, order)
        trap.assert_jobs_count(0)

    def test_a_stage_switched_off_sends_nothing(self):
        self.stages.filtered(lambda s: s.code == "order_confirmed").enabled = False

        with trap_jobs() as trap:
            self._sell((self.table, 1))

        self.assertEqual(self._texts(self.customer), [])
        trap.assert_jobs_count(0)

    def test_a_customer_who_opted_out_gets_no_stage_message(self):
        self.env["phone.blacklist"].add(self.customer.phone)

        with trap_jobs() as trap:
            order = self._sell((self.table, 1))

        self.assertEqual(self._texts(self.customer), [])
        trap.assert_jobs_count(0)
        self.assertTrue(
            any("opted out of SMS" in body for body in order.message_ids.mapped("body"))
        )

    def test_each_company_switches_its_own_stages(self):
        other = self.env["res.company"].create({"name": "Second Showroom"})

        stages = self.env["mto.sms.stage"].search([("company_id", "=", other.id)])

        self.assertEqual(len(stages), len(self.stages))
        self.assertFalse(any(stages.mapped("enabled")), "new companies start with SMS off")
