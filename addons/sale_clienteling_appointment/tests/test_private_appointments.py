from datetime import datetime

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.sale_clienteling.tests.common import ClientelingCase


@tagged("post_install", "-at_install")
class TestPrivateAppointments(ClientelingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        hours = cls.env["resource.calendar"].create({"name": "Showroom hours", "tz": "UTC"})
        showroom = cls.env["showroom.showroom"].create(
            {
                "name": "Test showroom",
                "partner_id": cls.company.partner_id.id,
                "resource_calendar_id": hours.id,
            }
        )
        cls.kind = cls.env["showroom.appointment.type"].create(
            {
                "name": "Consultation",
                "showroom_id": showroom.id,
                "duration": 1.0,
                "assistant_ids": [(6, 0, (cls.alice | cls.bruno).ids)],
            }
        )
        cls.appointment_b = cls._appointment(cls.client_b, cls.bruno, 10)
        cls.appointment_a = cls._appointment(cls.client_a, cls.alice, 14)

    @classmethod
    def _appointment(cls, client, assistant, hour):
        return cls.env["showroom.appointment"].create(
            {
                "type_id": cls.kind.id,
                "partner_id": client.id,
                "assistant_id": assistant.id,
                "start": datetime(2027, 3, 2, hour),
                "stop": datetime(2027, 3, 2, hour + 1),
                "client_note": f"{client.name}: bring fabric swatches",
            }
        )

    def test_an_assistant_sees_no_colleagues_clients_appointment(self):
        ours = self.appointment_a | self.appointment_b
        Appointment = self.env["showroom.appointment"].with_user(self.alice)
        self.assertEqual(Appointment.search([("id", "in", ours.ids)]), self.appointment_a)
        with self.assertRaises(AccessError):
            self.appointment_b.with_user(self.alice).read(["name", "partner_id"])
        names = [name for _id, name in Appointment.name_search(self.client_b.name)]
        self.assertEqual(names, [])
        # the manager still sees them all
        everything = self.env["showroom.appointment"].with_user(self.manager)
        self.assertEqual(everything.search([("id", "in", ours.ids)]), ours)
