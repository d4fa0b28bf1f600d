from datetime import datetime

import pytz

from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

PARIS = pytz.timezone("Europe/Paris")


def paris(*args):
    """An aware datetime on the Paris wall clock, in UTC."""
    return PARIS.localize(datetime(*args), is_dst=None).astimezone(pytz.utc)


def utc(*args):
    return pytz.utc.localize(datetime(*args))


class ShowroomCase(TransactionCase):
    """A Paris showroom open Monday to Friday, 10:00 to 18:00 Paris time; a one-hour
    consultation starting every half hour, 15 minutes of buffer, no notice, a 400-day horizon,
    taken by two assistants, Amélie and Bruno (in that order)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.hours = cls.env["resource.calendar"].create(
            {
                "name": "Test showroom hours",
                "tz": "Europe/Paris",
                "company_id": cls.company.id,
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 10,
                            "hour_to": 18,
                            "day_period": "morning",
                        },
                    )
                    for day in range(5)
                ],
            }
        )
        cls.showroom = cls.env["showroom.showroom"].create(
            {
                "name": "Test Paris showroom",
                "company_id": cls.company.id,
                "partner_id": cls.env["res.partner"]
                .create(
                    {
                        "name": "Showroom address",
                        "street": "1 rue du Test",
                        "city": "Paris",
                        "country_id": cls.env.ref("base.fr").id,
                    }
                )
                .id,
                "resource_calendar_id": cls.hours.id,
            }
        )
        cls.amelie = new_test_user(
            cls.env,
            "amelie",
            name="Amélie Assistant",
            email="amelie@example.com",
            groups="sales_team.group_sale_salesman",
        )
        cls.bruno = new_test_user(
            cls.env,
            "bruno",
            name="Bruno Assistant",
            email="bruno@example.com",
            groups="sales_team.group_sale_salesman",
        )
        cls.consultation = cls.env["showroom.appointment.type"].create(
            {
                "name": "Test consultation",
                "showroom_id": cls.showroom.id,
                "duration": 1.0,
                "buffer_minutes": 15,
                "slot_step_minutes": 30,
                "min_notice_hours": 0,
                "horizon_days": 400,
                "is_published": True,
                "assistant_ids": [(6, 0, (cls.amelie | cls.bruno).ids)],
            }
        )
        cls.client = cls.env["res.partner"].create(
            {"name": "Claire Client", "email": "claire@example.com", "phone": "+33 6 00 00 00 01"}
        )
        # Before every day the tests look at.
        cls.now = utc(2026, 1, 1, 0, 0)

    def _slots(self, appointment_type, start, stop, now=None):
        """[(UTC start, assistant logins)] between two aware datetimes."""
        return [
            (slot, assistants.mapped("login"))
            for slot, assistants in appointment_type._get_slots(start, stop, now=now or self.now)
        ]

    def _busy(self, user, start, stop, **vals):
        return self.env["calendar.event"].create(
            {
                "name": "Busy",
                "start": start.replace(tzinfo=None),
                "stop": stop.replace(tzinfo=None),
                "partner_ids": [(6, 0, user.partner_id.ids)],
                "user_id": user.id,
                **vals,
            }
        )
