from odoo.tests import tagged

from .common import StorefrontCase


@tagged("post_install", "-at_install")
class TestCheckout(StorefrontCase):
    def _cart(self, **extra):
        return {
            "lines": [
                {
                    "product_id": self.table.id,
                    "measurements": [{"code": "width", "value": 180}],
                }
            ],
            "customer": self.guest(),
            **extra,
        }

    def _checkout(self, body, key="order-0001-attempt"):
        return self.api("POST", "/checkout", body, headers={"Idempotency-Key": key})

    def _order(self, reference):
        return self.env["sale.order"].search([("name", "=", reference)])

    def test_browse_quote_checkout_pay_and_the_manufacturer_order_exists(self):
        """The whole path a storefront takes, down to the manufacturer's purchase order."""
        page = self.api("GET", "/catalogue/products?search=Oak Table").json()
        template_id = page["items"][0]["id"]
        detail = self.api("GET", f"/catalogue/products/{template_id}").json()
        variant_id = detail["variants"][0]["id"]
        quote = self.api(
            "POST",
            "/quote",
            {"product_id": variant_id, "measurements": [{"code": "width", "value": 180}]},
        ).json()
        self.assertEqual(quote["total"]["amount"], 4000.0)

        response = self._checkout(self._cart())
        self.assertEqual(response.status_code, 201, response.text)
        answer = response.json()
        order = self._order(answer["reference"])
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.partner_id.name, "Guest Buyer")
        self.assertEqual(order.order_line.mto_measurement_ids.value, 180)
        self.assertEqual(answer["amount_total"], 4000.0)
        payment = answer["payment"]
        self.assertEqual(payment["kind"], "deposit")
        # the amount is the order's own prepayment amount (30% deposit)
        self.assertEqual(payment["amount"], order._get_prepayment_required_amount())
        self.assertEqual(payment["amount"], 1200.0)
        intent_id = payment["client_secret"].split("_secret_")[0]
        self.assertEqual(self.fake.payment_intents[intent_id]["amount"], 120000)
        self.assertFalse(self._purchase_orders(order))

        # the client pays with the Payment Element; Stripe tells Odoo by its webhook
        self.fake.complete_payment(intent_id)
        webhook, _payload, _headers = self._post_event(
            "payment_intent.succeeded", self.fake.payment_intents[intent_id]
        )
        self.assertEqual(webhook.status_code, 200)
        self.assertEqual(order.state, "sale")
        purchase = self._purchase_orders(order)
        self.assertEqual(purchase.partner_id, self.workshop)
        self.assertEqual(purchase.mto_state, "to_validate")
        self.fake.assert_clean()

    def test_full_payment(self):
        answer = self._checkout(self._cart(payment="full")).json()
        self.assertEqual(answer["payment"]["kind"], "full")
        self.assertEqual(answer["payment"]["amount"], 4000.0)

    def test_a_retried_checkout_never_makes_a_second_order(self):
        first = self._checkout(self._cart())
        again = self._checkout(self._cart())
        self.assertEqual(again.status_code, 201)
        self.assertEqual(first.json(), again.json())
        self.assertEqual(
            self.env["sale.order"].search_count([("partner_id.name", "=", "Guest Buyer")]), 1
        )
        intents = self.fake.requests_to("post", "/v1/payment_intents")
        self.assertEqual(len(intents), 1)
        other = self._checkout(self._cart(payment="full"))
        self.assertEqual(other.status_code, 422)
        self.assertIn("used for another request", other.json()["detail"])
        # another application may use the same key for its own order
        own = self.api(
            "POST",
            "/checkout",
            self._cart(),
            key=self.app_key,
            headers={"Idempotency-Key": "order-0001-attempt"},
        )
        self.assertEqual(own.status_code, 201)
        self.assertNotEqual(own.json()["reference"], first.json()["reference"])

    def test_a_refused_checkout_leaves_nothing_behind(self):
        partners = self.env["res.partner"].search_count([])
        body = self._cart()
        body["lines"][0]["measurements"] = [{"code": "width", "value": 5}]
        response = self._checkout(body, key="order-0002-attempt")
        self.assertEqual(response.status_code, 422)
        self.assertIn("must be 60.0 to 400.0 cm", response.json()["detail"])
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        # the same key, corrected: the first attempt did not use it up
        body["lines"][0]["measurements"] = [{"code": "width", "value": 150}]
        self.assertEqual(self._checkout(body, key="order-0002-attempt").status_code, 201)

    def test_checkout_needs_a_key_and_a_customer(self):
        missing_key = self.api("POST", "/checkout", self._cart())
        self.assertEqual(missing_key.status_code, 422)
        body = self._cart()
        del body["customer"]
        self.assertEqual(self._checkout(body).status_code, 422)

    def test_signed_in_client_checks_out_in_its_own_name(self):
        tokens = self.sign_up("buyer@example.com", name="Signed Buyer")
        body = self._cart()
        del body["customer"]
        body["shipping_address"] = self.guest(name="Signed Buyer at home")
        response = self.api(
            "POST",
            "/checkout",
            body,
            token=tokens["access_token"],
            headers={"Idempotency-Key": "signed-0001"},
        )
        self.assertEqual(response.status_code, 201, response.text)
        order = self._order(response.json()["reference"])
        self.assertEqual(order.partner_id.email, "buyer@example.com")
        self.assertEqual(order.partner_shipping_id.parent_id, order.partner_id)
        listed = self.api("GET", "/account/orders", token=tokens["access_token"]).json()
        self.assertEqual([o["reference"] for o in listed], [order.name])
        self.assertEqual(listed[0]["stage"], "awaiting_payment")

    def test_shipping_rates_without_a_carrier_are_empty_and_save_nothing(self):
        orders = self.env["sale.order"].search_count([])
        response = self.api(
            "POST",
            "/checkout/shipping-rates",
            {"lines": self._cart()["lines"], "shipping_address": self.guest()},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertIsInstance(response.json(), list)
        self.assertEqual(self.env["sale.order"].search_count([]), orders)

    def test_no_stripe_account_is_a_409(self):
        self.provider.state = "disabled"
        response = self._checkout(self._cart(), key="order-0003-attempt")
        self.assertEqual(response.status_code, 409)
        self.assertIn("no Stripe account", response.json()["detail"])
