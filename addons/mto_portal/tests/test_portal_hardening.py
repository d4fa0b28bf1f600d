import io

from PIL import Image

from odoo.tests import tagged
from odoo.tools import convert_file

from ..hooks import _purchase_rule_domains, uninstall_hook
from .common import MtoPortalCase


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "brown").save(buffer, format="PNG")
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestPortalHardening(MtoPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.po_awaiting.action_mto_accept()
        cls.po_awaiting.action_mto_start()

    def complete_with(self, *files):
        token = self.csrf(f"/my/production/{self.po_awaiting.id}")
        return self.url_open(
            f"/my/production/{self.po_awaiting.id}/complete",
            data={"csrf_token": token},
            files=[("photos", f) for f in files],
        )

    def test_a_pdf_sent_as_a_jpeg_is_refused(self):
        self.login(self.workshop_user)
        page = self.complete_with(("table.jpg", b"%PDF-1.4\n%fake\n", "image/jpeg"))
        self.assertIn("table.jpg is not a photo", page.text)
        self.assertEqual(self.po_awaiting.mto_state, "in_production", "nothing completed")
        self.assertFalse(self.po_awaiting._mto_portal_photos())

    def test_photo_count_is_capped_and_real_photos_pass(self):
        self.login(self.workshop_user)
        photo = png_bytes()
        page = self.complete_with(*[(f"p{i}.png", photo, "image/png") for i in range(11)])
        self.assertIn("at most 10 photos", page.text)
        self.assertEqual(self.po_awaiting.mto_state, "in_production")
        # A real photo, even announced with a generic type, is judged by its content.
        page = self.complete_with(("finished.png", photo, "application/octet-stream"))
        self.assertEqual(self.po_awaiting.mto_state, "completed", page.text[-500:])
        photos = self.po_awaiting._mto_portal_photos()
        self.assertEqual(photos.mapped("name"), ["finished.png"])
        self.assertEqual(photos.mimetype, "image/png")

    def test_internal_note_attachments_stay_out_of_the_photo_card(self):
        self.po_awaiting.message_post(
            body="Our margin on this one",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            attachments=[("secret-costing.png", png_bytes())],
        )
        self.po_awaiting.message_post(
            body="Reference photo for you",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=[("reference-shared.png", png_bytes())],
        )
        self.login(self.workshop_user)
        page = self.url_open(f"/my/production/{self.po_awaiting.id}").text
        self.assertIn("reference-shared.png", page)
        self.assertNotIn("secret-costing", page)
        attachment = self.env["ir.attachment"].search([("name", "=", "secret-costing.png")])
        self.assertNotIn(f"/web/image/{attachment.id}/", page)

    def test_logged_out_answer_is_the_same_for_made_to_order_and_other_orders(self):
        plain = self.env["purchase.order"].create(
            {
                "partner_id": self.workshop.id,
                "order_line": [
                    (0, 0, {"product_id": self.table.id, "product_qty": 1, "price_unit": 10})
                ],
            }
        )
        answers = []  # as nobody: this test never logs in
        for order_id in (self.po_awaiting.id, plain.id, self.po_other.id, 999999):
            response = self.url_open(f"/my/purchase/{order_id}", allow_redirects=False)
            answers.append((response.status_code, response.headers.get("Location")))
        self.assertEqual(len(set(answers)), 1, answers)

    def test_narrowed_purchase_rules_apply_on_upgrade_and_leave_on_uninstall(self):
        rule = self.env.ref("purchase.portal_purchase_order_user_rule")
        line_rule = self.env.ref("purchase.portal_purchase_order_line_rule")
        odoo_domains = _purchase_rule_domains()
        # A database where the rules are Odoo's again and flagged noupdate, as purchase
        # leaves them: an upgrade of this module must narrow them again.
        rule.domain_force = odoo_domains["portal_purchase_order_user_rule"]
        line_rule.domain_force = odoo_domains["portal_purchase_order_line_rule"]
        self.env["ir.model.data"].search(
            [("module", "=", "purchase"), ("name", "like", "portal_purchase_order_%_rule")]
        ).noupdate = True
        convert_file(self.env, "mto_portal", "security/mto_portal_rules.xml", {}, mode="update")
        self.assertIn("mto_state", rule.domain_force)
        self.assertIn("mto_state", line_rule.domain_force)
        uninstall_hook(self.env)
        self.assertEqual(rule.domain_force, odoo_domains["portal_purchase_order_user_rule"])
        self.assertNotIn("mto_state", line_rule.domain_force)
