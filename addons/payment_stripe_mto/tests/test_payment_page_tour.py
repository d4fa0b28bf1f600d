from types import SimpleNamespace
from unittest.mock import patch
from urllib.parse import urlsplit

from odoo.tests import tagged

from .common import StripeMtoHttpCase

STAND_IN = "/payment_stripe_mto/static/tests/stripe_js_stand_in.js"


@tagged("post_install", "-at_install")
class TestPaymentPageInBrowser(StripeMtoHttpCase):
    """The payment page of a deposit, in a real browser, with the checkout's JavaScript and
    Odoo's own, against a stand-in for Stripe.js (the page never loads js.stripe.com) and
    the local fake Stripe for the server's calls."""

    def setUp(self):
        super().setUp()
        sdk = self.env.ref("payment_stripe.sdk_assets")
        self.assertIn("https://js.stripe.com/v3/", sdk.arch)
        sdk.arch = sdk.arch.replace("https://js.stripe.com/v3/", STAND_IN)
        self.provider.is_published = True  # offered to customers, not only to employees

    def test_deposit_payment_link_page(self):
        order = self._quotation()
        # The link's access token is signed with the request's environment: lend it ours.
        with patch("odoo.addons.payment.utils.request", SimpleNamespace(env=self.env)):
            link = (
                self.env["payment.link.wizard"]
                .with_context(active_model="sale.order", active_id=order.id)
                .create({})
                .link
            )
        parts = urlsplit(link)
        self.start_tour(f"{parts.path}?{parts.query}", "stripe_mto_payment_form")

        tx = order.transaction_ids
        self.assertEqual(len(tx), 1, "one transaction for the click")
        self.assertEqual(tx.amount, order._get_prepayment_required_amount(), "the deposit")
        self.assertEqual(tx.state, "draft", "declined in the browser: nothing paid")
        (request,) = self.fake.requests_to("post", "/v1/payment_intents")
        self.assertEqual(request.form["automatic_payment_methods"]["enabled"], "true")
        self.assertNotIn("payment_method_types", request.form)
        self.assertTrue(request.header("Idempotency-Key"))
        self.fake.assert_clean()
