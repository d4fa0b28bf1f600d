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


ASSISTANT_LOGINS = ("assistant1@maison-valmont.example", "assistant2@maison-valmont.example")


@tagged("post_install", "-at_install")
class TestDemoAssistantsSeeOnlyTheirClients(HttpCase, PortalReadAll):
    """On the demo story, each sales assistant reads everything they can over JSON-RPC
    (every field of every record of every model they may read, display names computed by
    Odoo as superuser, under the context keys that make them talkative) and finds their
    own clients, and nothing of the clients they do not look after: neither the other
    assistant's nor the guest contacts nobody has taken on yet."""

    @staticmethod
    def _details(people):
        values = set()
        for person in people:
            details = (person.name, person.email, person.phone, person.mobile, person.street)
            values.update(v for v in details if v)
        return values

    def _clients(self, user):
        """(the user's clients and their contacts, every other client of the story and
        their contacts). The story's clients are the retailer's customers and the guest
        contacts under their e-mails (Odoo's own demo partners, suppliers and customers at
        once, named in Odoo's own test tours, are not part of it)."""
        customers = (
            self.env["res.partner"]
            .browse(
                self.env["ir.model.data"]
                .search([("module", "=", "furniture_suite"), ("model", "=", "res.partner")])
                .mapped("res_id")
            )
            .filtered(lambda p: not p.user_ids)
        )  # not the staff's own partners
        guests = self.env["res.partner"].search([("email", "in", customers.mapped("email"))])
        clients = (customers | guests).commercial_partner_id
        people = self.env["res.partner"].search([("id", "child_of", clients.ids)])
        own = people.filtered(lambda p: p.commercial_partner_id.user_id == user)
        return own, people - own

    def test_each_assistant_reads_everything_and_learns_no_other_client(self):
        for login in ASSISTANT_LOGINS:
            with self.subTest(login=login):
                user = self.env["res.users"].search([("login", "=", login)])
                own, others = self._clients(user)
                self.assertGreaterEqual(len(own.commercial_partner_id), 2, "clients of theirs")
                self.assertGreaterEqual(len(others.commercial_partner_id), 2, "and of others")
                # A guest who ordered under an own client's e-mail shares it: not a leak.
                private = self._details(others) - self._details(own)
                self.authenticate(login, "assistant")
                answers = self.read_everything(user)
                for client in own.commercial_partner_id:
                    self.assertIn(client.name, answers["res.partner"])
                self.assertIn("sale.order", answers)
                self.assert_no_leaks(
                    {f"{login} by JSON-RPC reads of {m}": t for m, t in answers.items()}, private
                )
