from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import ShowroomCase, paris


@tagged("post_install", "-at_install")
class TestBookingTour(ShowroomCase, HttpCase):
    def test_guest_books_moves_and_cancels_in_a_browser(self):
        self.consultation.name = "Tour consultation"
        # Today is Thursday 1 January 2026 (00:00 UTC) for the server.
        with patch.object(fields.Datetime, "now", return_value=self.now.replace(tzinfo=None)):
            self.start_tour("/appointment", "showroom_appointment_booking")
        appointment = self.env["showroom.appointment"].search(
            [("type_id", "=", self.consultation.id)]
        )
        self.assertEqual(appointment.partner_id.email, "tess.tour@example.com")
        self.assertEqual(appointment.guest_name, "Tess Tour")
        self.assertEqual(appointment.start, paris(2026, 1, 1, 11, 0).replace(tzinfo=None))
        self.assertEqual(appointment.state, "cancelled")
        self.assertFalse(appointment.event_id.exists())
