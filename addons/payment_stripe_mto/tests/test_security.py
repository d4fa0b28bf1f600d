"""What a stranger, a return URL or another company's Stripe account can make of a payment
over HTTP: nothing that is not theirs."""

import time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import StripeMtoHttpCase, charge_of, dispute_of, signed_webhook

LOGGERS = (
    "odoo.addons.payment_stripe_mto.controllers.main",
    "odoo.addons.payment.models.payment_transaction",
)

OTHER_WEBHOOK_SECRET = "whsec_mto_fake_secret_of_the_other_company"


@tagged("post_install", "-at_install")
class TestReturnTiedToItsIntent(StripeMtoHttpCase):
    """``/payment/stripe/return`` is open to anyone who knows a payment's reference: the
    intent it names pays that payment only if it is the one made for it."""

    def _return(self, tx, intent_id):
        return self.url_open(
            f"/payment/stripe/return?reference={tx.reference}&payment_intent={intent_id}",
            allow_redirects=False,
        )

    def _minor(self, tx):
        return {"amount": tx._stripe_mto_minor_amount(), "currency": tx.currency_id.name.lower()}

    @mute_logger(*LOGGERS)
    def test_intent_made_outside_odoo_pays_nothing(self):
        """An intent of the same amount paid in the dashboard (no reference of ours)."""
        order = self._quotation()
        tx, own_id = self._start_payment(order)
        foreign_id = self.fake.add_payment_intent(**self._minor(tx))
        response = self._return(tx, foreign_id)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(tx.state, "draft")
        self.assertEqual(tx.provider_reference, own_id)
        self.assertEqual(order.state, "draft")
        self.fake.assert_clean()

    @mute_logger(*LOGGERS)
    def test_intent_naming_this_payment_but_not_made_for_it_pays_nothing(self):
        """Another database on the same Stripe account numbers its payments the same way."""
        tx, own_id = self._start_payment(self._quotation())
        twin_id = self.fake.add_payment_intent(
            **self._minor(tx), metadata={"odoo_reference": tx.reference}
        )
        self._return(tx, twin_id)
        self.assertEqual(tx.state, "draft")
        self.assertEqual(tx.provider_reference, own_id)
        self.fake.assert_clean()

    @mute_logger(*LOGGERS)
    def test_intent_already_used_by_another_payment_pays_nothing(self):
        """One payment at Stripe settles one transaction, even when its metadata was edited
        (the dashboard allows it) to name another one."""
        paid_order, paid_tx = self._pay_deposit()
        self.assertEqual(paid_tx.state, "done")
        # The other payment never reached Stripe (its intent could not be created).
        order = self._quotation()
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.card.id,
                "reference": self.env["payment.transaction"]._compute_reference(
                    "stripe", prefix=order.name
                ),
                "amount": paid_tx.amount,
                "currency_id": paid_tx.currency_id.id,
                "partner_id": order.partner_id.id,
                "operation": "online_direct",
                "sale_order_ids": [Command.set(order.ids)],
            }
        )
        self.assertFalse(tx.provider_reference)
        used = self.fake.payment_intents[paid_tx.provider_reference]
        used["metadata"] = {"odoo_reference": tx.reference}
        self._return(tx, used["id"])
        self.assertEqual(tx.state, "draft")
        self.assertFalse(tx.provider_reference)
        self.assertEqual(order.state, "draft")
        self.assertEqual(paid_order.state, "sale")
        self.fake.assert_clean()

    def test_own_intent_still_pays(self):
        order = self._quotation()
        tx, intent_id = self._start_payment(order)
        self.fake.complete_payment(intent_id)
        self._return(tx, intent_id)
        self.assertEqual(tx.state, "done")
        self.assertEqual(order.state, "sale")
        self.fake.assert_clean()


@tagged("post_install", "-at_install")
class TestWebhookIntentTiedToItsPayment(StripeMtoHttpCase):
    """The same rules for an intent reported by a signed event."""

    def _own_paid_intent(self):
        tx, intent_id = self._start_payment(self._quotation())
        self.fake.complete_payment(intent_id)
        return tx, self.fake.payment_intents[intent_id]

    @mute_logger(*LOGGERS)
    def test_intent_in_another_currency_pays_nothing(self):
        """Same figure, other currency: 400,000 yen are not 4,000.00 of the order's money."""
        tx, intent = self._own_paid_intent()
        other = "jpy" if tx.currency_id.name != "JPY" else "eur"
        response, _payload, _headers = self._post_event(
            "payment_intent.succeeded", dict(intent, currency=other)
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._events().result, "error")
        self.assertEqual(tx.state, "draft")
        self.fake.assert_clean()

    @mute_logger(*LOGGERS)
    def test_intent_naming_this_payment_but_not_made_for_it_pays_nothing(self):
        tx, intent = self._own_paid_intent()
        twin = dict(intent, id="pi_FakeTwinOfAnotherDatabase01")
        response, _payload, _headers = self._post_event("payment_intent.succeeded", twin)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._events().result, "error")
        self.assertEqual(tx.state, "draft")
        self.assertEqual(tx.provider_reference, intent["id"])
        self.fake.assert_clean()

    @mute_logger(*LOGGERS)
    def test_intent_without_our_reference_pays_nothing(self):
        tx, intent = self._own_paid_intent()
        response, _payload, _headers = self._post_event(
            "payment_intent.succeeded", dict(intent, metadata={})
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._events().result, "error")
        self.assertEqual(tx.state, "draft")
        self.fake.assert_clean()


@tagged("post_install", "-at_install")
class TestMalformedSignatureHeader(StripeMtoHttpCase):
    """Whatever the Stripe-Signature header holds, a refusal is a 400 and nothing is read."""

    @mute_logger(*LOGGERS)
    def test_every_malformed_header_is_a_400(self):
        tx, intent_id = self._start_payment(self._quotation())
        self.fake.complete_payment(intent_id)
        payload, headers = signed_webhook(
            "payment_intent.succeeded", self.fake.payment_intents[intent_id]
        )
        valid = headers["Stripe-Signature"]
        now = str(int(time.time()))
        malformed = {
            "not UTF-8": b"t=" + now.encode() + b",v1=\xff\xfe\xfd",
            "not UTF-8 alone": b"\xc3\x28\xa0\xa1",
            "non-ASCII digits": "t=\u00b2\u00b3,v1=abc".encode(),
            "non-ASCII signature": f"t={now},v1=\u00e9\u00e8".encode(),
            "valid then not UTF-8": valid.encode() + b",v1=\xff",
            "no signature": f"t={now}",
            "no timestamp": valid.split(",", 1)[1],
            "empty parts": ",,,=,t=,v1=",
            "garbage": "Bearer 0123456789abcdef",
            "two timestamps": f"t={now},{valid}",
            "negative timestamp": f"t=-{now},v1=00",
            "huge": f"t={now}," + ",".join(["v1=" + "ab" * 32] * 900),
            "one huge value": f"t={now},v1=" + "a" * 60000,
        }
        for name, header in malformed.items():
            with self.subTest(name):
                response = self._post_raw(payload, {"Stripe-Signature": header})
                self.assertEqual(response.status_code, 400)
                self.assertFalse(self._events())
                self.assertEqual(tx.state, "draft")
        # The same request, well signed, still goes through.
        response = self._post_raw(payload, headers)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(tx.state, "done")
        self.fake.assert_clean()


@tagged("post_install", "-at_install")
class TestWebhookOfAnotherCompany(StripeMtoHttpCase):
    """Two companies, each with its own Stripe account: an event signed with one account's
    secret touches that account's payments only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Other Retailer"})
        cls.other_provider = cls.env["payment.provider"].create(
            {
                "name": "Stripe (Other Retailer)",
                "code": "stripe",
                "state": "test",
                "company_id": cls.other_company.id,
                "stripe_publishable_key": "pk_test_51MtoOtherPublishableKey",
                "stripe_secret_key": cls.provider.stripe_secret_key,
                "stripe_webhook_secret": OTHER_WEBHOOK_SECRET,
                "stripe_mto_timeout": 5,
            }
        )

    def setUp(self):
        super().setUp()
        # Never the real Stripe, even if the other account were (wrongly) asked something.
        self.other_provider.stripe_mto_api_base_url = self.fake.base_url

    @mute_logger(*LOGGERS)
    def test_success_signed_by_the_other_account_pays_nothing(self):
        order = self._quotation()
        tx, intent_id = self._start_payment(order)
        self.fake.complete_payment(intent_id)
        response, _payload, _headers = self._post_event(
            "payment_intent.succeeded",
            self.fake.payment_intents[intent_id],
            secret=OTHER_WEBHOOK_SECRET,
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._events().result, "error")
        self.assertEqual(self._events().provider_id, self.other_provider)
        self.assertEqual(tx.state, "draft")
        self.assertEqual(order.state, "draft")
        self.fake.assert_clean()

    @mute_logger(*LOGGERS)
    def test_refund_and_dispute_signed_by_the_other_account_change_nothing(self):
        order, tx = self._pay_deposit()
        intent = self.fake.payment_intents[tx.provider_reference]
        charge = charge_of(intent, amount_refunded=intent["amount"], refunded=True)
        dispute = dispute_of(intent, "dp_FakeOtherAccount0001", "fraudulent")
        for event_type, data_object in (
            ("charge.refunded", charge),
            ("charge.dispute.created", dispute),
        ):
            response, _payload, _headers = self._post_event(
                event_type, data_object, secret=OTHER_WEBHOOK_SECRET
            )
            self.assertEqual(response.status_code, 200)
        self.assertEqual(set(self._events().mapped("result")), {"error"})
        self.assertFalse(tx.child_transaction_ids)
        self.assertFalse(order.stripe_mto_exception)
        self.fake.assert_clean()

    def test_same_secret_for_both_companies_still_works(self):
        """One Stripe account (one endpoint, one secret) for both companies."""
        self.other_provider.stripe_webhook_secret = self.provider.stripe_webhook_secret
        tx, intent_id = self._start_payment(self._quotation())
        self.fake.complete_payment(intent_id)
        response, _payload, _headers = self._post_event(
            "payment_intent.succeeded", self.fake.payment_intents[intent_id]
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(tx.state, "done")
        self.fake.assert_clean()
