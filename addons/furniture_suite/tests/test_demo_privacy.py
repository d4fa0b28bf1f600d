import re

from odoo.tests import HttpCase, tagged

from odoo.addons.mto_portal.tests.common import PortalReadAll

WORKSHOP_LOGINS = ("workshop@atelier-bois.example", "workshop@nordic-joinery.example")


@tagged("post_install", "-at_install")
class TestDemoWorkshopsLearnNoCustomer(HttpCase, PortalReadAll):
    """On the demo story, each workshop's portal user reads everything it can (every field
    of every record of every model it may read, display names computed by Odoo as
    superuser) and finds no demo customer's name, e-mail, phone or street, and no order of
    the other workshop."""

    def _customers_private_data(self):
        sales = self.env["sale.order"].search([])
        people = (
            sales.partner_id | sales.partner_invoice_id | sales.partner_shipping_id
        ).commercial_partner_id
        people |= self.env["res.partner"].search([("id", "child_of", people.ids)])
        values = set()
        for person in people:
            details = (person.name, person.email, person.phone, person.mobile, person.street)
            values.update(v for v in details if v)
        self.assertGreaterEqual(len(people), 5, "the story has its customers")
        return values

    def test_each_workshop_reads_everything_and_learns_no_customer(self):
        private = self._customers_private_data()
        orders = self.env["purchase.order"].search(
            [("mto_state", "not in", (False, "to_validate"))]
        )
        for login in WORKSHOP_LOGINS:
            with self.subTest(login=login):
                user = self.env["res.users"].search([("login", "=", login)])
                self.authenticate(login, "workshop")
                answers = self.portal_read_everything(user)
                own = orders.filtered(
                    lambda o, u=user: o.partner_id.commercial_partner_id == u.commercial_partner_id
                )
                others = orders - own
                self.assertTrue(own and others, "two tenants with orders")
                text = "\n".join(answers.values())
                for order in own:
                    self.assertIn(order.name, answers["purchase.order"])
                    self.assertIn(order.mto_customer_ref, answers["purchase.order"])
                leaked_orders = [o.name for o in others if re.search(rf"\b{o.name}\b", text)]
                self.assertFalse(leaked_orders, "another workshop's orders")
                self.assert_no_leaks(
                    {f"{login}: JSON-RPC reads of {m}": t for m, t in answers.items()}, private
                )
