from datetime import timedelta
from unittest.mock import patch

import psycopg2

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mto_quality.tests.common import receive_made_order
from odoo.addons.queue_job.job import Job

from .common import MtoCockpitCase


@tagged("post_install", "-at_install")
class TestRules(MtoCockpitCase):
    """Each rule: it finds the case, once, and lets go when the cause is gone."""

    def test_awaiting_manufacturer_beyond_the_threshold(self):
        self.run_rule("awaiting_manufacturer")
        self.assertFalse(self.open_for("awaiting_manufacturer", self.po_awaiting), "too early")
        self.backdate(self.po_awaiting, "mto_state_since", days=6)
        exception = self.assert_opened_once("awaiting_manufacturer", self.po_awaiting)
        self.assertIn(self.workshop.name, exception.name)
        self.assertEqual(exception.action_open_record()["res_id"], self.po_awaiting.id)
        self.po_awaiting.action_mto_accept()
        self.assert_resolved("awaiting_manufacturer", exception)

    def test_rule_switched_off_or_threshold_raised_finds_nothing(self):
        self.backdate(self.po_awaiting, "mto_state_since", days=6)
        rule = self.rule("awaiting_manufacturer")
        rule.threshold = 10
        self.run_rule("awaiting_manufacturer")
        self.assertFalse(self.open_for("awaiting_manufacturer", self.po_awaiting))
        rule.threshold = 5
        rule.active = False
        self.Rule._cron_detect()
        self.assertFalse(self.open_for("awaiting_manufacturer", self.po_awaiting))

    def test_rework_beyond_the_threshold(self):
        self.po_awaiting.action_mto_accept()
        self.po_awaiting.action_mto_start()
        self.po_awaiting.action_mto_complete()
        self.po_awaiting.action_mto_rework("The legs wobble")
        self.assertEqual(self.po_awaiting.mto_state, "rework")
        self.backdate(self.po_awaiting, "mto_state_since", days=11)
        exception = self.assert_opened_once("rework_stuck", self.po_awaiting)
        self.po_awaiting.action_mto_complete()
        self.assert_resolved("rework_stuck", exception)

    def test_expected_completion_passed(self):
        self.po_awaiting.action_mto_accept()
        self.po_awaiting.mto_expected_date = fields.Date.today()
        self.run_rule("completion_overdue")
        self.assertFalse(self.open_for("completion_overdue", self.po_awaiting), "due today")
        self.po_awaiting.mto_expected_date = fields.Date.today() - timedelta(days=1)
        exception = self.assert_opened_once("completion_overdue", self.po_awaiting)
        self.po_awaiting.mto_expected_date = fields.Date.today() + timedelta(days=7)
        self.assert_resolved("completion_overdue", exception)

    def test_received_but_not_inspected(self):
        inspections = receive_made_order(self.po_awaiting)
        self.assertEqual(len(inspections), 2)
        self.run_rule("not_inspected")
        self.assertFalse(self.open_for("not_inspected", inspections[0]), "received today")
        self.backdate(inspections, "create_date", days=3)
        exception = self.assert_opened_once("not_inspected", inspections[0])
        self.assertTrue(self.open_for("not_inspected", inspections[1]))
        inspections[0].action_pass()
        self.assert_resolved("not_inspected", exception)
        self.assertTrue(self.open_for("not_inspected", inspections[1]), "the other one waits")

    def test_ready_to_ship_but_blocked_by_the_gate(self):
        inspections = receive_made_order(self.po_awaiting)
        delivery = self.sale_awaiting.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        )
        delivery.action_assign()
        self.assertEqual(delivery.state, "assigned")
        exception = self.assert_opened_once("gate_blocked", delivery)
        for code in inspections.piece_id.mapped("code"):
            self.assertIn(code, exception.name, "the pieces holding the delivery are named")
        inspections.action_pass()
        self.assert_resolved("gate_blocked", exception)

    def test_paid_but_not_ordered_from_the_manufacturer(self):
        order = self._sell((self.table, 1))
        with patch.object(type(order), "_mto_procure_paid_lines", lambda self: None):
            self._pay(order)  # a payment no hook saw
        self.assertTrue(order._mto_held_lines())
        self.run_rule("paid_not_procured")
        self.assertFalse(self.open_for("paid_not_procured", order), "paid a moment ago")
        payments = order.invoice_ids._get_reconciled_payments()
        self.backdate(payments, "create_date", hours=5)
        self.backdate(order, "date_order", hours=6)
        exception = self.assert_opened_once("paid_not_procured", order)
        unpaid = self._sell((self.sofa, 1))
        self.backdate(unpaid, "date_order", hours=6)
        self.run_rule("paid_not_procured")
        self.assertFalse(self.open_for("paid_not_procured", unpaid), "not paid: not stuck")
        self.env["sale.order"]._cron_mto_procure_paid_orders()
        self.assertFalse(order._mto_held_lines())
        self.assert_resolved("paid_not_procured", exception)

    def test_dhl_booking_outcome_unknown(self):
        delivery = self.sale_awaiting.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        )
        attempt = self.env["dhl.express.booking"].create(
            {
                "picking_res_id": delivery.id,
                "picking_name": delivery.name,
                "reference": delivery.name,
            }
        )
        self.run_rule("dhl_unknown")
        self.assertFalse(self.open_for("dhl_unknown", delivery), "DHL may still answer")
        self.backdate(attempt, "create_date", minutes=20)
        exception = self.assert_opened_once("dhl_unknown", delivery)
        self.assertIn("MyDHL", exception.name)
        self.assertEqual(exception.action_open_record()["res_model"], "stock.picking")
        attempt.write({"state": "released", "decided_by": "test"})
        self.assert_resolved("dhl_unknown", exception)

    def test_payment_exception(self):
        self.sale_awaiting._stripe_mto_raise_exception("The balance charge was declined")
        exception = self.assert_opened_once("payment_exception", self.sale_awaiting)
        self.assertEqual(exception.name, "The balance charge was declined")
        self.assertEqual(exception.severity, "high")
        self.sale_awaiting.action_stripe_mto_resolve_exception()
        self.assert_resolved("payment_exception", exception)

    def test_refund_failed(self):
        provider = self.env.ref("payment.payment_provider_stripe")
        refund = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": self.env.ref("payment.payment_method_card").id,
                "reference": "TEST-REFUND-1",
                "amount": -100.0,
                "currency_id": self.sale_awaiting.currency_id.id,
                "partner_id": self.customer.id,
                "operation": "refund",
                "sale_order_ids": [fields.Command.set(self.sale_awaiting.ids)],
            }
        )
        refund._stripe_mto_apply_refund_update({"status": "failed", "failure_reason": "lost"})
        self.assertEqual(refund.state, "error")
        self.assertTrue(self.sale_awaiting.stripe_mto_exception)
        exception = self.assert_opened_once("refund_failed", refund)
        self.assertEqual(exception.severity, "critical")
        self.sale_awaiting.action_stripe_mto_resolve_exception()
        self.assert_resolved("refund_failed", exception)

    def test_text_failed_permanently_and_retried(self):
        sms = self.env["sms.sms"].create(
            {
                "number": "+33600000000",
                "body": "Your table is ready",
                "state": "error",
                "failure_type": "sms_server",
            }
        )
        exception = self.assert_opened_once("sms_failed", sms)
        self.assertTrue(exception.can_retry)
        with patch.object(type(sms), "_send", lambda self, **kw: None):
            exception.action_retry()
        self.assertEqual(sms.state, "outgoing")
        self.assert_resolved("sms_failed", exception)

    def test_queue_job_failed_and_requeued(self):
        job = self.customer.with_delay(description="Test job").write({"comment": "x"})
        job.set_failed(exc_name="ValueError", exc_message="boom", exc_info="Traceback: boom")
        job.store()
        record = job.db_record()
        self.assertEqual(record.state, "failed")
        exception = self.assert_opened_once("job_failed", record)
        self.assertIn("boom", exception.name)
        exception.action_retry()
        self.assertEqual(Job.load(self.env, job.uuid).state, "pending")
        self.assert_resolved("job_failed", exception)

    def test_exception_resolved_by_hand_is_opened_again_if_the_cause_stays(self):
        self.backdate(self.po_awaiting, "mto_state_since", days=6)
        first = self.assert_opened_once("awaiting_manufacturer", self.po_awaiting)
        first.action_resolve()
        self.assertEqual(first.state, "resolved")
        self.run_rule("awaiting_manufacturer")
        second = self.open_for("awaiting_manufacturer", self.po_awaiting)
        self.assertTrue(second)
        self.assertNotEqual(second, first)

    def test_two_runs_at_once_cannot_open_the_same_exception_twice(self):
        """Two workers detecting at the same moment: the database keeps one open exception."""
        self.backdate(self.po_awaiting, "mto_state_since", days=6)
        rule = self.rule("awaiting_manufacturer")
        vals = rule._prepare_exception_vals(self.po_awaiting, False, "late")
        first = self.Exception._mto_upsert([vals])
        self.assertEqual(len(first), 1)
        self.assertFalse(self.Exception._mto_upsert([vals]), "the second insert is refused")
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.Exception.create(vals)
        first.action_resolve()
        self.assertEqual(len(self.Exception._mto_upsert([vals])), 1, "resolved: a new one")
