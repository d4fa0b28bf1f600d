from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import ClientelingCase


@tagged("post_install", "-at_install")
class TestClientProfile(ClientelingCase):
    def test_account_status_follows_the_orders(self):
        self.company.write({"clienteling_vip_amount": 2000, "clienteling_dormant_months": 12})
        prospect = self._client("Pia Prospect", "pia@example.com", self.alice)
        self._order(prospect, self.alice, confirm=False)  # a quotation only
        Partner = self.env["res.partner"].with_user(self.alice)
        self.assertEqual(prospect.with_user(self.alice).clienteling_status, "prospect")
        self.assertEqual(self.client_a.with_user(self.alice).clienteling_status, "client")
        self.assertEqual(self.client_a.with_user(self.alice).clienteling_order_count, 1)
        self.assertEqual(self.client_a.with_user(self.alice).clienteling_spent, 1200)
        self._order(self.client_a, self.alice)
        self.client_a.invalidate_recordset()
        self.assertEqual(self.client_a.with_user(self.alice).clienteling_status, "vip")
        self.assertEqual(Partner.search([("clienteling_status", "=", "vip")]), self.client_a)
        self.assertIn(prospect, Partner.search([("clienteling_status", "=", "prospect")]))
        self.assertNotIn(prospect, Partner.search([("clienteling_status", "!=", "prospect")]))
        # a year and a half without an order
        self.client_a.sale_order_ids.write(
            {"date_order": fields.Datetime.now() - timedelta(days=550)}
        )
        self.client_a.invalidate_recordset()
        self.assertEqual(self.client_a.with_user(self.alice).clienteling_status, "dormant")
        self.assertEqual(Partner.search([("clienteling_status", "=", "dormant")]), self.client_a)

    def test_an_address_shows_its_clients_history(self):
        self.assertEqual(self.delivery_b.clienteling_order_count, 1)
        self.assertEqual(self.delivery_b.clienteling_status, "client")

    def test_preferences_belong_to_the_sales_team(self):
        oak = self.env.ref("sale_clienteling.preference_material_oak")
        self.client_a.with_user(self.alice).clienteling_preference_ids = oak
        self.assertEqual(self.client_a.clienteling_preference_ids, oak)
        self.assertEqual(oak.display_name, "Material: Oak")
        action = self.client_a.with_user(self.alice).action_clienteling_orders()
        self.assertEqual(
            self.env["sale.order"].with_user(self.alice).search(action["domain"]), self.order_a
        )
