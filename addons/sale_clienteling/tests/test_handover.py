from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ClientelingCase


@tagged("post_install", "-at_install")
class TestHandover(ClientelingCase):
    def test_an_assistant_leaves_and_a_colleague_takes_their_clients(self):
        second = self._client("Anton Arnaud", "anton@example.com", self.alice)
        quotation = self._order(second, self.alice, confirm=False)
        handover = (
            self.env["clienteling.handover"]
            .with_user(self.manager)
            .create({"from_user_id": self.alice.id, "to_user_id": self.bruno.id})
        )
        self.assertEqual(handover.client_count, 2)
        handover.action_hand_over()
        self.assertEqual((self.client_a | second).user_id, self.bruno)
        self.assertEqual((self.order_a | quotation).user_id, self.bruno)
        self.assertEqual(handover.partner_ids, self.client_a | second)
        self.assertIn(
            "handed over from Assistant_Alice to Assistant_Bruno", self.client_a.message_ids[0].body
        )
        self.assertIn("Anton Arnaud", handover.message_ids[0].body)
        # their notes, orders and deliveries follow the clients
        Order = self.env["sale.order"]
        self.assertEqual(
            Order.with_user(self.bruno).search([]), self.order_a | quotation | self.order_b
        )
        self.assertFalse(Order.with_user(self.alice).search([]))
        with self.assertRaises(UserError):  # a double click
            handover.action_hand_over()

    def test_nothing_to_hand_over(self):
        handover = self.env["clienteling.handover"].create(
            {"from_user_id": self.manager.id, "to_user_id": self.bruno.id}
        )
        with self.assertRaises(UserError):
            handover.action_hand_over()

    def test_only_managers_hand_clients_over(self):
        with self.assertRaises(AccessError):
            self.env["clienteling.handover"].with_user(self.alice).create(
                {"from_user_id": self.bruno.id, "to_user_id": self.alice.id}
            )
