from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ClientelingCase


@tagged("post_install", "-at_install")
class TestGuestOrdersLinked(ClientelingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("auth_signup.invitation_scope", "b2c")
        # Gina ordered twice as a guest, each time a new contact with her e-mail
        cls.guest_1 = cls._client("Gina Guest", "gina@example.com", False)
        cls.guest_2 = cls._client("G. Guest", "GINA@example.com", False)
        cls.guest_order_1 = cls._order(cls.guest_1, False)
        cls.guest_invoice = cls.guest_order_1._create_invoices()
        cls.guest_invoice.action_post()
        cls.guest_order_2 = cls._order(cls.guest_2, False)
        # and once at the retailer's other company
        cls.other_company = cls.env["res.company"].create({"name": "Valmont Outlet"})
        cls.guest_elsewhere = cls._client(
            "Gina Guest", "gina@example.com", False, company_id=cls.other_company.id
        )
        cls.order_elsewhere = cls._order(cls.guest_elsewhere, False, company=cls.other_company)
        # a contact shared by both companies, who ordered at the other one only
        cls.guest_shared = cls._client("Gina G.", "gina@example.com", False)
        cls.order_shared = cls._order(cls.guest_shared, False, company=cls.other_company)

    def _invite(self, email, name="Gina"):
        """A contact invited to the portal: Odoo e-mails it a signup link."""
        partner = self.env["res.partner"].create({"name": name, "email": email})
        self.env["portal.wizard"].create(
            {"partner_ids": partner.ids}
        ).user_ids.action_grant_access()
        return partner

    def _signup(self, partner, **values):
        """She follows the link Odoo e-mailed her (its token)."""
        token = partner.sudo()._generate_signup_token()
        self.env["res.users"].sudo().signup({"password": "gina-pass-1234", **values}, token)
        return partner.user_ids

    def _portal_orders(self, user):
        return self.env["sale.order"].with_user(user).search([])

    def test_an_invited_guest_finds_her_orders(self):
        partner = self._invite("gina@example.com")
        user = self._signup(partner)
        self.assertEqual((self.guest_1 | self.guest_2).parent_id, partner)
        self.assertEqual(self._portal_orders(user), self.guest_order_1 | self.guest_order_2)
        self.assertEqual(self.env["account.move"].with_user(user).search([]), self.guest_invoice)
        # her deliveries go with her orders (Odoo's portal lists them on each order)
        pickings = (self.guest_order_1 | self.guest_order_2).picking_ids
        self.assertEqual(pickings.partner_id.commercial_partner_id, partner)
        self.assertIn("guest contacts linked", partner.message_ids[0].body)
        self.assertIn(self.guest_order_1.name, partner.message_ids[0].body)
        # the other company's orders stay where they were
        self.assertFalse((self.guest_elsewhere | self.guest_shared).parent_id)
        self.assertFalse((self.order_elsewhere | self.order_shared) & self._portal_orders(user))

    def test_an_account_opened_with_someone_elses_email_gets_nothing(self):
        # uninvited signup: the address was never proven
        self.env["res.users"].sudo().signup(
            {"login": "gina@example.com", "name": "Not Gina", "password": "x-pass-1234"}
        )
        user = self.env["res.users"].search([("login", "=", "gina@example.com")])
        self.assertTrue(user)
        self.assertFalse((self.guest_1 | self.guest_2).parent_id)
        self.assertFalse(self._portal_orders(user))

    def test_an_invitation_to_another_address_proves_nothing_about_hers(self):
        mallory = self._invite("mallory@example.com", name="Mallory")
        self._signup(mallory, login="gina@example.com", email="gina@example.com")
        self.assertFalse((self.guest_1 | self.guest_2).parent_id)

    def test_nothing_is_linked_unless_the_company_asks(self):
        self.company.clienteling_link_guests = False
        self._signup(self._invite("gina@example.com"))
        self.assertFalse((self.guest_1 | self.guest_2).parent_id)

    def test_a_password_reset_proves_the_address_too(self):
        partner = self._invite("gina@example.com")
        self.company.clienteling_link_guests = False
        user = self._signup(partner)
        self.company.clienteling_link_guests = True
        user.partner_id.signup_prepare(signup_type="reset")
        self._signup(partner)
        self.assertEqual((self.guest_1 | self.guest_2).parent_id, partner)

    def test_staff_link_by_hand_with_a_log(self):
        client = self._client("Gina Guest", "gina@example.com", self.alice)
        self.assertEqual(client.with_user(self.alice).clienteling_guest_count, 2)
        client.with_user(self.alice).action_clienteling_link_guests()
        self.assertEqual((self.guest_1 | self.guest_2).parent_id, client)
        self.assertIn("Linked by Assistant_Alice", client.message_ids[0].body)
        self.assertIn("Linked by Assistant_Alice", self.guest_1.message_ids[0].body)
        self.assertIn(self.guest_order_1, self.env["sale.order"].with_user(self.alice).search([]))
        with self.assertRaises(UserError):
            client.with_user(self.alice).action_clienteling_link_guests()

    def test_an_assistant_cannot_pull_a_colleagues_client(self):
        self.guest_1.user_id = self.bruno
        client = self._client("Gina Guest", "gina@example.com", self.alice)
        client.with_user(self.alice).action_clienteling_link_guests()
        self.assertEqual(self.guest_2.parent_id, client)
        self.assertFalse(self.guest_1.parent_id)

    def test_a_spent_token_links_nothing(self):
        partner = self._invite("gina@example.com")
        token = partner.sudo()._generate_signup_token()
        partner.signup_cancel()
        with self.assertRaises(UserError):
            self.env["res.users"].sudo().signup({"password": "x-pass-1234"}, token)
        self.assertFalse((self.guest_1 | self.guest_2).parent_id)
