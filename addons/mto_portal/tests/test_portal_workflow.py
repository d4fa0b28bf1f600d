import base64
from unittest.mock import patch

from odoo.tests import new_test_user, tagged

from .common import MtoPortalCase

# A 1x1 PNG, as a phone would upload a (much larger) photo.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestPortalWorkflow(MtoPortalCase):
    def test_workshop_accepts_produces_and_completes_with_photos(self):
        self.login(self.workshop_user)
        page = self.url_open(f"/my/production/{self.po_awaiting.id}").text
        self.assertIn("oak batch from October", page, "the sales manager's message")
        self.assertIn("Width", page, "the specification")
        self.assertIn("CAD.pdf", page, "the production files")

        response = self.step(self.po_awaiting, "accept")
        self.assertIn("piece codes are ready", response.text)
        self.assertEqual(self.po_awaiting.mto_state, "accepted")
        self.assertEqual(len(self.po_awaiting.mto_piece_ids), 2)
        for code in self.po_awaiting.mto_piece_ids.mapped("code"):
            self.assertIn(code, response.text)
        author = self.po_awaiting.message_ids.filtered(
            lambda m: "accepted the order" in (m.body or "")
        )[:1].author_id
        self.assertEqual(author, self.workshop_user.partner_id, "who did it is logged")

        labels = self.url_open(f"/my/production/{self.po_awaiting.id}/labels")
        self.assertEqual(labels.status_code, 200)
        self.assertIn(self.po_awaiting.mto_piece_ids[:1].code, labels.text)
        cad = self.po_awaiting.mto_file_ids[:1]
        download = self.url_open(f"/my/production/{self.po_awaiting.id}/file/{cad.id}")
        self.assertEqual(download.status_code, 200)
        self.assertTrue(download.content.startswith(b"%PDF"))

        self.step(self.po_awaiting, "start")
        self.assertEqual(self.po_awaiting.mto_state, "in_production")
        token = self.csrf(f"/my/production/{self.po_awaiting.id}")
        response = self.url_open(
            f"/my/production/{self.po_awaiting.id}/complete",
            data={"csrf_token": token},
            files={"photos": ("finished.png", PNG, "image/png")},
        )
        self.assertIn("Marked as completed", response.text)
        self.assertEqual(self.po_awaiting.mto_state, "completed")
        self.po_awaiting.invalidate_recordset()
        self.assertEqual(self.po_awaiting._mto_portal_photos().name, "finished.png")
        self.assertIn("/web/image/", self.url_open(f"/my/production/{self.po_awaiting.id}").text)

    def test_steps_are_checked_on_the_server(self):
        self.login(self.workshop_user)
        response = self.step(self.po_awaiting, "start")
        self.assertIn("cannot be start", response.text)
        self.assertEqual(self.po_awaiting.mto_state, "awaiting", "no skipping")
        self.step(self.po_awaiting, "accept")
        response = self.step(self.po_awaiting, "accept")
        self.assertIn("cannot be accepted now", response.text, "no replay")
        self.assertEqual(len(self.po_awaiting.mto_piece_ids), 2)

    def test_post_without_csrf_token_is_refused(self):
        self.login(self.workshop_user)
        response = self.url_open(
            f"/my/production/{self.po_awaiting.id}/accept", data={"confirm": "1"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.po_awaiting.mto_state, "awaiting")

    def test_two_colleagues_clicking_accept_yield_one_acceptance(self):
        # Bob opens the order; meanwhile Anna accepts it; then Bob clicks Accept.
        self.login(self.workshop_colleague)
        bob_token = self.csrf(f"/my/production/{self.po_awaiting.id}")
        self.po_awaiting.with_context(
            mto_portal_user=self.workshop_user.id
        ).sudo().action_mto_accept()
        response = self.url_open(
            f"/my/production/{self.po_awaiting.id}/accept", data={"csrf_token": bob_token}
        )
        self.assertIn("cannot be accepted now", response.text, "a clear message")
        self.po_awaiting.invalidate_recordset()
        accepted = self.po_awaiting.message_ids.filtered(
            lambda m: "accepted the order" in (m.body or "")
        )
        self.assertEqual(len(accepted), 1)
        self.assertEqual(len(self.po_awaiting.mto_piece_ids), 2)

    def test_decline_needs_a_reason(self):
        self.login(self.workshop_user)
        response = self.step(self.po_awaiting, "decline", reason="  ")
        self.assertIn("say why", response.text)
        self.assertEqual(self.po_awaiting.mto_state, "awaiting")
        self.step(self.po_awaiting, "decline", reason="No walnut until May")
        self.assertEqual(self.po_awaiting.mto_state, "declined")
        self.assertEqual(self.po_awaiting.mto_decline_reason, "No walnut until May")

    def test_expected_completion_date(self):
        self.login(self.workshop_user)
        self.step(self.po_awaiting, "accept")
        response = self.step(self.po_awaiting, "expected_date", expected_date="2001-01-01")
        self.assertIn("cannot be in the past", response.text)
        self.step(self.po_awaiting, "expected_date", expected_date="2099-03-15")
        self.assertEqual(str(self.po_awaiting.mto_expected_date), "2099-03-15")

    def test_the_portal_offers_what_the_order_allows(self):
        """The page and the routes ask the order which steps are open: a rule changed in the
        model (here: no date change once production started) changes the portal with it."""
        self.login(self.workshop_user)
        self.step(self.po_awaiting, "accept")
        self.step(self.po_awaiting, "start")
        page = self.url_open(f"/my/production/{self.po_awaiting.id}").text
        self.assertIn("/expected_date", page)
        self.assertIn("o_mto_complete_open", page)
        self.assertNotIn("o_mto_start", page)

        model = type(self.env["purchase.order"])
        allows = model._mto_can

        def no_date_once_started(order, step):
            if step == "expected_date" and order.mto_state == "in_production":
                return False
            return allows(order, step)

        with patch.object(model, "_mto_can", no_date_once_started):
            page = self.url_open(f"/my/production/{self.po_awaiting.id}").text
            self.assertNotIn("/expected_date", page)
            response = self.step(self.po_awaiting, "expected_date", expected_date="2099-03-15")
        self.assertIn("In Production", response.text, "the state's own label")
        self.assertFalse(self.po_awaiting.mto_expected_date)

    def test_list_search_filter_sort_and_counts(self):
        self.login(self.workshop_user)
        second_sale, second = self._validated(self.table, 1)
        second.action_mto_accept()
        page = self.url_open("/my/production?filterby=accepted").text
        self.assertIn(second.name, page)
        self.assertNotIn(self.po_awaiting.name, page)
        page = self.url_open(
            f"/my/production?search_in=customer_ref&search={second_sale.name}"
        ).text
        self.assertIn(second.name, page)
        self.assertNotIn(f">{self.po_awaiting.name}<", page)
        page = self.url_open("/my/production?search_in=date&search=not-a-date").text
        self.assertIn("is not a date", page)
        page = self.url_open("/my/production?sortby=value").text
        self.assertLess(
            page.index(self.po_awaiting.name), page.index(second.name), "two tables before one"
        )

    def test_profile_keeps_to_allowed_fields(self):
        self.login(self.workshop_user)
        token = self.csrf("/my/production/profile")
        self.url_open(
            "/my/production/profile",
            data={
                "csrf_token": token,
                "phone": "+33 4 00 00 00 99",
                "mto_lead_time_days": "35",
                "mto_contact_channel": "phone",
                "name": "Hacked",
                "is_manufacturer": "0",
            },
        )
        self.assertEqual(self.workshop.phone, "+33 4 00 00 00 99")
        self.assertEqual(self.workshop.mto_lead_time_days, 35)
        self.assertEqual(self.workshop.name, "Test Workshop", "not an allowed field")
        self.assertTrue(self.workshop.is_manufacturer)
        page = self.url_open(
            "/my/production/profile", data={"csrf_token": token, "mto_lead_time_days": "5000"}
        ).text
        self.assertIn("between 0 and 730", page)

    def test_back_office_invites_a_manufacturer(self):
        action = self.workshop.action_mto_invite_to_portal()
        wizard = self.env["portal.wizard"].with_context(**action["context"]).create({})
        self.assertIn(self.workshop_user.partner_id, wizard.user_ids.partner_id)

    def test_tour_workshop_accepts_produces_completes_downloads_labels(self):
        person = self.env["res.partner"].create(
            {"name": "Tour Workshop", "parent_id": self.workshop.id, "email": "t@example.com"}
        )
        new_test_user(self.env, "tour_workshop", groups="base.group_portal", partner_id=person.id)
        self.start_tour(
            f"/my/production?search_in=name&search={self.po_awaiting.name}",
            "mto_portal_workshop_tour",
            login="tour_workshop",
        )
        self.assertEqual(self.po_awaiting.mto_state, "completed")
