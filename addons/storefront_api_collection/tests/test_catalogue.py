from odoo.tests import tagged

from odoo.addons.storefront_api.tests.common import StorefrontCase


@tagged("post_install", "-at_install")
class TestRestrictedCollectionInTheApi(StorefrontCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vip = cls.env["res.partner.category"].create({"name": "VIP (API test)"})
        cls.env["sale.collection"].create(
            {
                "name": "Numbered tables",
                "access": "restricted",
                "product_tmpl_ids": [(6, 0, cls.table.product_tmpl_id.ids)],
                "partner_category_ids": [(6, 0, cls.vip.ids)],
            }
        )

    def _names(self, token=None):
        response = self.api("GET", "/catalogue/products?search=Test&page_size=100", token=token)
        self.assertEqual(response.status_code, 200, response.text)
        return [item["name"] for item in response.json()["items"]]

    def test_only_the_collections_clients_see_and_quote_its_pieces(self):
        template = self.table.product_tmpl_id
        self.assertNotIn(template.name, self._names(), "a guest is no client of the collection")
        quote = {"product_id": self.table.id, "measurements": [{"code": "width", "value": 180}]}
        self.assertEqual(self.api("POST", "/quote", quote).status_code, 404)

        client = self.sign_up("vip.client@example.com")
        token = client["access_token"]
        self.assertNotIn(template.name, self._names(token), "not a VIP yet")
        user = self.env["res.users"].search([("login", "=", "vip.client@example.com")])
        user.partner_id.commercial_partner_id.category_id = self.vip
        self.assertIn(template.name, self._names(token))
        self.assertNotEqual(self.api("POST", "/quote", quote, token=token).status_code, 404)
