from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.sale_clienteling.tests.common import ClientelingCase


@tagged("post_install", "-at_install")
class TestPrivateCards(ClientelingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls.env["loyalty.program"].create(
            {"name": "Cercle", "program_type": "loyalty", "applies_on": "both"}
        )
        Card = cls.env["loyalty.card"]
        cls.card_a = Card.create({"program_id": cls.program.id, "partner_id": cls.client_a.id})
        cls.card_b = Card.create({"program_id": cls.program.id, "partner_id": cls.client_b.id})
        # A card of no one, given by Boris's order (a coupon it generated).
        cls.coupon_b = Card.create({"program_id": cls.program.id, "order_id": cls.order_b.id})
        cls.blank = Card.create({"program_id": cls.program.id})
        cls.points_a = cls._points(cls.order_a, cls.card_a)
        cls.points_b = cls._points(cls.order_b, cls.card_b)
        cls.history_b = cls.env["loyalty.history"].create(
            {"card_id": cls.card_b.id, "description": "Welcome", "issued": 100}
        )

    @classmethod
    def _points(cls, order, card):
        return cls.env["sale.order.coupon.points"].create(
            {"order_id": order.id, "coupon_id": card.id, "points": 120}
        )

    def test_an_assistant_sees_only_their_clients_cards(self):
        cards = self.card_a | self.card_b | self.coupon_b | self.blank
        Card = self.env["loyalty.card"].with_user(self.alice)
        self.assertEqual(Card.search([("id", "in", cards.ids)]), self.card_a | self.blank)
        with self.assertRaises(AccessError):
            self.card_b.with_user(self.alice).read(["partner_id", "points"])
        with self.assertRaises(AccessError):
            self.coupon_b.with_user(self.alice).read(["order_id"])
        History = self.env["loyalty.history"].with_user(self.alice)
        self.assertFalse(History.search([("id", "=", self.history_b.id)]))
        Points = self.env["sale.order.coupon.points"].with_user(self.alice)
        points = Points.search([("id", "in", (self.points_a | self.points_b).ids)])
        self.assertEqual(points, self.points_a)
        # The client's own assistant and the manager see them.
        for user in (self.bruno, self.manager):
            mine = self.env["loyalty.card"].with_user(user).search([("id", "in", cards.ids)])
            self.assertLessEqual(self.card_b | self.coupon_b, mine)
            self.assertTrue(self.history_b.with_user(user).read(["description"]))
