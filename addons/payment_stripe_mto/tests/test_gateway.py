from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..models import const
from ..models.stripe_request import StripeGateway
from .common import StripeMtoCase


@tagged("post_install", "-at_install")
class TestStripeProviderGateway(StripeMtoCase):
    def test_provider_builds_the_gateway_with_pinned_version(self):
        gateway = self.provider._stripe_client()
        self.assertIsInstance(gateway, StripeGateway)
        self.assertEqual(gateway.api_version, const.API_VERSION)
        self.assertEqual(gateway.timeout, 5)
        self.assertEqual(
            self.provider._get_stripe_extra_request_headers()["Stripe-Version"],
            const.API_VERSION,
        )
        self.fake.assert_clean()

    def test_timeout_stays_far_below_the_servers_time_limit(self):
        """A wait longer than the bound would let Odoo's limit_time_real stop a request
        right after Stripe charged: refused when entered."""
        with self.assertRaises(ValidationError):
            self.provider.stripe_mto_timeout = const.MAX_TIMEOUT + 1
        self.provider.stripe_mto_timeout = const.MAX_TIMEOUT
        self.assertEqual(self.provider._stripe_client().timeout, const.MAX_TIMEOUT)
        self.fake.assert_clean()

    def test_payment_intent_uses_automatic_methods_and_consent(self):
        order = self._quotation()
        tx, intent_id = self._start_payment(order)
        (request,) = self.fake.requests_to("post", "/v1/payment_intents")
        self.assertEqual(request.form["automatic_payment_methods"]["enabled"], "true")
        self.assertEqual(request.form["setup_future_usage"], "off_session")
        self.assertEqual(request.form["metadata"]["odoo_reference"], tx.reference)
        self.assertNotIn("payment_method_types", request.form)
        self.assertEqual(self.fake.payment_intents[intent_id]["amount"], 120000)
        sent = {r.header("Stripe-Version") for r in self.fake.requests}
        self.assertEqual(sent, {const.API_VERSION})
        self.fake.assert_clean()

    def test_no_consent_no_saved_card(self):
        order = self._quotation()
        tx, intent_id = self._start_payment(order, save_card=False)
        (request,) = self.fake.requests_to("post", "/v1/payment_intents")
        self.assertNotIn("setup_future_usage", request.form)
        self._stripe_confirms(tx, intent_id)
        self.assertEqual(tx.state, "done")
        self.assertFalse(tx.token_id)
        self.fake.assert_clean()

    def test_double_click_or_reload_never_creates_two_charges(self):
        order = self._quotation()
        tx, intent_id = self._start_payment(order)
        again = tx._get_processing_values()
        self.assertTrue(again["client_secret"].startswith(intent_id))
        self.assertEqual(len(self.fake.payment_intents), 1)
        self.assertEqual(len(self.fake.idempotent_replays), 2)  # customer and intent
        keys = {r.header("Idempotency-Key") for r in self.fake.requests if r.method == "POST"}
        self.assertTrue(all(tx.reference in key for key in keys))
        self.fake.assert_clean()

    def test_stripe_refusal_reaches_the_customer_in_plain_words(self):
        order = self._quotation()
        self.fake.invalid_api_key_next()
        with self.assertRaisesRegex(ValidationError, "Card payments are not available"):
            self._start_payment(order)
        self.fake.assert_clean()

    def test_generated_webhook_sends_our_events_in_the_pinned_version(self):
        self.provider.stripe_webhook_secret = False
        self.provider.action_stripe_create_webhook()
        (request,) = self.fake.requests_to("post", "/v1/webhook_endpoints")
        data = request.form
        self.assertEqual(data["api_version"], const.API_VERSION)
        self.assertEqual(set(data["enabled_events"]), set(const.HANDLED_WEBHOOK_EVENTS))
        self.assertEqual(request.header("Stripe-Version"), const.API_VERSION)
        (endpoint,) = self.fake.webhook_endpoints.values()
        self.assertEqual(self.provider.stripe_webhook_secret, endpoint["secret"])
        self.fake.assert_clean()

    def test_odoo_own_calls_take_the_same_client(self):
        """A card saved without a payment (Odoo's validation flow, a SetupIntent) reaches
        Stripe through the SDK, with the pinned version and the provider's address."""
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.card.id,
                "reference": "VALIDATION-1",
                "amount": 0,
                "currency_id": self.company.currency_id.id,
                "partner_id": self.customer.id,
                "operation": "validation",
                "tokenize": True,
            }
        )
        values = tx._get_processing_values()
        (intent,) = self.fake.setup_intents.values()
        self.assertTrue(values["client_secret"].startswith(intent["id"]))
        (request,) = self.fake.requests_to("post", "/v1/setup_intents")
        self.assertEqual(request.form["description"], "VALIDATION-1")
        self.assertEqual(request.header("Stripe-Version"), const.API_VERSION)
        self.assertIn(intent["customer"], self.fake.customers)
        self.fake.assert_clean()

    def test_stripe_refusal_of_odoo_own_call_is_a_validation_error(self):
        self.fake.invalid_api_key_next(("post", "/v1/setup_intents"))
        with self.assertRaisesRegex(ValidationError, "The communication with the API failed"):
            self.provider._stripe_make_request("setup_intents", payload={"usage": "off_session"})
        self.fake.assert_clean()


@tagged("post_install", "-at_install")
class TestManualCapture(StripeMtoCase):
    """Odoo's "Capture Amount Manually" stays the merchant's choice, except with deposits
    (an authorisation hold expires long before a piece is made)."""

    def test_manual_capture_is_stock_odoo_without_deposits(self):
        self.assertEqual(self.provider.support_manual_capture, "full_only")
        self.company.prepayment_percent = 1.0
        self.provider.capture_manually = True
        order = self._quotation()
        order.prepayment_percent = 1.0
        self._start_payment(order, amount=order.amount_total, save_card=False)
        (request,) = self.fake.requests_to("post", "/v1/payment_intents")
        self.assertEqual(request.form["capture_method"], "manual")
        self.fake.assert_clean()

    def test_a_deposit_is_captured_at_once(self):
        self._start_payment(self._quotation())
        (request,) = self.fake.requests_to("post", "/v1/payment_intents")
        self.assertNotIn("capture_method", request.form)
        self.fake.assert_clean()

    def test_manual_capture_and_deposits_are_refused_together(self):
        with self.assertRaisesRegex(ValidationError, "Capture Amount Manually"):
            self.provider.capture_manually = True
        self.company.prepayment_percent = 1.0
        self.provider.capture_manually = True
        with self.assertRaisesRegex(ValidationError, "authorisation hold expires"):
            self.company.prepayment_percent = 0.3
        # A deposit set on one order only: refused when the customer pays, nothing sent.
        order = self._quotation()
        order.prepayment_percent = 0.3
        with self.assertRaisesRegex(ValidationError, "Deposits are captured at once"):
            self._start_payment(order)
        self.assertFalse(self.fake.requests_to("post", "/v1/payment_intents"))
        self.fake.assert_clean()
