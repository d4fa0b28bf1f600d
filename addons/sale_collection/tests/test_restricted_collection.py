from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import CollectionCase


@tagged("post_install", "-at_install")
class TestRestrictedCollection(CollectionCase):
    def test_salesperson_cannot_quote_a_client_outside_the_collection(self):
        with self.assertRaisesRegex(UserError, "Ordinary Client is not in the collection"):
            self._quote(self.other_client)

    def test_salesperson_quotes_clients_of_the_collection(self):
        for partner in (self.vip_client, self.vip_contact, self.chosen_client):
            order = self._quote(partner)
            self.assertEqual(order.order_line.product_id, self.edition_product)

    def test_products_outside_a_collection_are_sold_to_anyone(self):
        order = self._quote(self.other_client, self.ordinary_product, qty=50)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_adding_the_piece_to_an_ordinary_quote_is_refused(self):
        order = self._quote(self.other_client, self.ordinary_product)
        with self.assertRaisesRegex(UserError, "not in the collection"):
            order.write({"order_line": [Command.create({"product_id": self.edition_product.id})]})
        with self.assertRaisesRegex(UserError, "not in the collection"):
            order.order_line.product_id = self.edition_product

    def test_changing_the_client_of_a_quote_is_refused(self):
        order = self._quote(self.vip_client)
        with self.assertRaisesRegex(UserError, "not in the collection"):
            order.partner_id = self.other_client

    def test_the_tier_is_the_clients_not_a_contacts(self):
        """A contact tagged VIP of an ordinary client does not open the collection."""
        contact = self.env["res.partner"].create(
            {
                "name": "Tagged Contact",
                "parent_id": self.env["res.partner"]
                .create(
                    {"name": "Plain Company", "is_company": True, "user_id": self.salesperson.id}
                )
                .id,
                "category_id": [Command.set(self.vip.ids)],
            }
        )
        with self.assertRaisesRegex(UserError, "Plain Company is not in the collection"):
            self._quote(contact)

    def test_onchange_warns_the_salesperson(self):
        form = Form(self.env["sale.order"].with_user(self.salesperson))
        form.partner_id = self.other_client
        with (
            self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs,
            form.order_line.new() as line,
        ):
            line.product_id = self.edition_product
        self.assertIn("Restricted collection", logs.output[0])
        self.assertIn("not in the collection", logs.output[0])

    def test_edition_not_open_yet_and_closed(self):
        today = fields.Date.today()
        self.edition.date_start = today + timedelta(days=2)
        with self.assertRaisesRegex(UserError, "is not open yet: it opens on"):
            self._quote(self.vip_client)
        self.edition.write(
            {"date_start": today - timedelta(days=9), "date_end": today - timedelta(days=1)}
        )
        with self.assertRaisesRegex(UserError, "is closed: it closed on"):
            self._quote(self.vip_client)

    def test_quantity_cap_per_edition(self):
        first = self._quote(self.vip_client, qty=2)
        self.assertEqual(self.edition.quantity_remaining, 3, "A quotation takes no piece")
        first.action_confirm()
        self.assertEqual(self.edition.quantity_sold, 2)
        self.assertEqual(self.edition.quantity_remaining, 1)
        with self.assertRaisesRegex(
            UserError, r"Only 1 pieces of Walnut Edition are left \(2 asked\)"
        ):
            self._quote(self.chosen_client, qty=2)
        # Two quotes for the last piece: the first confirmed wins.
        second, third = self._quote(self.chosen_client), self._quote(self.vip_contact)
        second.action_confirm()
        self.assertEqual(
            self.edition.availability, "Walnut Edition is sold out: its 3 pieces are sold."
        )
        with self.assertRaisesRegex(UserError, "Walnut Edition is sold out"):
            third.action_confirm()
        self.assertEqual(third.state, "draft")
        # A cancelled order (a sales manager cancels it) gives its pieces back.
        first.sudo()._action_cancel()
        self.assertEqual(self.edition.quantity_remaining, 2)
        third.action_confirm()
        self.assertEqual(self.edition.quantity_remaining, 1)

    def test_category_collection(self):
        categ = self.env["product.category"].create({"name": "Editions"})
        sub = self.env["product.category"].create({"name": "Lamps", "parent_id": categ.id})
        lamp = self.env["product.product"].create({"name": "Edition Lamp", "categ_id": sub.id})
        self.edition.product_categ_ids = categ
        self.assertFalse(lamp._collection_allows(self.other_client))
        self.assertTrue(lamp._collection_allows(self.vip_client))

    def test_api_method_says_why(self):
        self.assertTrue(self.ordinary_product._collection_allows(self.other_client))
        self.assertFalse(self.edition_product._collection_allows(self.other_client))
        self.assertTrue(self.edition_product._collection_allows(self.vip_contact, 3))
        self.assertFalse(self.edition_product._collection_allows(self.vip_contact, 4))
        with self.assertRaisesRegex(UserError, "Only 3 pieces"):
            self.edition_product._collection_check_client(self.vip_client, quantity=4)

    def test_open_collection_limits_the_edition_only(self):
        self.edition.access = "open"
        order = self._quote(self.other_client, qty=3)
        order.action_confirm()
        self.assertFalse(self.edition_product._collection_allows(self.vip_client))

    def test_staff_see_who_may_buy_and_what_is_left(self):
        self.assertEqual(self.edition.allowed_partner_ids, self.vip_client | self.chosen_client)
        self.assertEqual(self.edition.allowed_partner_count, 2)
        action = self.edition.action_view_allowed_partners()
        self.assertEqual(
            self.env["res.partner"].search(action["domain"]), self.vip_client | self.chosen_client
        )
        self.assertEqual(self.edition.quantity_remaining, 3)
        self.assertEqual(self.edition.availability, "Open")
