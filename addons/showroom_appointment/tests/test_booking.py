from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ShowroomCase, paris


@tagged("post_install", "-at_install")
class TestBooking(ShowroomCase):
    def setUp(self):
        super().setUp()
        # The slots of these tests are in January 2026, whatever today is.
        patcher = patch.object(fields.Datetime, "now", return_value=self.now.replace(tzinfo=None))
        self.startPatcher(patcher)

    def _mails(self, partner):
        return self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)], order="id")

    def test_booking_puts_it_in_the_assistants_calendar_and_mails_the_client(self):
        Appointment = self.env["showroom.appointment"]
        appointment = Appointment._book(
            self.consultation, paris(2026, 1, 12, 10, 0), self.client, client_note="A sofa."
        )
        self.assertEqual(appointment.assistant_id, self.amelie, "first free in the type's order")
        event = appointment.event_id
        self.assertEqual(event.start, paris(2026, 1, 12, 10, 0).replace(tzinfo=None))
        self.assertEqual(event.stop - event.start, timedelta(hours=1))
        self.assertEqual(event.partner_ids, self.amelie.partner_id | self.client)
        self.assertEqual(event.user_id, self.amelie)
        self.assertIn("Paris", event.location)
        self.assertEqual(self.client.showroom_appointment_count, 1)
        (mail,) = self._mails(self.client)
        self.assertIn("Monday 12 January 2026, 10:00 (Europe/Paris)", mail.subject)
        self.assertIn(f"access_token={appointment.access_token}", mail.body_html)
        # The same slot again goes to Bruno, then to nobody.
        second = Appointment._book(self.consultation, paris(2026, 1, 12, 10, 0), self.client)
        self.assertEqual(second.assistant_id, self.bruno)
        with self.assertRaisesRegex(UserError, "no longer available"):
            Appointment._book(self.consultation, paris(2026, 1, 12, 10, 30), self.client)

    def test_a_time_off_the_grid_or_closed_is_refused(self):
        Appointment = self.env["showroom.appointment"]
        for start in (
            paris(2026, 1, 12, 10, 10),
            paris(2026, 1, 10, 11, 0),
            paris(2025, 12, 1, 10),
        ):
            with self.assertRaises(UserError):
                Appointment._book(self.consultation, start, self.client)

    def test_client_found_by_email_in_the_company_never_in_another(self):
        Appointment = self.env["showroom.appointment"]
        other_company = self.env["res.company"].create({"name": "Other retailer"})
        stranger = self.env["res.partner"].create(
            {
                "name": "Other's client",
                "email": "shared@example.com",
                "company_id": other_company.id,
            }
        )
        found = Appointment._find_or_create_client(
            self.company, "Guest", "Shared@Example.com", "+33 6 11 11 11 11"
        )
        self.assertNotEqual(found, stranger)
        self.assertEqual(found.company_id, self.company)
        self.assertEqual(found.email, "shared@example.com")
        again = Appointment._find_or_create_client(
            self.company, "Someone Else", "shared@example.com", ""
        )
        self.assertEqual(again, found, "found by e-mail")
        self.assertEqual(found.name, "Guest", "what a guest types never renames a contact")
        self.assertEqual(
            Appointment._find_or_create_client(self.company, "x", "claire@example.com", ""),
            self.client,
        )
        with self.assertRaisesRegex(UserError, "valid e-mail"):
            Appointment._find_or_create_client(self.company, "x", "not an address", "")

    def test_reschedule_keeps_the_assistant_and_moves_the_event(self):
        appointment = self.env["showroom.appointment"]._book(
            self.consultation, paris(2026, 1, 12, 10, 0), self.client
        )
        event = appointment.event_id
        appointment._reschedule(paris(2026, 1, 12, 10, 30))  # overlaps its own old time
        self.assertEqual(appointment.assistant_id, self.amelie)
        self.assertEqual(appointment.event_id, event)
        self.assertEqual(event.start, paris(2026, 1, 12, 10, 30).replace(tzinfo=None))
        self.assertEqual(len(self._mails(self.client)), 2, "confirmed, then moved")

    def test_cancel_removes_the_event_and_frees_the_slot(self):
        self.consultation.assistant_ids = self.amelie
        appointment = self.env["showroom.appointment"]._book(
            self.consultation, paris(2026, 1, 12, 10, 0), self.client
        )
        appointment._cancel_by_client()
        self.assertEqual(appointment.state, "cancelled")
        self.assertFalse(appointment.event_id.exists())
        again = self.env["showroom.appointment"]._book(
            self.consultation, paris(2026, 1, 12, 10, 0), self.client
        )
        self.assertEqual(again.assistant_id, self.amelie)
        with self.assertRaisesRegex(UserError, "no longer be cancelled"):
            appointment._cancel_by_client()

    def test_reminder_cron_sends_once_within_the_reminder_time(self):
        appointment = self.env["showroom.appointment"]._book(
            self.consultation, paris(2026, 1, 12, 10, 0), self.client
        )
        Appointment = self.env["showroom.appointment"]
        self.assertFalse(
            Appointment._cron_send_reminders(now=paris(2026, 1, 11, 8, 0).replace(tzinfo=None))
        )
        due = Appointment._cron_send_reminders(now=paris(2026, 1, 11, 10, 30).replace(tzinfo=None))
        self.assertEqual(due, appointment)
        self.assertTrue(appointment.reminder_sent)
        self.assertFalse(
            Appointment._cron_send_reminders(now=paris(2026, 1, 11, 11, 0).replace(tzinfo=None))
        )
        self.assertIn("Reminder", self._mails(self.client)[-1].subject)

    def test_back_office_appointment_gets_its_event(self):
        appointment = self.env["showroom.appointment"].create(
            {
                "type_id": self.consultation.id,
                "partner_id": self.client.id,
                "assistant_id": self.bruno.id,
                "start": paris(2026, 2, 2, 15, 0).replace(tzinfo=None),
                "stop": paris(2026, 2, 2, 16, 0).replace(tzinfo=None),
            }
        )
        self.assertEqual(appointment.event_id.partner_ids, self.bruno.partner_id | self.client)
        action = self.client.action_view_showroom_appointments()
        self.assertEqual(self.env["showroom.appointment"].search(action["domain"]), appointment)
