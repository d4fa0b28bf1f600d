from odoo import Command
from odoo.tests import HttpCase

from odoo.addons.connector_common.tests.common import trap_jobs
from odoo.addons.mto_production.tests.common import MtoProductionCase

from .stripe_fake import (
    SECRET_KEY,
    WEBHOOK_SECRET,
    StripeFake,
    charge_of,
    dispute_of,
    signed_webhook,
    stripe_object,
)

__all__ = [
    "SECRET_KEY",
    "WEBHOOK_SECRET",
    "StripeFake",
    "StripeMtoCase",
    "StripeMtoHttpCase",
    "charge_of",
    "dispute_of",
    "signed_webhook",
    "stripe_object",
    "trap_jobs",
]


class StripeMtoCase(MtoProductionCase):
    """The retailer takes a 30% deposit through Odoo's Stripe provider, pointed at a local
    Stripe that checks every request against Stripe's OpenAPI file."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The balance charge is a job: run at once here, except where a test traps it.
        cls.env = cls.env(context=dict(cls.env.context, queue_job__no_delay=True))
        cls.company.write(
            {
                "mto_deposit": True,
                "portal_confirmation_pay": True,
                "prepayment_percent": 0.3,
                "mto_invoice_balance_on_delivery": True,
            }
        )
        # Prices without tax keep the figures of the stories readable.
        (cls.table | cls.lamp).taxes_id = [Command.clear()]
        cls.card = cls.env.ref("payment.payment_method_card")
        cls.provider = cls.env.ref("payment.payment_provider_stripe")
        cls.provider.write(
            {
                "state": "test",
                "company_id": cls.company.id,
                "stripe_publishable_key": "pk_test_51MtoFakePublishableKey",
                "stripe_secret_key": SECRET_KEY,
                "stripe_webhook_secret": WEBHOOK_SECRET,
                "stripe_mto_timeout": 5,
                "payment_method_ids": [Command.link(cls.card.id)],
            }
        )
        cls.card.active = True

    def setUp(self):
        super().setUp()
        # A fresh Stripe for each test: the tests' rolled-back transactions reuse the same
        # references, which a Stripe that remembered them would rightly refuse.
        self.fake = StripeFake().start()
        self.addCleanup(self.fake.stop)
        self.provider.stripe_mto_api_base_url = self.fake.base_url

    def tearDown(self):
        self.fake.assert_clean()
        super().tearDown()

    # -- the customer at the payment page -----------------------------------------------------

    def _quotation(self, *lines):
        return self._sell(*(lines or [(self.table, 1)]), confirm=False)

    def _start_payment(self, order, amount=None, *, save_card=True):
        """The customer clicks "Pay" on the portal: a transaction and its PaymentIntent."""
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.card.id,
                "reference": self.env["payment.transaction"]._compute_reference(
                    "stripe", prefix=order.name
                ),
                "amount": amount or order._get_prepayment_required_amount(),
                "currency_id": order.currency_id.id,
                "partner_id": order.partner_id.id,
                "operation": "online_direct",
                "tokenize": save_card,
                "sale_order_ids": [Command.set(order.ids)],
            }
        )
        processing_values = tx._get_processing_values()
        intent_id = processing_values["client_secret"].split("_secret_")[0]
        return tx, intent_id

    def _stripe_confirms(self, tx, intent_id):
        """The Payment Element confirmed the intent; Stripe's success reaches Odoo."""
        self.fake.complete_payment(intent_id)
        tx._stripe_mto_apply_intent(self.fake.payment_intents[intent_id])
        return tx

    def _pay_deposit(self, order=None):
        order = order or self._quotation()
        tx, intent_id = self._start_payment(order)
        self._stripe_confirms(tx, intent_id)
        return order, tx


class StripeMtoHttpCase(StripeMtoCase, HttpCase):
    """The same, with Stripe's webhook requests sent over HTTP to Odoo."""

    webhook_url = "/payment/stripe/webhook"

    def _post_event(self, event_type, data_object, **kwargs):
        payload, headers = signed_webhook(event_type, data_object, **kwargs)
        return self._post_raw(payload, headers), payload, headers

    def _post_raw(self, payload, headers):
        return self.url_open(
            self.webhook_url,
            data=payload,
            headers={"Content-Type": "application/json", **headers},
        )

    def _events(self):
        return self.env["payment.stripe.event"].search([])
