from datetime import timedelta

from odoo.tests import tagged

from .common import ShowroomCase, paris, utc


@tagged("post_install", "-at_install")
class TestSlots(ShowroomCase):
    """Slots checked by hand against the Paris wall clock and UTC."""

    def test_winter_day_every_half_hour_from_opening_to_last_hour(self):
        # Monday 12 January 2026, Paris is UTC+1: open 09:00-17:00 UTC.
        slots = self._slots(self.consultation, paris(2026, 1, 12, 0, 0), paris(2026, 1, 13, 0, 0))
        starts = [slot for slot, _logins in slots]
        self.assertEqual(starts[0], utc(2026, 1, 12, 9, 0))
        self.assertEqual(starts[-1], utc(2026, 1, 12, 16, 0), "the last hour starts at 17:00")
        self.assertEqual(len(starts), 15)
        self.assertEqual(starts[1] - starts[0], timedelta(minutes=30))
        self.assertEqual(slots[0][1], ["amelie", "bruno"], "both free, in the type's order")

    def test_dst_spring_forward_keeps_the_wall_clock(self):
        # Clocks go forward on Sunday 29 March 2026: Friday is UTC+1, Monday UTC+2.
        friday = self._slots(self.consultation, paris(2026, 3, 27, 0, 0), paris(2026, 3, 28, 0, 0))
        monday = self._slots(self.consultation, paris(2026, 3, 30, 0, 0), paris(2026, 3, 31, 0, 0))
        self.assertEqual(friday[0][0], utc(2026, 3, 27, 9, 0))
        self.assertEqual(monday[0][0], utc(2026, 3, 30, 8, 0), "10:00 in Paris is 08:00 UTC")
        self.assertEqual(monday[-1][0], utc(2026, 3, 30, 15, 0))
        self.assertEqual(len(friday), len(monday))

    def test_dst_fall_back_over_a_weekend_range(self):
        # Clocks go back on Sunday 25 October 2026: one query across it.
        slots = self._slots(self.consultation, paris(2026, 10, 23, 0, 0), paris(2026, 10, 27, 0, 0))
        firsts = sorted({s.date(): s for s, _l in reversed(slots)}.values())
        self.assertEqual(
            firsts,
            [utc(2026, 10, 23, 8, 0), utc(2026, 10, 26, 9, 0)],
            "10:00 Paris: 08:00 UTC on Friday (summer), 09:00 UTC on Monday (winter)",
        )

    def test_slots_from_local_midnight_to_midnight_include_no_weekend(self):
        slots = self._slots(self.consultation, paris(2026, 1, 10, 0, 0), paris(2026, 1, 12, 0, 0))
        self.assertEqual(slots, [], "Saturday and Sunday are closed")

    def test_holiday_closes_the_day_and_half_day_closure_the_afternoon(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.hours.id,
                "date_from": paris(2026, 1, 14, 0, 0).replace(tzinfo=None),
                "date_to": paris(2026, 1, 14, 23, 59).replace(tzinfo=None),
            }
        )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Afternoon closure",
                "calendar_id": self.hours.id,
                "date_from": paris(2026, 1, 15, 14, 0).replace(tzinfo=None),
                "date_to": paris(2026, 1, 15, 18, 0).replace(tzinfo=None),
            }
        )
        wednesday = self._slots(
            self.consultation, paris(2026, 1, 14, 0, 0), paris(2026, 1, 15, 0, 0)
        )
        thursday = self._slots(
            self.consultation, paris(2026, 1, 15, 0, 0), paris(2026, 1, 16, 0, 0)
        )
        self.assertEqual(wednesday, [])
        self.assertEqual(
            [s for s, _l in thursday],
            [paris(2026, 1, 15, 10, 0) + timedelta(minutes=30 * i) for i in range(7)],
            "10:00 to 13:00: the last hour ends when the showroom closes at 14:00",
        )

    def test_busy_event_and_buffer_block_one_assistant(self):
        # Amélie is busy 11:00-12:00; with 15 minutes of buffer she is taken 10:45-12:15,
        # so her one-hour slots are none in the morning and from 12:30 on.
        self._busy(self.amelie, paris(2026, 1, 12, 11, 0), paris(2026, 1, 12, 12, 0))
        slots = dict(
            self._slots(self.consultation, paris(2026, 1, 12, 0, 0), paris(2026, 1, 13, 0, 0))
        )
        self.assertEqual(slots[paris(2026, 1, 12, 10, 0)], ["bruno"])
        self.assertEqual(slots[paris(2026, 1, 12, 12, 0)], ["bruno"])
        self.assertEqual(slots[paris(2026, 1, 12, 12, 30)], ["amelie", "bruno"])
        self.consultation.assistant_ids = self.amelie
        alone = self._slots(self.consultation, paris(2026, 1, 12, 0, 0), paris(2026, 1, 13, 0, 0))
        self.assertEqual(alone[0][0], paris(2026, 1, 12, 12, 30))

    def test_declined_or_free_events_do_not_block(self):
        event = self._busy(self.amelie, paris(2026, 1, 12, 10, 0), paris(2026, 1, 12, 18, 0))
        event.attendee_ids.filtered(lambda a: a.partner_id == self.amelie.partner_id).do_decline()
        self._busy(
            self.amelie, paris(2026, 1, 13, 10, 0), paris(2026, 1, 13, 18, 0), show_as="free"
        )
        for day in (12, 13):
            slots = self._slots(
                self.consultation, paris(2026, 1, day, 0, 0), paris(2026, 1, day + 1, 0, 0)
            )
            self.assertEqual(len(slots), 15)
            self.assertIn("amelie", slots[0][1])

    def test_assistant_working_calendar_and_time_off(self):
        afternoons = self.env["resource.calendar"].create(
            {
                "name": "Afternoons",
                "tz": "Europe/Paris",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (0, 0, {"name": "PM", "dayofweek": str(d), "hour_from": 14, "hour_to": 20})
                    for d in range(5)
                ],
            }
        )
        resource = self.env["resource.resource"].create(
            {"name": "Bruno", "user_id": self.bruno.id, "calendar_id": afternoons.id}
        )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Bruno off",
                "calendar_id": afternoons.id,
                "resource_id": resource.id,
                "date_from": paris(2026, 1, 13, 0, 0).replace(tzinfo=None),
                "date_to": paris(2026, 1, 13, 23, 0).replace(tzinfo=None),
            }
        )
        monday = dict(
            self._slots(self.consultation, paris(2026, 1, 12, 0, 0), paris(2026, 1, 13, 0, 0))
        )
        self.assertEqual(monday[paris(2026, 1, 12, 13, 30)], ["amelie"])
        self.assertEqual(monday[paris(2026, 1, 12, 14, 0)], ["amelie", "bruno"])
        self.assertEqual(monday[paris(2026, 1, 12, 17, 0)], ["amelie", "bruno"])
        self.assertNotIn(paris(2026, 1, 12, 17, 30), monday, "the showroom closes at 18:00")
        tuesday = self._slots(self.consultation, paris(2026, 1, 13, 0, 0), paris(2026, 1, 14, 0, 0))
        self.assertTrue(tuesday)
        self.assertTrue(all(logins == ["amelie"] for _s, logins in tuesday), "Bruno is off")

    def test_minimum_notice_and_horizon(self):
        self.consultation.write({"min_notice_hours": 2, "horizon_days": 1})
        now = paris(2026, 1, 12, 10, 20)
        slots = self._slots(
            self.consultation, paris(2026, 1, 12, 0, 0), paris(2026, 1, 20, 0, 0), now=now
        )
        self.assertEqual(slots[0][0], paris(2026, 1, 12, 12, 30), "two hours' notice")
        self.assertEqual(slots[-1][0], paris(2026, 1, 13, 10, 0), "no later than a day ahead")

    def test_same_data_same_slots(self):
        start, stop = paris(2026, 1, 12, 0, 0), paris(2026, 1, 17, 0, 0)
        self._busy(self.bruno, paris(2026, 1, 14, 15, 0), paris(2026, 1, 14, 16, 30))
        self.assertEqual(
            self._slots(self.consultation, start, stop),
            self._slots(self.consultation, start, stop),
        )
