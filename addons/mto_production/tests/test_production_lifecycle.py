from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MtoProductionCase


@tagged("post_install", "-at_install")
class TestProductionLifecycle(MtoProductionCase):
    def _validated_purchase(self, qty=2):
        order = self._sell((self.table, qty))
        self._measure(order.order_line, width=220, height=75)
        self._attach(order.order_line, self.doc_cad)
        self._pay(order)
        purchase = self._purchase_orders(order)
        purchase.mto_manager_note = "<p>Please use the oak batch we discussed.</p>"
        purchase.with_user(self.sales_manager).action_mto_validate()
        return order, purchase

    def test_validate_accept_produce_complete(self):
        order, purchase = self._validated_purchase(qty=2)
        notice = purchase.message_ids.filtered(lambda m: self.workshop in m.partner_ids)
        self.assertTrue(notice, "The manufacturer is notified")
        self.assertIn("oak batch", notice[0].body)
        self.assertIn(order.name, notice[0].body)

        purchase.with_user(self.production_user).action_mto_accept()
        self.assertEqual(purchase.mto_state, "accepted")
        self.assertEqual(purchase.state, "purchase", "Acceptance confirms the purchase order")
        self.assertTrue(purchase.picking_ids, "The receipt is a standard Odoo receipt")
        pieces = purchase.mto_piece_ids
        self.assertEqual(len(pieces), 2, "One piece code per unit")
        self.assertEqual(len(set(pieces.mapped("code"))), 2)
        self.assertTrue(all(code.startswith("PC-") for code in pieces.mapped("code")))
        self.assertEqual(pieces.sale_line_id, order.order_line)

        purchase.with_user(self.production_user).action_mto_start()
        purchase.with_user(self.production_user).action_mto_complete()
        self.assertEqual(purchase.mto_state, "completed")
        self.assertEqual(
            order.order_line.mto_state, "completed", "The sales order shows each line's progress"
        )
        steps = purchase.message_ids.mapped("body")
        for text in ("accepted the order", "Production started", "Production completed"):
            self.assertTrue(any(text in body for body in steps), text)

        purchase.action_mto_rework(reason="Scratch on the top")
        self.assertEqual(purchase.mto_state, "rework")
        purchase.action_mto_complete()
        self.assertEqual(purchase.mto_state, "completed")

    def test_steps_cannot_be_skipped_or_replayed(self):
        _order, purchase = self._validated_purchase(qty=1)
        with self.assertRaisesRegex(UserError, "Awaiting Manufacturer"):
            purchase.action_mto_start()
        purchase.action_mto_accept()
        with self.assertRaisesRegex(UserError, "Accepted: it cannot be accepted now"):
            purchase.action_mto_accept()
        self.assertEqual(len(purchase.mto_piece_ids), 1, "A replayed acceptance adds no piece")

    def test_piece_labels_print_as_pdf_with_qr_codes(self):
        _order, purchase = self._validated_purchase(qty=2)
        with self.assertRaisesRegex(UserError, "no piece codes yet"):
            purchase.action_print_mto_labels()
        purchase.action_mto_accept()
        report = self.env.ref("mto_production.action_report_mto_piece_labels")
        html = report._render_qweb_html(report.report_name, purchase.ids)[0].decode()
        for code in purchase.mto_piece_ids.mapped("code"):
            self.assertIn(code, html)
        self.assertEqual(html.count("data:image/png;base64,"), 2)
        self.assertEqual(report.report_type, "qweb-pdf")
        action = purchase.with_context(discard_logo_check=True).action_print_mto_labels()
        self.assertEqual(action["report_name"], "mto_production.report_mto_piece_labels")

    def test_declined_order_is_reassigned_to_another_manufacturer(self):
        _order, purchase = self._validated_purchase(qty=1)
        action = purchase.action_mto_decline()
        wizard = (
            self.env[action["res_model"]]
            .with_context(**action["context"])
            .create({"reason": "Oak not available before March"})
        )
        wizard.action_confirm()
        self.assertEqual(purchase.mto_state, "declined")
        self.assertEqual(purchase.mto_decline_reason, "Oak not available before March")

        with self.assertRaisesRegex(UserError, "is not a manufacturer"):
            purchase._mto_reassign(self.customer)
        self.env["mto.reassign.wizard"].with_user(self.production_manager).create(
            {
                "purchase_id": purchase.id,
                "manufacturer_id": self.other_workshop.id,
            }
        ).action_confirm()
        self.assertEqual(purchase.partner_id, self.other_workshop)
        self.assertEqual(purchase.mto_state, "to_validate")
        self.assertEqual(purchase.state, "draft")

    def test_specification_change_before_acceptance_goes_back_to_validation(self):
        order, purchase = self._validated_purchase(qty=1)
        order.order_line.mto_measurement_ids.filtered(lambda m: m.type_id == self.width).value = 240
        self.assertEqual(purchase.mto_state, "to_validate")
        self.assertIn("240", str(purchase.order_line.mto_specification))
        self.assertTrue(
            any("Back to validation" in body for body in purchase.message_ids.mapped("body"))
        )

    def test_specification_change_after_acceptance_is_a_change_request(self):
        order, purchase = self._validated_purchase(qty=1)
        purchase.action_mto_accept()
        order.order_line.mto_workshop_note = "Round the corners, 5 mm radius"
        self.assertEqual(purchase.mto_state, "accepted", "Production is not interrupted")
        request = purchase.mto_change_request_ids
        self.assertEqual(request.kind, "specification")
        self.assertEqual(request.state, "pending")
        self.assertTrue(request.activity_ids, "The production manager has a to-do")
        request.action_accept()
        self.assertEqual(request.state, "accepted")
        with self.assertRaisesRegex(UserError, "already decided"):
            request.action_refuse()

    def test_cancellation_before_acceptance_withdraws_the_order(self):
        order, purchase = self._validated_purchase(qty=1)
        order._action_cancel()
        self.assertEqual(purchase.state, "cancel")
        self.assertTrue(
            any("cancel" in body.lower() for body in order.message_ids.mapped("body")),
            "The back office is told on the sales order",
        )

    def test_cancellation_after_acceptance_asks_the_manufacturer(self):
        order, purchase = self._validated_purchase(qty=1)
        purchase.action_mto_accept()
        order._action_cancel()
        self.assertEqual(purchase.state, "purchase", "The manufacturer may be cutting wood")
        self.assertEqual(purchase.mto_change_request_ids.kind, "cancellation")

    def test_completed_piece_specification_cannot_change(self):
        order, purchase = self._validated_purchase(qty=1)
        purchase.action_mto_accept()
        purchase.action_mto_start()
        purchase.action_mto_complete()
        with self.assertRaisesRegex(UserError, "already made"):
            order.order_line.mto_workshop_note = "Too late"

    def test_price_change_after_payment_is_settled_the_odoo_way(self):
        order, _purchase = self._validated_purchase(qty=1)
        line = order.order_line
        line.price_unit += 500
        self.assertTrue(order.mto_has_difference)
        self.assertIn("owes", order.message_ids[0].body)
        action = order.action_mto_settle_difference()
        self.assertEqual(action["res_model"], "payment.link.wizard")
        link = self.env["payment.link.wizard"].with_context(**action["context"]).create({})
        self.assertEqual(link.amount, order.amount_total - order.mto_amount_paid)

        line.price_unit -= 1000
        self.assertIn("too much", order.message_ids[0].body)
        action = order.action_mto_settle_difference()
        self.assertEqual(action["res_model"], "account.move.reversal")
        self.assertEqual(action["context"]["active_ids"], order.invoice_ids.ids)
