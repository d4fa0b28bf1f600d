from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ClientelingCase


@tagged("post_install", "-at_install")
class TestPrivateNotes(ClientelingCase):
    def test_only_the_clients_assistant_and_managers_read_the_notes(self):
        Note = self.env["clienteling.note"]
        self.assertEqual(Note.with_user(self.bruno).search([]), self.note_b)
        self.assertIn(self.note_b, Note.with_user(self.manager).search([]))
        self.assertFalse(Note.with_user(self.alice).search([]))
        with self.assertRaises(AccessError):
            self.note_b.with_user(self.alice).read(["summary"])
        for user in (self.warehouse, self.accountant):
            with self.assertRaises(AccessError):
                Note.with_user(user).search([])

    def test_private_even_without_private_client_books(self):
        self.company.clienteling_privacy = False
        self.assertFalse(self.env["clienteling.note"].with_user(self.alice).search([]))
        with self.assertRaises(AccessError):
            self.note_b.with_user(self.alice).read(["summary"])

    def test_an_assistant_cannot_write_on_anothers_client(self):
        with self.assertRaises(AccessError):
            self.env["clienteling.note"].with_user(self.alice).create(
                {"partner_id": self.client_b.id, "summary": "Sneaky"}
            )
        self.company.clienteling_privacy = False
        with self.assertRaises(AccessError):
            self.env["clienteling.note"].with_user(self.alice).create(
                {"partner_id": self.client_b.id, "summary": "Sneaky"}
            )

    def test_a_note_on_an_address_is_kept_on_the_client(self):
        note = (
            self.env["clienteling.note"]
            .with_user(self.bruno)
            .create({"partner_id": self.delivery_b.id, "summary": "Sizes: sofa 240 cm"})
        )
        self.assertEqual(note.partner_id, self.client_b)

    def test_never_on_the_portal_nor_in_emails(self):
        portal = new_test_user(self.env, "boris_portal", groups="base.group_portal")
        portal.partner_id.parent_id = self.client_b
        with self.assertRaises(AccessError):
            self.env["clienteling.note"].with_user(portal).search([])
        self.assertNotIn(
            "clienteling_note_ids", self.env["res.partner"].with_user(portal).fields_get()
        )
        # the client's e-mails (a quotation sent, a message) never carry a note
        self.order_b.with_context(mail_notify_force_send=False).message_post_with_source(
            "sale.email_template_edi_sale", subtype_xmlid="mail.mt_comment"
        )
        self.client_b.message_post(
            body="Hello", message_type="comment", partner_ids=self.client_b.ids
        )
        mails = self.env["mail.mail"].search([])
        bodies = " ".join(str(body) for body in mails.mapped("body_html"))
        bodies += " ".join(str(body) for body in self.env["mail.message"].search([]).mapped("body"))
        self.assertIn("Called Boris", bodies, "the search sees the messages")
        self.assertNotIn(self.note_b.summary, bodies)
