from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import StorefrontCase


@tagged("post_install", "-at_install")
class TestAccount(StorefrontCase):
    def test_sign_up_sign_in_refresh_and_sign_out(self):
        tokens = self.sign_up("alice@example.com", name="Alice")
        me = self.api("GET", "/account/me", token=tokens["access_token"]).json()
        self.assertEqual(me, {"name": "Alice", "email": "alice@example.com", "country": "FR"})
        again = self.api(
            "POST",
            "/account/sign-up",
            {"name": "Alice", "email": "Alice@example.com", "password": "a-long-passphrase"},
        )
        self.assertEqual(again.status_code, 409)
        wrong = self.api(
            "POST", "/account/sign-in", {"email": "alice@example.com", "password": "nope-nope"}
        )
        self.assertEqual(wrong.status_code, 401)
        signed = self.api(
            "POST",
            "/account/sign-in",
            {"email": "alice@example.com", "password": "a-long-passphrase"},
        )
        self.assertEqual(signed.status_code, 200, signed.text)
        refreshed = self.api(
            "POST", "/account/refresh", {"refresh_token": signed.json()["refresh_token"]}
        )
        self.assertEqual(refreshed.status_code, 200)
        reused = self.api(
            "POST", "/account/refresh", {"refresh_token": signed.json()["refresh_token"]}
        )
        self.assertEqual(reused.status_code, 401, "a refresh token works once")
        access = refreshed.json()["access_token"]
        self.assertEqual(self.api("POST", "/account/sign-out", token=access).status_code, 204)
        self.assertEqual(self.api("GET", "/account/me", token=access).status_code, 401)

    def test_tokens_are_stored_hashed_and_expire(self):
        tokens = self.sign_up("bob@example.com")
        stored = self.env["storefront.client.token"].search([])
        self.assertNotIn(tokens["access_token"], stored.mapped("token_hash"))
        self.assertNotIn(self.storefront_key, str(self.storefront.sudo().read()))
        stored.write({"expires_at": fields.Datetime.now() - timedelta(seconds=1)})
        self.assertEqual(
            self.api("GET", "/account/me", token=tokens["access_token"]).status_code, 401
        )

    def test_a_token_only_works_through_the_application_that_issued_it(self):
        tokens = self.sign_up("carol@example.com")
        response = self.api("GET", "/account/me", token=tokens["access_token"], key=self.app_key)
        self.assertEqual(response.status_code, 401)

    def test_staff_cannot_sign_in_through_a_client_application(self):
        self.salesman.password = "salesman-passphrase"
        response = self.api(
            "POST",
            "/account/sign-in",
            {"email": self.salesman.login, "password": "salesman-passphrase"},
        )
        self.assertEqual(response.status_code, 401)

    def test_orders_show_the_production_stage_and_invoices(self):
        tokens = self.sign_up("dan@example.com", name="Dan")
        partner = self.env["res.users"].search([("login", "=", "dan@example.com")]).partner_id
        order = self.env["sale.order"].create(
            {"partner_id": partner.id, "order_line": [(0, 0, {"product_id": self.table.id})]}
        )
        self._measure(order.order_line, width=180)
        order, _tx = self._pay_deposit(order)
        token = tokens["access_token"]
        (listed,) = self.api("GET", "/account/orders", token=token).json()
        self.assertEqual(listed["stage"], "accepted")
        self.assertEqual(listed["amount_paid"], 1200.0)
        purchase = self._purchase_orders(order)
        purchase.mto_state = "in_production"
        detail = self.api("GET", f"/account/orders/{order.name}", token=token).json()
        self.assertEqual(detail["stage"], "in_production")
        invoices = self.api("GET", "/account/invoices", token=token).json()
        self.assertEqual(len(invoices), 1, "the deposit invoice")
        self.assertEqual(invoices[0]["amount_total"], 1200.0)
        self.assertIn("access_token=", invoices[0]["pdf_url"])
