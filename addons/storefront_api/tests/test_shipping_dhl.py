from odoo.tests import tagged

from odoo.addons.delivery_dhl_express.tests.common import DhlExpressCase

from .common import StorefrontCase


@tagged("post_install", "-at_install")
class TestShippingWithDhl(StorefrontCase, DhlExpressCase):
    """Shipping rates and the chosen carrier at checkout come from the DHL Express connector
    (Odoo's rate_shipment), against the local fake MyDHL API."""

    def setUp(self):
        super().setUp()
        # Both bases call their fake ``self.fake``: the Stripe one is the instance's, DHL's
        # is the class's.
        self.dhl = type(self).fake
        self.table.write(
            {"weight": 45.0, "packed_length": 210, "packed_width": 100, "packed_height": 20}
        )

    def tearDown(self):
        self.fake.assert_clean()  # Stripe's
        self.fake = self.dhl  # DhlExpressCase checks every request its fake received
        super().tearDown()

    def _cart(self):
        return {
            "lines": [
                {"product_id": self.table.id, "measurements": [{"code": "width", "value": 180}]}
            ],
            "shipping_address": {
                "name": "Greta Guest",
                "email": "greta@example.com",
                "phone": "+49 40 123456",
                "street": "Elbchaussee 100",
                "zip": "22763",
                "city": "Hamburg",
                "country": "DE",
            },
        }

    def test_rates_then_checkout_with_dhl(self):
        orders = self.env["sale.order"].search_count([])
        response = self.api("POST", "/checkout/shipping-rates", self._cart())
        self.assertEqual(response.status_code, 200, response.text)
        (rate,) = [r for r in response.json() if r["carrier_id"] == self.carrier.id]
        self.assertTrue(rate["available"], rate["message"])
        self.assertGreater(rate["price"], 0)
        self.assertEqual(len(self.dhl.requests_to("post", "/rates")), 1)
        self.assertEqual(self.env["sale.order"].search_count([]), orders, "nothing saved")

        body = self._cart()
        body["customer"] = body.pop("shipping_address")
        body["carrier_id"] = self.carrier.id
        response = self.api("POST", "/checkout", body, headers={"Idempotency-Key": "dhl-0001"})
        self.assertEqual(response.status_code, 201, response.text)
        answer = response.json()
        self.assertEqual(answer["shipping"]["price"], rate["price"])
        order = self.env["sale.order"].search([("name", "=", answer["reference"])])
        self.assertEqual(order.carrier_id, self.carrier)
        self.assertEqual(order.amount_untaxed, 4000 + rate["price"])
