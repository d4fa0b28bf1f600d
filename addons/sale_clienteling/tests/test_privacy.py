from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.base.models.ir_qweb import QWebException

from .common import ClientelingCase


@tagged("post_install", "-at_install")
class TestClientPrivacy(ClientelingCase):
    def _visible(self, user, model, records):
        return self.env[model].with_user(user).search([("id", "in", records.ids)])

    def _assert_refused(self, report, name, records):
        refusal = None
        try:
            report._render_qweb_html(name, records.ids)
        except QWebException as error:  # the template met the refusal
            refusal = error.__cause__
        except AccessError as error:
            refusal = error
        self.assertIsInstance(refusal, AccessError, f"{name} printed {records}")

    def test_an_assistant_finds_only_their_clients(self):
        Partner = self.env["res.partner"].with_user(self.alice)
        self.assertIn(self.client_a, Partner.search([]))
        self.assertFalse(Partner.search([("name", "ilike", "Brandt")]))
        self.assertFalse(Partner.name_search("Boris"))
        self.assertFalse(Partner.search([("email", "=", self.client_b.email)]))
        # their addresses go with them
        self.assertFalse(Partner.search([("id", "=", self.delivery_b.id)]))
        with self.assertRaises(AccessError):
            self.client_b.with_user(self.alice).read(["name", "email"])
        with self.assertRaises(AccessError):
            self.delivery_b.with_user(self.alice).read(["street"])
        # the company's people and suppliers stay visible
        self.assertIn(self.bruno.partner_id, Partner.search([]))
        self.assertIn(self.company.partner_id, Partner.search([]))

    def test_an_assistant_finds_no_colleagues_clients_portal_account(self):
        account_a = self._portal_account(self.client_a)
        account_b = self._portal_account(self.client_b)
        Users = self.env["res.users"].with_user(self.alice)
        self.assertEqual(Users.search([("share", "=", True)]) & (account_a | account_b), account_a)
        self.assertFalse(Users.search([("login", "=", account_b.login)]))
        with self.assertRaises(AccessError):
            account_b.with_user(self.alice).read(["name", "login"])
        # colleagues stay visible; Bruno and the manager see Boris's account
        self.assertIn(self.bruno, Users.search([]))
        for user in (self.bruno, self.manager):
            self.assertEqual(self._visible(user, "res.users", account_b), account_b)

    def _portal_account(self, client):
        return self.env["res.users"].create(
            {
                "login": client.email,
                "partner_id": client.id,
                "groups_id": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )

    def test_an_assistant_sees_only_their_clients_documents(self):
        for model, records in (
            ("sale.order", self.order_b),
            ("sale.order.line", self.order_b.order_line),
            ("account.move", self.invoice_b),
            ("account.move.line", self.invoice_b.line_ids),
            ("stock.picking", self.order_b.picking_ids),
            ("stock.move", self.order_b.picking_ids.move_ids),
            ("mail.message", self.client_b.message_ids | self.order_b.message_ids),
            ("mail.followers", self.order_b.message_follower_ids),
            ("ir.attachment", self.attachment_b),
        ):
            with self.subTest(model=model):
                self.assertTrue(records)
                self.assertFalse(self._visible(self.alice, model, records))
                self.assertEqual(self._visible(self.bruno, model, records), records)
                with self.assertRaises(AccessError):
                    records.with_user(self.alice).read(["display_name"])
        self.assertEqual(self.env["sale.order"].with_user(self.alice).search([]), self.order_a)
        report = self.env["ir.actions.report"].with_user(self.alice)
        for name, records in (
            ("sale.report_saleorder", self.order_b),
            ("account.report_invoice", self.invoice_b),
            ("stock.report_deliveryslip", self.order_b.picking_ids),
        ):
            with self.subTest(report=name):
                self._assert_refused(report, name, records)
        self.assertIn(
            "Anne Aubert",
            str(report._render_qweb_html("sale.report_saleorder", self.order_a.ids)[0]),
        )

    def test_analysis_reports_keep_to_their_clients(self):
        self.env.flush_all()
        lines = self.env["sale.report"].with_user(self.alice).search([])
        self.assertTrue(lines)
        self.assertEqual(lines.partner_id, self.client_a)

    def test_a_client_comes_with_its_history(self):
        """A client handed over, or whose orders were sold by a colleague: their assistant
        sees all of it (Odoo's "own documents" would show only what they sold)."""
        order = self._order(self.client_a, self.bruno)
        self.assertIn(order, self.env["sale.order"].with_user(self.alice).search([]))
        self.assertIn(
            order.order_line, self.env["sale.order.line"].with_user(self.alice).search([])
        )

    def test_a_sales_team_leader_sees_the_teams_clients(self):
        team = self.env["crm.team"].create(
            {
                "name": "Showroom Milano",
                "user_id": self.alice.id,
                "member_ids": [(4, self.bruno.id)],
            }
        )
        Partner = self.env["res.partner"]
        self.assertIn(self.client_b, Partner.with_user(self.alice).search([]))
        self.assertIn(self.order_b, self.env["sale.order"].with_user(self.alice).search([]))
        self.assertNotIn(self.client_a, Partner.with_user(self.bruno).search([]))
        team.member_ids = [(3, self.bruno.id)]
        self.assertNotIn(self.client_b, Partner.with_user(self.alice).search([]))

    def test_new_contact_belongs_to_the_assistant_who_adds_it(self):
        client = self.env["res.partner"].with_user(self.alice).create({"name": "Dora Dahl"})
        self.assertEqual(client.user_id, self.alice)
        self.assertFalse(
            self.env["res.partner"].with_user(self.bruno).search([("id", "=", client.id)])
        )

    def test_another_company_in_the_request_lifts_nothing(self):
        other = self.env["res.company"].create({"name": "Valmont London"})
        self.alice.company_ids = [(4, other.id)]
        Order = self.env["sale.order"].with_user(self.alice)
        for companies in ([other.id], [other.id, self.company.id]):
            self.assertNotIn(
                self.order_b, Order.with_context(allowed_company_ids=companies).search([])
            )

    def test_managers_and_fulfilment_see_every_client(self):
        for user in (self.manager, self.warehouse, self.accountant):
            with self.subTest(user=user.login):
                Partner = self.env["res.partner"].with_user(user)
                self.assertIn(self.client_b, Partner.search([]))
                self.assertEqual(self.delivery_b.with_user(user).street, "7 Lindenallee")
        picking = self.order_b.picking_ids
        self.assertEqual(self._visible(self.warehouse, "stock.picking", picking), picking)
        self.assertEqual(
            self._visible(self.accountant, "account.move", self.invoice_b), self.invoice_b
        )
        # an assistant who also works in the warehouse keeps the warehouse's access
        self.alice.groups_id = [(4, self.env.ref("stock.group_stock_user").id)]
        self.assertEqual(self._visible(self.alice, "stock.picking", picking), picking)

    def test_fulfilment_does_not_learn_the_client_profile(self):
        for user in (self.warehouse, self.accountant):
            with self.subTest(user=user.login):
                fields = self.env["res.partner"].with_user(user).fields_get()
                self.assertFalse([f for f in fields if f.startswith("clienteling_")])
                self.assertFalse(self.env["clienteling.note"].with_user(user).has_access("read"))

    def test_without_the_setting_odoo_decides(self):
        self.company.clienteling_privacy = False
        Order = self.env["sale.order"].with_user(self.alice)
        # Odoo's own rule: orders without a salesperson are open to every salesperson
        self.assertEqual(Order.search([]), self.order_a | self.order_b)
        self.assertIn(self.client_b, self.env["res.partner"].with_user(self.alice).search([]))
        self.company.clienteling_privacy = True
        self.assertEqual(Order.search([]), self.order_a)
