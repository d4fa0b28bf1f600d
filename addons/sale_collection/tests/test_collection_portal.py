import json
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.payment.tests.http_common import PaymentHttpCommon

from .common import CollectionMixin

# A 1x1 PNG: the customer's drawn signature.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJ"
    "RU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestCollectionPortal(CollectionMixin, PaymentHttpCommon):
    """A VIP client receives a quotation for a piece of the edition and accepts and pays it
    on the portal; what changed in between (the tier, the edition) decides."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_collection()
        cls.vip_user = new_test_user(
            cls.env,
            login="collection_vip",
            password="collection_vip",
            groups="base.group_portal",
            partner_id=cls.vip_contact.id,
        )

    def setUp(self):
        super().setUp()
        self.order = self._quote(self.vip_contact)
        self.order.write({"require_signature": True, "require_payment": False})
        self.order.action_quotation_sent()
        self.authenticate("collection_vip", "collection_vip")

    def _call(self, route, params):
        """The portal's JSON call; returns the message the customer sees on an error."""
        response = self.url_open(
            self._build_url(route),
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 0, "params": params}),
            headers={"Content-Type": "application/json"},
        ).json()
        if "error" in response:
            return response["error"]["data"]["message"]
        self.assertNotIn("error", response.get("result") or {})
        return None

    def _accept(self):
        return self._call(
            f"/my/orders/{self.order.id}/accept",
            {"name": "Vip Contact", "signature": SIGNATURE},
        )

    def _pay(self):
        return self._call(
            f"/my/orders/{self.order.id}/transaction",
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.payment_method_id,
                "token_id": None,
                "amount": self.order.amount_total,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": self.order.get_portal_url(),
                "access_token": self.order._portal_ensure_token(),
            },
        )

    def test_vip_client_accepts_the_quotation(self):
        self.assertIsNone(self._accept())
        self.assertEqual(self.order.state, "sale")
        self.assertEqual(self.edition.quantity_sold, 1)

    def test_client_no_longer_vip_cannot_accept(self):
        self.vip_client.category_id = [Command.clear()]
        with mute_logger("odoo.http"):
            self.assertIn("Vip Client is not in the collection", self._accept() or "")
        self.assertFalse(self.order.signature)
        self.assertEqual(self.order.state, "sent")

    def test_edition_sold_out_before_acceptance(self):
        other = self._quote(self.chosen_client, qty=3)
        other.action_confirm()
        with mute_logger("odoo.http"):
            self.assertIn("Walnut Edition is sold out", self._accept() or "")
        self.assertEqual(self.order.state, "sent")

    def test_vip_client_pays_and_the_order_is_confirmed(self):
        self.order.require_payment = True
        self.assertIsNone(self._pay())
        tx = self.order.sudo().transaction_ids
        self.assertEqual(len(tx), 1)
        tx._set_done()
        tx._post_process()
        self.assertEqual(self.order.state, "sale")

    def test_no_payment_once_the_client_left_the_tier(self):
        self.order.require_payment = True
        self.vip_client.category_id = [Command.clear()]
        with mute_logger("odoo.http"):
            self.assertIn("Vip Client is not in the collection", self._pay() or "")
        self.assertFalse(self.order.sudo().transaction_ids)

    def test_no_payment_once_the_edition_closed(self):
        self.order.require_payment = True
        self.edition.date_end = fields.Date.today() - timedelta(days=1)
        with mute_logger("odoo.http"):
            self.assertIn("Walnut Edition is closed", self._pay() or "")
        self.assertFalse(self.order.sudo().transaction_ids)
