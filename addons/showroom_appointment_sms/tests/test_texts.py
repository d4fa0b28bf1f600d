from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from odoo.addons.showroom_appointment.tests.common import ShowroomCase, paris
from odoo.addons.sms_twilio.tests.common import trap_jobs, twilio_company_values


@tagged("post_install", "-at_install")
class TestAppointmentTexts(ShowroomCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(twilio_company_values())

    def setUp(self):
        super().setUp()
        self.startPatcher(
            patch.object(fields.Datetime, "now", return_value=self.now.replace(tzinfo=None))
        )

    def _texts(self):
        return self.env["sms.sms"].search([("partner_id", "=", self.client.id)], order="id")

    def test_confirmation_reminder_cancellation_texted_through_twilio(self):
        with trap_jobs() as trap:
            appointment = self.env["showroom.appointment"]._book(
                self.consultation,
                paris(2026, 1, 12, 10, 0),
                self.client,
                guest_phone="06 98 76 54 32",
            )
            self.env["showroom.appointment"]._cron_send_reminders(
                now=paris(2026, 1, 11, 12, 0).replace(tzinfo=None)
            )
            appointment._cancel_by_client()
            self._texts()._send()
        texts = self._texts()
        self.assertEqual(len(texts), 3)
        self.assertIn("is booked for Monday 12 January 2026, 10:00 (Europe/Paris)", texts[0].body)
        self.assertIn(f"access_token={appointment.access_token}", texts[0].body)
        self.assertIn("a reminder of your Test consultation", texts[1].body)
        self.assertIn("is cancelled", texts[2].body)
        self.assertEqual(set(texts.mapped("number")), {"+33698765432"}, "the number typed")
        self.assertEqual(texts.company_id, self.company)
        self.assertEqual(
            sorted(job.method_name for job in trap.enqueued_jobs),
            ["_twilio_send"] * 3,
            "each text goes to Twilio",
        )

    def test_switched_off_per_type(self):
        self.consultation.sms_enabled = False
        self.env["showroom.appointment"]._book(
            self.consultation, paris(2026, 1, 12, 10, 0), self.client
        )
        self.assertFalse(self._texts())
