import json

from odoo import Command

from odoo.addons.payment_stripe_mto.tests.common import StripeMtoHttpCase
from odoo.addons.storefront_api.rate_limit import limiter

API = "/api/v1"


class StorefrontCase(StripeMtoHttpCase):
    """The retailer's catalogue behind the storefront API, with the storefront's key, a 30%
    Stripe deposit against the local Stripe fake, and taxes as in France and the US."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.endpoint = cls.env.ref("storefront_api.fastapi_endpoint_storefront")
        cls.endpoint._handle_registry_sync()  # routed in this test's transaction too
        cls.storefront = cls.env["storefront.api.key"].create({"name": "Storefront"})
        cls.storefront_key = cls.storefront._storefront_generate()
        cls.app = cls.env["storefront.api.key"].create({"name": "Mobile app"})
        cls.app_key = cls.app._storefront_generate()
        cls.table.product_tmpl_id.write(
            {"storefront_width": 200, "storefront_depth": 90, "storefront_height": 75}
        )
        cls.collection = cls.env["product.tag"].create({"name": "Test Oak Collection"})
        cls.table.product_tag_ids = [Command.link(cls.collection.id)]
        cls.vat20 = cls.env["account.tax"].create(
            {
                "name": "Test VAT 20%",
                "amount": 20,
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
        cls.side_table.taxes_id = [Command.set(cls.vat20.ids)]
        cls.side_table.product_tmpl_id.write(
            {"storefront_width": 60, "storefront_depth": 40, "storefront_height": 55}
        )
        cls.side_table.standard_price = 333.33  # a cost: never in an answer
        cls.hidden = cls._create_product(
            "Test Staff-only Cushion", False, cls.categ_lamps, cls.workshop, price=10
        )
        cls.hidden.sale_ok = False
        cls.france = cls.env.ref("base.fr")
        cls.usa = cls.env.ref("base.us")

    def setUp(self):
        super().setUp()
        limiter.reset()
        self.addCleanup(limiter.reset)

    def api(self, method, path, body=None, *, key=None, token=None, headers=None, raw=None):
        """A request to the storefront API as a client application does it."""
        sent = {"X-API-Key": key if key is not None else self.storefront_key}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        sent.update(headers or {})
        if body is not None:
            sent["Content-Type"] = "application/json"
            raw = json.dumps(body)
        return self.opener.request(
            method, self.base_url() + API + path, data=raw, headers=sent, timeout=60
        )

    def sign_up(self, email, name="Test Client", password="a-long-passphrase"):
        response = self.api(
            "POST",
            "/account/sign-up",
            {"name": name, "email": email, "password": password, "country": "FR"},
        )
        self.assertEqual(response.status_code, 201, response.text)
        return response.json()

    def guest(self, **extra):
        return {
            "name": "Guest Buyer",
            "email": "guest.buyer@example.com",
            "street": "12 Rue des Tests",
            "city": "Lyon",
            "zip": "69001",
            "country": "FR",
            **extra,
        }
