import json

from odoo.tests import tagged

from odoo.addons.fastapi.pools import fastapi_app_pool

from .common import StorefrontCase


@tagged("post_install", "-at_install")
class TestSafety(StorefrontCase):
    """What a client may send, and what it may never get."""

    def test_no_key_a_wrong_key_or_a_missing_scope(self):
        self.assertEqual(self.api("GET", "/catalogue/products", key="").status_code, 401)
        self.assertEqual(
            self.api("GET", "/catalogue/products", key="sfk_000000000000_guess").status_code, 401
        )
        self.assertEqual(
            self.api("GET", "/catalogue/products", key=self.storefront_key + "x").status_code, 401
        )
        self.app.scope_checkout = False
        response = self.api(
            "POST",
            "/checkout",
            {"lines": [{"product_id": self.lamp.id}]},
            key=self.app_key,
            headers={"Idempotency-Key": "scope-0001"},
        )
        self.assertEqual(response.status_code, 403)
        self.app.active = False
        self.assertEqual(self.api("GET", "/catalogue/products", key=self.app_key).status_code, 401)

    def test_keys_are_stored_hashed(self):
        secret = self.storefront_key.split("_", 2)[2]  # the secret may hold "_" itself
        self.assertGreaterEqual(len(secret), 40)
        self.assertNotIn(
            secret,
            json.dumps(self.storefront.sudo().read(), default=str),
        )

    def test_rate_limits_per_key_and_per_address(self):
        self.storefront.rate_limit = 3
        self.env.flush_all()
        codes = [self.api("GET", "/catalogue/categories").status_code for _i in range(4)]
        self.assertEqual(codes, [200, 200, 200, 429])
        self.assertEqual(
            self.api("GET", "/catalogue/categories", key=self.app_key).status_code,
            200,
            "another key has its own budget",
        )
        self.endpoint.storefront_ip_rate_limit = 2
        self.env.flush_all()
        response = self.api("GET", "/catalogue/categories", key=self.app_key)
        self.assertEqual(response.status_code, 429)
        self.assertTrue(response.headers["Retry-After"])

    def test_cors_only_for_configured_origins(self):
        preflight = {
            "Origin": "https://shop.example.com",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "X-API-Key, Idempotency-Key",
        }
        refused = self.api("OPTIONS", "/checkout", headers=preflight)
        self.assertNotEqual(
            refused.headers.get("Access-Control-Allow-Origin"), "https://shop.example.com"
        )
        self.endpoint.storefront_cors_origins = "https://shop.example.com\n"
        # what the commit's cache signal does between server processes
        fastapi_app_pool.invalidate(self.env)
        allowed = self.api("OPTIONS", "/checkout", headers=preflight)
        self.assertEqual(allowed.status_code, 200)
        self.assertEqual(allowed.headers["Access-Control-Allow-Origin"], "https://shop.example.com")
        other = self.api(
            "OPTIONS", "/checkout", headers={**preflight, "Origin": "https://evil.example"}
        )
        self.assertNotIn("Access-Control-Allow-Origin", other.headers)

    def test_bad_input_is_a_clear_4xx(self):
        cases = [
            ("GET", "/catalogue/products/99999999999", None),
            ("GET", "/catalogue/products?page=0", None),
            ("GET", "/catalogue/products?sort=cost", None),
            ("GET", "/catalogue/products?search=a%00b", None),
            ("GET", "/catalogue/products?country=ZZ", None),
            (
                "POST",
                "/quote",
                {"product_id": self.table.id, "measurements": [{"code": "width", "value": -1}]},
            ),
            ("POST", "/quote", {"product_id": self.table.id, "surprise": 1}),
            ("POST", "/quote", {"product_id": 2147483647}),
            (
                "POST",
                "/room-fit",
                {
                    "width": 100,
                    "depth": 100,
                    "openings": [{"kind": "door", "wall": "south", "offset": 90, "width": 80}],
                },
            ),
        ]
        for method, path, body in cases:
            with self.subTest(path=path, body=body):
                response = self.api(method, path, body)
                self.assertIn(response.status_code, (400, 404, 422), response.text)
                self.assertTrue(response.json()["detail"])
        unreadable = self.api("GET", "/catalogue/categories", headers={"Accept-Language": ";Cq*"})
        self.assertEqual(unreadable.status_code, 200, "an unreadable language is the default")
        broken = self.api(
            "POST", "/quote", raw="{not json", headers={"Content-Type": "application/json"}
        )
        self.assertEqual(broken.status_code, 422)

    def test_no_internal_field_in_any_answer(self):
        """Costs, manufacturers, their prices and other clients never show."""
        other = self.sign_up("other@example.com", name="Other Client Zebulon")
        order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "order_line": [(0, 0, {"product_id": self.lamp.id})]}
        )
        private = [
            "Test Workshop",
            "Other Workshop",
            "orders@workshop.example",
            "333.33",
            "Mrs Customer",
            "customer@example.com",
            "1 Private Lane",
            order.name,
            "Other Client Zebulon",
            "other@example.com",
        ]
        mine = self.sign_up("me@example.com", name="Me")
        texts = self._read_everything(mine["access_token"])
        leaks = [
            f"{value!r} in {where}"
            for where, text in texts.items()
            for value in private
            if value in text
        ]
        self.assertFalse(leaks, "\n".join(leaks))
        self.assertTrue(other)

    def _read_everything(self, token):
        """Every GET of the API, as the signed-in client, on every product."""
        texts = {}
        paths = [
            "/catalogue/categories",
            "/catalogue/collections",
            "/catalogue/products?page_size=100",
            "/account/me",
            "/account/orders",
            "/account/invoices",
        ]
        products = self.api("GET", "/catalogue/products?page_size=100", token=token).json()
        paths += [f"/catalogue/products/{p['id']}" for p in products["items"]]
        for path in paths:
            texts[path] = self.api("GET", path, token=token).text
        texts["room-fit"] = self.api(
            "POST", "/room-fit", {"width": 500, "depth": 400}, token=token
        ).text
        texts["quote"] = self.api(
            "POST", "/quote", {"product_id": self.side_table.id}, token=token
        ).text
        return texts

    def test_a_client_token_never_reaches_another_clients_orders(self):
        alice = self.sign_up("alice.iso@example.com", name="Alice Iso")
        bob = self.sign_up("bob.iso@example.com", name="Bob Iso")
        body = {"lines": [{"product_id": self.lamp.id}], "payment": "full"}
        order = self.api(
            "POST",
            "/checkout",
            body,
            token=alice["access_token"],
            headers={"Idempotency-Key": "alice-0001"},
        ).json()["reference"]
        self.assertEqual(
            self.api("GET", f"/account/orders/{order}", token=bob["access_token"]).status_code, 404
        )
        bob_orders = self.api("GET", "/account/orders", token=bob["access_token"]).json()
        self.assertEqual(bob_orders, [])
        texts = self._read_everything(bob["access_token"])
        leaks = [where for where, text in texts.items() if order in text or "Alice Iso" in text]
        self.assertFalse(leaks)
        # nor through a guest checkout in Alice's e-mail: it makes a new contact
        guest = self.api(
            "POST",
            "/checkout",
            {
                "lines": [{"product_id": self.lamp.id}],
                "payment": "full",
                "customer": self.guest(email="alice.iso@example.com"),
            },
            headers={"Idempotency-Key": "guest-as-alice"},
        ).json()
        alice_partner = (
            self.env["res.users"].search([("login", "=", "alice.iso@example.com")]).partner_id
        )
        guest_order = self.env["sale.order"].search([("name", "=", guest["reference"])])
        self.assertNotEqual(guest_order.partner_id, alice_partner)
