from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import float_round

# country: (price list, currency, factor on the list price in euros before rounding to 10)
REGIONS = {
    "base.fr": ("furniture_suite.pricelist_eu", "EUR", None),
    "base.it": ("furniture_suite.pricelist_eu", "EUR", None),
    "base.uk": ("furniture_suite.pricelist_uk", "GBP", 1.0),
    "base.ch": ("furniture_suite.pricelist_switzerland", "CHF", 1.0),
    "base.us": ("furniture_suite.pricelist_us", "USD", 1.08),
}


@tagged("post_install", "-at_install")
class TestDemoPricing(TransactionCase):
    """Regional price lists, the fair's promotion, Cercle Valmont and the numbered edition,
    as the demo story sets them up, seen by a sales assistant selling to new clients of
    theirs (the story keeps private client books: an assistant sells to their own
    clients)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.demo = cls.env["furniture.suite.demo"]
        cls.table = cls.env.ref("mto_production.product_oak_dining_table")
        # A surcharge for the custom finish of the made-to-order table
        cls.custom_finish = cls.table.attribute_line_ids.product_template_value_ids.filtered(
            lambda v: (
                v.product_attribute_value_id
                == cls.env.ref("mto_production.attribute_finish_custom")
            )
        )
        cls.custom_finish.price_extra = 400
        cls.custom_table = cls.table.product_variant_id
        cls.salesperson = new_test_user(
            cls.env,
            login="pricing_salesperson",
            groups="sales_team.group_sale_salesman",
        )

    def _client(self, country_xmlid, name="New Client"):
        return self.env["res.partner"].create(
            {
                "name": name,
                "country_id": self.env.ref(country_xmlid).id,
                "user_id": self.salesperson.id,
            }
        )

    def _sell(self, partner, product, qty=1, finish=None, seller=None):
        line = {"product_id": product.id, "product_uom_qty": qty}
        if finish:  # the finish is chosen on the line (no variant per finish)
            line["product_no_variant_attribute_value_ids"] = [Command.set(finish.ids)]
        order = (
            self.env["sale.order"]
            .with_user(seller or self.salesperson)
            .create({"partner_id": partner.id, "order_line": [Command.create(line)]})
        )
        return order.sudo()

    def _expected_price(self, euros, currency, factor):
        if factor is None:
            return euros
        converted = self.env.ref("base.EUR")._convert(euros * factor, currency, self.env.company)
        return float_round(converted, precision_rounding=10)

    def test_a_new_client_of_each_country_gets_the_regions_price_list(self):
        for country, (pricelist, currency, _factor) in REGIONS.items():
            with self.subTest(country=country):
                client = self._client(country)
                self.assertEqual(client.property_product_pricelist, self.env.ref(pricelist))
                order = self._sell(client, self.custom_table)
                self.assertEqual(order.pricelist_id, self.env.ref(pricelist))
                self.assertEqual(order.currency_id.name, currency)

    def test_made_to_order_line_with_surcharge_under_each_price_list(self):
        for country, (_pricelist, currency_name, factor) in REGIONS.items():
            with self.subTest(country=country):
                order = self._sell(
                    self._client(country), self.custom_table, finish=self.custom_finish
                )
                self.demo._demo_specify(order, width=240)
                line = order.order_line
                self.assertTrue(line.mto_measurement_ids, "Measurements asked for")
                currency = self.env.ref(f"base.{currency_name}")
                # 4,900 for the table and 400 for the custom finish, in euros
                self.assertEqual(line.price_unit, self._expected_price(5300, currency, factor))
                self.assertEqual(order.amount_untaxed, line.price_unit)

    def test_uk_quote_with_the_fair_code_a_deposit_and_the_workshops_price(self):
        order = self._sell(
            self._client("base.uk", "London Client"), self.custom_table, finish=self.custom_finish
        )
        self.demo._demo_specify(order, width=240)
        gbp = self.env.ref("base.GBP")
        price = self._expected_price(5300, gbp, 1.0)
        self.assertEqual(order.order_line.price_unit, price)
        self.demo._demo_apply_code(order, "SALON10")
        reward = order.order_line.filtered("is_reward_line")
        self.assertEqual(len(reward), 1, "The fair's 10% is a reward line")
        self.assertAlmostEqual(order.amount_untaxed, price * 0.9, delta=0.02)
        self.assertEqual(order.currency_id, gbp)
        # A 30% deposit of the discounted total
        order.write({"require_payment": True, "prepayment_percent": 0.3})
        self.assertAlmostEqual(
            order._get_prepayment_required_amount(), gbp.round(order.amount_total * 0.3)
        )
        # Released to production: the workshop is paid its own price, in euros, whatever
        # the client's price list and discount.
        order.action_confirm()
        order._mto_release("Deposit received by bank transfer")
        purchase_line = order.mto_purchase_ids.order_line
        seller = self.table.seller_ids.filtered(
            lambda s: s.partner_id == purchase_line.order_id.partner_id
        )[:1]
        self.assertEqual(purchase_line.order_id.currency_id, seller.currency_id)
        self.assertEqual(purchase_line.price_unit, seller.price)

    def test_cercle_valmont_points_and_reward_in_the_clients_currency(self):
        program = self.env.ref("furniture_suite.loyalty_cercle")
        dupont = self.env.ref("furniture_suite.customer_dupont")
        card = self.env["loyalty.card"].search(
            [("program_id", "=", program.id), ("partner_id", "=", dupont.id)]
        )
        self.assertGreaterEqual(card.points, 8900, "A point per euro of the numbered console")
        # A London client with enough points: 250 euros off, in pounds
        client = self._client("base.uk", "Loyal London Client")
        self.env["loyalty.card"].create(
            {"program_id": program.id, "partner_id": client.id, "points": 6000}
        )
        order = self._sell(client, self.custom_table)
        before = order.amount_total
        order._update_programs_and_rewards()
        rewards = order._get_claimable_rewards()
        coupon = next(c for c, r in rewards.items() if c.program_id == program)
        order._apply_program_reward(rewards[coupon], coupon)
        gbp = self.env.ref("base.GBP")
        discount = self.env.ref("base.EUR")._convert(250, gbp, self.env.company)
        self.assertAlmostEqual(before - order.amount_total, discount, delta=0.02)

    def test_numbered_edition_for_vip_clients_only(self):
        console = self.env.ref("furniture_suite.product_numbered_console").product_variant_id
        edition = self.env.ref("furniture_suite.collection_atelier_edition")
        self.assertIn(self.env.ref("furniture_suite.customer_dupont"), edition.allowed_partner_ids)
        self.assertIn(self.env.ref("furniture_suite.customer_hansen"), edition.allowed_partner_ids)
        self.assertEqual(edition.quantity_sold, 1)
        self.assertEqual(edition.quantity_remaining, 7)
        # Both clients are looked after by the Milan assistant.
        milan = self.env.ref("furniture_suite.user_assistant_milano")
        with self.assertRaisesRegex(UserError, "Luca Moretti is not in the collection"):
            self._sell(self.env.ref("furniture_suite.customer_moretti"), console, seller=milan)
        self._sell(
            self.env.ref("furniture_suite.customer_hansen"), console, 2, seller=milan
        ).action_confirm()
        self.assertEqual(edition.quantity_remaining, 5)
