import json
import time

from odoo import sql_db
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models import const
from .common import StripeMtoHttpCase, charge_of, dispute_of, signed_webhook, stripe_object

LOGGERS = (
    "odoo.addons.payment_stripe_mto.controllers.main",
    "odoo.addons.payment.models.payment_transaction",
)


@tagged("post_install", "-at_install")
class TestWebhookSignature(StripeMtoHttpCase):
    """Nothing is read or written before the signature and its timestamp are proven."""

    def _intent_event(self):
        order = self._quotation()
        tx, intent_id = self._start_payment(order)
        self.fake.complete_payment(intent_id)
        return tx, self.fake.payment_intents[intent_id]

    def test_valid_signature_is_processed(self):
        tx, intent = self._intent_event()
        response, _payload, _headers = self._post_event("payment_intent.succeeded", intent)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(tx.state, "done")
        self.assertEqual(self._events().result, "done")
        self.fake.assert_clean()

    @mute_logger(*LOGGERS)
    def test_tampered_body_is_refused(self):
        tx, intent = self._intent_event()
        payload, headers = signed_webhook("payment_intent.succeeded", intent)
        response = self._post_raw(payload.replace(b'"succeeded"', b'"canceled"'), headers)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(tx.state, "draft")
        self.assertFalse(self._events())
        self.fake.assert_clean()

    @mute_logger(*LOGGERS)
    def test_wrong_secret_is_refused(self):
        tx, intent = self._intent_event()
        response, _payload, _headers = self._post_event(
            "payment_intent.succeeded", intent, secret="whsec_someone_else"
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(tx.state, "draft")
        self.assertFalse(self._events())
        self.fake.assert_clean()

    @mute_logger(*LOGGERS)
    def test_stale_timestamp_is_refused(self):
        tx, intent = self._intent_event()
        response, _payload, _headers = self._post_event(
            "payment_intent.succeeded", intent, timestamp=time.time() - 3600
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(tx.state, "draft")
        self.assertFalse(self._events())
        self.fake.assert_clean()

    @mute_logger(*LOGGERS)
    def test_missing_header_is_refused(self):
        tx, intent = self._intent_event()
        payload, _headers = signed_webhook("payment_intent.succeeded", intent)
        response = self._post_raw(payload, {})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(tx.state, "draft")
        self.assertFalse(self._events())
        self.fake.assert_clean()

    @mute_logger(*LOGGERS)
    def test_no_secret_configured_refuses_everything(self):
        tx, intent = self._intent_event()
        self.provider.stripe_webhook_secret = False
        response, _payload, _headers = self._post_event("payment_intent.succeeded", intent)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(tx.state, "draft")
        self.assertFalse(self._events())
        self.fake.assert_clean()


@tagged("post_install", "-at_install")
class TestWebhookEvents(StripeMtoHttpCase):
    def _paid_deposit_intent(self):
        order = self._quotation()
        tx, intent_id = self._start_payment(order)
        self.fake.complete_payment(intent_id)
        return order, tx, self.fake.payment_intents[intent_id]

    def test_success_starts_production_and_saves_the_card(self):
        order, tx, intent = self._paid_deposit_intent()
        response, _payload, _headers = self._post_event("payment_intent.succeeded", intent)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(tx.state, "done")
        self.assertTrue(tx.token_id)
        self.assertEqual(order.state, "sale")
        self.assertTrue(self._purchase_orders(order))
        self.fake.assert_clean()

    def test_duplicate_event_answers_200_and_does_nothing(self):
        order, _tx, intent = self._paid_deposit_intent()
        self._post_event("payment_intent.succeeded", intent)
        dispute = dispute_of(intent, "dp_FakeDispute0001", "fraudulent")
        payload, headers = signed_webhook("charge.dispute.created", dispute)
        first = self._post_raw(payload, headers)
        activities = order.activity_ids
        second = self._post_raw(payload, headers)
        self.assertEqual((first.status_code, second.status_code), (200, 200))
        self.assertEqual(order.activity_ids, activities)
        self.assertEqual(
            len(self._events().filtered(lambda e: e.event_type.startswith("charge"))), 1
        )
        self.fake.assert_clean()

    def test_dispute_alerts_the_back_office(self):
        order, _tx, intent = self._paid_deposit_intent()
        self._post_event("payment_intent.succeeded", intent)
        dispute = dispute_of(intent, "dp_FakeDispute0002", "product_not_received")
        response, _payload, _headers = self._post_event("charge.dispute.created", dispute)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(order.stripe_mto_exception)
        self.assertIn("disputed", order.stripe_mto_exception_note)
        self.assertTrue(order.activity_ids.filtered(lambda a: a.summary == "Payment disputed"))
        self.assertTrue(order.message_ids.filtered(lambda m: "disputed" in (m.body or "")))
        self.fake.assert_clean()

    def test_refund_before_success_is_handled(self):
        _order, tx, intent = self._paid_deposit_intent()
        charge = charge_of(intent, amount_refunded=intent["amount"], refunded=True)
        response, _payload, _headers = self._post_event("charge.refunded", charge)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(tx.state, "done", "the refund implied the success: it was caught up")
        refund = tx.child_transaction_ids
        self.assertEqual(refund.operation, "refund")
        self.assertEqual(refund.state, "done")
        self.assertEqual(refund.amount, -tx.amount)
        # the success arrives late: acknowledged, nothing doubles
        response, _payload, _headers = self._post_event("payment_intent.succeeded", intent)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(tx.child_transaction_ids, refund)
        self.assertEqual(tx.state, "done")
        self.fake.assert_clean()

    def test_same_event_at_the_same_moment_is_not_waited_for(self):
        """Stripe sends an event twice at once: while one request applies it (holding its
        lock), the other is answered 409 at once instead of holding a worker; Stripe's
        next try is applied or recognised."""
        _order, tx, intent = self._paid_deposit_intent()
        payload, headers = signed_webhook("payment_intent.succeeded", intent)
        event_id = json.loads(payload)["id"]
        with sql_db.db_connect(self.env.cr.dbname).cursor() as other:  # another worker
            other.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                [const.WEBHOOK_EVENT_LOCK_KEY, event_id],
            )
            response = self._post_raw(payload, headers)
            other.rollback()
        self.assertEqual(response.status_code, 409)
        self.assertTrue(response.headers.get("Retry-After"))
        self.assertFalse(self._events())
        response = self._post_raw(payload, headers)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(tx.state, "done")
        self.assertEqual(len(self._events()), 1)
        self.fake.assert_clean()

    @mute_logger(*LOGGERS)
    def test_stripe_unreachable_while_catching_up_answers_503_and_keeps_nothing(self):
        """The refund arrives first and Stripe fails when asked for the payment: the event
        is answered 503 (Stripe sends it again), nothing of it is kept; the retry applies it."""
        _order, tx, intent = self._paid_deposit_intent()
        charge = charge_of(intent, amount_refunded=intent["amount"], refunded=True)
        payload, headers = signed_webhook("charge.refunded", charge)
        self.fake.server_error_next(route=("get", "/v1/payment_intents/{intent}"))
        response = self._post_raw(payload, headers)
        self.assertEqual(response.status_code, 503)
        self.assertTrue(response.headers.get("Retry-After"))
        self.assertFalse(self._events())
        self.assertNotEqual(tx.state, "done")
        response = self._post_raw(payload, headers)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(tx.state, "done")
        self.assertEqual(len(tx.child_transaction_ids), 1)
        self.fake.assert_clean()

    @mute_logger(*LOGGERS)
    def test_late_failure_does_not_undo_a_success(self):
        _order, tx, intent = self._paid_deposit_intent()
        self._post_event("payment_intent.succeeded", intent)
        failed = dict(intent, status="requires_payment_method")
        response, _payload, _headers = self._post_event("payment_intent.payment_failed", failed)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(tx.state, "done")
        self.fake.assert_clean()

    @mute_logger(*LOGGERS)
    def test_failure_and_cancellation(self):
        _order, tx, intent = self._paid_deposit_intent()
        failed = dict(
            intent,
            status="requires_payment_method",
            last_payment_error={"type": "card_error", "message": "Your card was declined."},
        )
        self._post_event("payment_intent.payment_failed", failed)
        self.assertEqual(tx.state, "error")
        self.assertIn("declined", tx.state_message)
        other_tx, other_id = self._start_payment(self._quotation())
        canceled = dict(self.fake.payment_intents[other_id], status="canceled")
        self._post_event("payment_intent.canceled", canceled)
        self.assertEqual(other_tx.state, "cancel")
        self.fake.assert_clean()

    @mute_logger(*LOGGERS)
    def test_unknown_payment_is_acknowledged(self):
        intent = stripe_object("payment_intent", id="pi_FakeUnknown0001", metadata={})
        response, _payload, _headers = self._post_event("payment_intent.succeeded", intent)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._events().result, "error")
        self.fake.assert_clean()


@tagged("post_install", "-at_install")
class TestReturnFromPaymentPage(StripeMtoHttpCase):
    def test_return_reads_the_intent_through_the_gateway(self):
        order = self._quotation()
        tx, intent_id = self._start_payment(order)
        self.fake.complete_payment(intent_id)
        response = self.url_open(
            f"/payment/stripe/return?reference={tx.reference}&payment_intent={intent_id}",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(tx.state, "done")
        self.assertTrue(tx.token_id)
        (request,) = self.fake.requests_to("get", "/v1/payment_intents/{intent}")
        self.assertTrue(request.header("Stripe-Version"))
        self.fake.assert_clean()

    @mute_logger(*LOGGERS)
    def test_return_with_another_intent_changes_nothing(self):
        tx, _intent_id = self._start_payment(self._quotation())
        _other_tx, other_id = self._start_payment(self._quotation())
        self.fake.complete_payment(other_id)
        self.url_open(
            f"/payment/stripe/return?reference={tx.reference}&payment_intent={other_id}",
            allow_redirects=False,
        )
        self.assertEqual(tx.state, "draft")
        self.fake.assert_clean()


@tagged("post_install", "-at_install")
class TestRefundAndCardEvents(StripeMtoHttpCase):
    def test_failed_refund_alerts_the_back_office(self):
        order, tx = self._pay_deposit()
        refund_tx = tx._stripe_mto_refund(200)
        self.assertEqual(refund_tx.state, "done")
        refund = dict(
            self.fake.refunds[refund_tx.provider_reference],
            status="failed",
            failure_reason="expired_or_canceled_card",
        )
        response, _payload, _headers = self._post_event("charge.refund.updated", refund)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._events().result, "done")
        self.assertEqual(refund_tx.state, "error")
        self.assertTrue(order.stripe_mto_exception)
        self.assertIn("expired_or_canceled_card", order.stripe_mto_exception_note)
        self.assertIn("did not get this money back", order.stripe_mto_exception_note)
        self.assertTrue(order.activity_ids.filtered(lambda a: a.summary == "Refund failed"))
        self.fake.assert_clean()

    def test_refund_still_succeeding_changes_nothing(self):
        order, tx = self._pay_deposit()
        refund_tx = tx._stripe_mto_refund(200)
        refund = self.fake.refunds[refund_tx.provider_reference]
        self._post_event("charge.refund.updated", refund)
        self.assertEqual(refund_tx.state, "done")
        self.assertFalse(order.stripe_mto_exception)
        self.fake.assert_clean()

    def test_card_saved_without_payment_becomes_a_token(self):
        """Odoo's "add a card" (validation) flow: the SetupIntent's success saves the token
        even when the customer never comes back from Stripe's page."""
        customer = self.fake.add_customer(email=self.customer.email)
        method_id = self.fake.add_saved_card(customer, last4="4444", brand="mastercard")
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.card.id,
                "reference": "VALIDATION-TEST-1",
                "amount": 0,
                "currency_id": self.company.currency_id.id,
                "partner_id": self.customer.id,
                "operation": "validation",
                "tokenize": True,
            }
        )
        setup_intent = stripe_object(
            "setup_intent",
            id="seti_FakeValidation0001",
            status="succeeded",
            customer=customer,
            payment_method=method_id,
            description=tx.reference,
        )
        response, _payload, _headers = self._post_event("setup_intent.succeeded", setup_intent)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._events().result, "done")
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.token_id.provider_ref, customer)
        self.assertEqual(tx.token_id.stripe_payment_method, method_id)
        self.assertEqual(tx.token_id.payment_details, "4444")
        # The same success again (Stripe retries): one token still.
        self._post_event("setup_intent.succeeded", setup_intent, event_id="evt_FakeAgain0001")
        self.assertEqual(
            self.env["payment.token"].search_count([("stripe_payment_method", "=", method_id)]), 1
        )
        self.fake.assert_clean()
