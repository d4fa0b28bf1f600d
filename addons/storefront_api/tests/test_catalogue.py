from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from .common import StorefrontCase


@tagged("post_install", "-at_install")
class TestCatalogue(StorefrontCase):
    def _products(self, **params):
        query = "&".join(f"{k}={v}" for k, v in params.items())
        response = self.api("GET", f"/catalogue/products?{query}")
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def test_products_the_client_may_buy_with_prices_stock_and_lead_time(self):
        page = self._products(search="Test", page_size=100)
        names = [item["name"] for item in page["items"]]
        self.assertIn("Test Oak Table", names)
        self.assertNotIn("Test Staff-only Cushion", names, "sale_ok is respected")
        table = next(i for i in page["items"] if i["name"] == "Test Oak Table")
        self.assertTrue(table["made_to_order"])
        self.assertEqual(table["availability"]["status"], "made_to_order")
        self.assertEqual(table["availability"]["lead_time_days"], 30)
        self.assertEqual(table["dimensions"], {"width": 200.0, "depth": 90.0, "height": 75.0})
        self.assertEqual(table["collection_ids"], self.collection.ids)
        side = next(i for i in page["items"] if i["name"] == "Test Side Table")
        self.assertEqual(
            side["availability"], {"status": "in_stock", "quantity": 5.0, "lead_time_days": 0}
        )

    def test_taxes_shown_the_way_the_country_expects(self):
        france = self._products(search="Side", country="FR")["items"][0]["price"]
        usa = self._products(search="Side", country="US")["items"][0]["price"]
        self.assertEqual(france["tax_display"], "tax_included")
        self.assertEqual(france["amount"], 1080.0)  # 900 + 20%
        self.assertEqual(usa["tax_display"], "tax_excluded")
        # In the price list of the United States (its own currency where the database has
        # one, as the demo story's): shown without tax, the 20% added at the till.
        self.assertEqual(usa["amount"], usa["amount_untaxed"])
        self.assertAlmostEqual(usa["amount_tax_included"], usa["amount_untaxed"] * 1.2, delta=0.01)

    def test_a_guest_gets_the_price_list_of_the_country_asked(self):
        """A guest's prices come from the price list Odoo gives a client of the country
        asked (its country groups), in that price list's currency; without a country, from
        the price list of clients without one."""
        usd, chf = self.env.ref("base.USD"), self.env.ref("base.CHF")
        (usd | chf).active = True
        switzerland = self.env.ref("base.ch")
        regions = {}
        for country, currency, price in ((self.usa, usd, 990), (switzerland, chf, 870)):
            group = self.env["res.country.group"].create(
                {"name": f"Test {country.name}", "country_ids": [Command.set(country.ids)]}
            )
            regions[country.code] = self.env["product.pricelist"].create(
                {
                    "name": f"Test {country.name} ({currency.name})",
                    "sequence": 1,  # before any other price list of the country
                    "currency_id": currency.id,
                    "country_group_ids": [Command.set(group.ids)],
                    "item_ids": [
                        Command.create(
                            {
                                "applied_on": "1_product",
                                "product_tmpl_id": self.side_table.product_tmpl_id.id,
                                "compute_price": "fixed",
                                "fixed_price": price,
                            }
                        )
                    ],
                }
            )
        self.env.flush_all()
        for code, currency, amount in (("US", "USD", 990.0), ("CH", "CHF", 870.0)):
            with self.subTest(country=code):
                client = self.env["res.partner"].create(
                    {
                        "name": f"Test client {code}",
                        "country_id": self.env.ref(f"base.{code.lower()}").id,
                    }
                )
                self.assertEqual(client.property_product_pricelist, regions[code])
                price = self._products(search="Side", country=code)["items"][0]["price"]
                self.assertEqual((price["currency"], price["amount_untaxed"]), (currency, amount))
        # No country: the price list of a client without one
        fallback = (
            self.env["res.partner"].create({"name": "Test client"}).property_product_pricelist
        )
        nowhere = self._products(search="Side")["items"][0]["price"]
        self.assertNotIn(fallback, regions.values())
        self.assertEqual(nowhere["currency"], fallback.currency_id.name)
        self.assertEqual(
            nowhere["amount_untaxed"], fallback._get_product_price(self.side_table, 1.0)
        )

    def test_filter_sort_and_pages(self):
        by_category = self._products(category_id=self.categ_tables.id, sort="-price")
        self.assertEqual(
            [i["name"] for i in by_category["items"]],
            ["Test Oak Table", "Test Side Table"],
        )
        first = self._products(search="Test", sort="name", page_size=1, page=1)
        second = self._products(search="Test", sort="name", page_size=1, page=2)
        self.assertEqual(first["total"], second["total"])
        self.assertGreaterEqual(first["total"], 4)
        self.assertNotEqual(first["items"][0]["id"], second["items"][0]["id"])
        made = self._products(search="Test", availability="made_to_order")
        self.assertEqual({i["name"] for i in made["items"]}, {"Test Oak Table", "Test Sofa"})
        collection = self._products(collection_id=self.collection.id)
        self.assertEqual([i["name"] for i in collection["items"]], ["Test Oak Table"])

    def test_etag_answers_304_until_the_catalogue_changes(self):
        first = self.api("GET", "/catalogue/products?search=Oak")
        etag = first.headers["ETag"]
        again = self.api("GET", "/catalogue/products?search=Oak", headers={"If-None-Match": etag})
        self.assertEqual(again.status_code, 304)
        self.assertFalse(again.content)
        self.table.list_price = 4100
        changed = self.api("GET", "/catalogue/products?search=Oak", headers={"If-None-Match": etag})
        self.assertEqual(changed.status_code, 200)
        self.assertNotEqual(changed.headers["ETag"], etag)

    def test_made_to_order_detail_lists_measurements_values_and_files(self):
        response = self.api("GET", f"/catalogue/products/{self.table.product_tmpl_id.id}")
        self.assertEqual(response.status_code, 200, response.text)
        detail = response.json()
        self.assertEqual(
            detail["measurements"],
            [
                {
                    "code": "width",
                    "name": "Width",
                    "unit": "cm",
                    "min": 60.0,
                    "max": 400.0,
                    "required": True,
                },
                {
                    "code": "height",
                    "name": "Height",
                    "unit": "cm",
                    "min": 40.0,
                    "max": 110.0,
                    "required": False,
                },
            ],
        )
        self.assertEqual(
            detail["required_documents"],
            [{"code": "t_cad", "name": "Test CAD", "description": None}],
        )
        self.assertEqual([v["id"] for v in detail["variants"]], [self.table.id])

    def test_hidden_products_answer_404(self):
        response = self.api("GET", f"/catalogue/products/{self.hidden.product_tmpl_id.id}")
        self.assertEqual(response.status_code, 404)
        self.assertIn("No product", response.json()["detail"])

    def test_one_hook_restricts_every_endpoint(self):
        """A restricted-collections module extends one method; the catalogue, the detail and
        the quote all obey it."""
        Template = self.registry["product.template"]
        original = Template._storefront_can_buy_domain
        table_tmpl = self.table.product_tmpl_id.id

        def restricted(model, partner):
            return [*original(model, partner), ("id", "!=", table_tmpl)]

        with patch.object(Template, "_storefront_can_buy_domain", restricted):
            names = [i["name"] for i in self._products(search="Test", page_size=100)["items"]]
            self.assertNotIn("Test Oak Table", names)
            detail = self.api("GET", f"/catalogue/products/{table_tmpl}")
            self.assertEqual(detail.status_code, 404)
            quote = self.api(
                "POST",
                "/quote",
                {"product_id": self.table.id, "measurements": [{"code": "width", "value": 180}]},
            )
            self.assertEqual(quote.status_code, 404)

    def test_categories_and_collections(self):
        categories = self.api("GET", "/catalogue/categories").json()
        self.assertIn(self.categ_tables.id, [c["id"] for c in categories])
        collections = self.api("GET", "/catalogue/collections").json()
        self.assertIn({"id": self.collection.id, "name": "Test Oak Collection"}, collections)

    def test_the_catalogue_hooks_may_read_a_guest(self):
        """For a guest the hooks are asked about Odoo's public partner, which the API's
        runner could not read itself (OCA fastapi's rule on partners: its own and the
        signed-in client's only): they get it readable, and the guest gets the catalogue."""
        template_class = type(self.env["product.template"])
        original = template_class._storefront_can_buy_domain
        seen = []

        def reading(model, partner):
            seen.append((partner.name, partner.category_id.ids, partner.country_id.code))
            return original(model, partner)

        with patch.object(template_class, "_storefront_can_buy_domain", reading):
            response = self.api("GET", "/catalogue/products?search=Test&country=FR")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertTrue(response.json()["items"])
        self.assertEqual(seen[0][0], self.env.ref("base.public_partner").sudo().name)
