from datetime import datetime

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.sale_clienteling.tests.common import ClientelingCase


@tagged("post_install", "-at_install")
class TestPrivateMeetings(ClientelingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.meeting_b = cls._meeting(cls.bruno, cls.client_b, 10)
        cls.meeting_a = cls._meeting(cls.alice, cls.client_a, 14)
        cls.staff_meeting = cls._meeting(cls.bruno, cls.manager.partner_id, 16)

    @classmethod
    def _meeting(cls, organiser, guest, hour):
        return cls.env["calendar.event"].create(
            {
                "name": f"Fitting with {guest.name}",
                "start": datetime(2027, 3, 2, hour),
                "stop": datetime(2027, 3, 2, hour + 1),
                "user_id": organiser.id,
                "partner_ids": [(6, 0, (organiser.partner_id | guest).ids)],
                "location": guest.street or "Showroom",
                "description": f"{guest.name} brings the floor plan",
                "privacy": "confidential",
            }
        )

    def test_a_colleagues_meeting_with_their_client_is_a_busy_slot(self):
        Event = self.env["calendar.event"].with_user(self.alice)
        ours = self.meeting_a | self.meeting_b | self.staff_meeting
        # Every meeting still takes its slot in the calendar...
        self.assertEqual(Event.search([("id", "in", ours.ids)]), ours)
        rows = {
            row["id"]: row
            for row in Event.search_read(
                [("id", "in", ours.ids)],
                ["name", "display_name", "partner_ids", "location", "description", "start"],
            )
        }
        busy = rows[self.meeting_b.id]
        # ...but a colleague's meeting with their client shows neither who nor what.
        self.assertEqual(busy["name"], "Busy")
        self.assertEqual(busy["display_name"], "Busy")
        self.assertFalse(busy["partner_ids"] or busy["location"] or busy["description"])
        self.assertEqual(busy["start"], self.meeting_b.start)
        self.assertEqual(self.meeting_b.with_user(self.alice).display_name, "Busy")
        # Her own meeting and a colleague's meeting with staff read in full.
        self.assertIn("Anne Aubert", rows[self.meeting_a.id]["name"])
        self.assertEqual(
            set(rows[self.meeting_a.id]["partner_ids"]),
            set((self.alice.partner_id | self.client_a).ids),
        )
        self.assertIn("Mia", rows[self.staff_meeting.id]["name"])
        # The client's name is not in a group label either.
        groups = Event.read_group([("id", "in", ours.ids)], ["partner_ids"], ["partner_ids"])
        self.assertNotIn(self.client_b.id, [g["partner_ids"][0] for g in groups])
        self.assertIn(self.client_a.id, [g["partner_ids"][0] for g in groups])
        # Nor may she change it.
        with self.assertRaises(AccessError):
            self.meeting_b.with_user(self.alice).write({"name": "Mine now"})

    def test_a_colleagues_client_is_no_attendee_to_read(self):
        Attendee = self.env["calendar.attendee"].with_user(self.alice)
        seen = Attendee.search([("event_id", "in", (self.meeting_a | self.meeting_b).ids)])
        self.assertEqual(
            seen.partner_id, self.alice.partner_id | self.client_a | self.bruno.partner_id
        )
        client_b = self.meeting_b.attendee_ids.filtered(lambda a: a.partner_id == self.client_b)
        with self.assertRaises(AccessError):
            client_b.with_user(self.alice).read(["common_name", "email"])
        # Bruno and the manager see every attendee of his meeting.
        for user in (self.bruno, self.manager):
            attendees = self.env["calendar.attendee"].with_user(user)
            self.assertEqual(
                attendees.search([("event_id", "=", self.meeting_b.id)]).partner_id,
                self.bruno.partner_id | self.client_b,
            )

    def test_the_organiser_and_colleagues_without_private_books_see_everything(self):
        self.env.invalidate_all()
        rows = self.meeting_b.with_user(self.bruno).read(["name", "partner_ids"])
        self.assertEqual(rows[0]["name"], "Fitting with Boris Brandt")
        self.assertIn(self.client_b.id, rows[0]["partner_ids"])
        self.company.clienteling_privacy = False
        self.env.invalidate_all()
        rows = self.meeting_b.with_user(self.alice).read(["name", "partner_ids"])
        self.assertEqual(rows[0]["name"], "Fitting with Boris Brandt")
        self.assertIn(self.client_b.id, rows[0]["partner_ids"])

    def test_a_colleagues_meeting_with_their_client_has_no_chatter_to_read(self):
        note = self.meeting_b.message_post(body="Boris Brandt prefers walnut")
        mine = self.meeting_a.message_post(body="Anne Aubert prefers oak")
        Message = self.env["mail.message"].with_user(self.alice)
        found = Message.search([("id", "in", (note | mine).ids)])
        self.assertEqual(found, mine)
        with self.assertRaises(AccessError):
            note.with_user(self.alice).read(["body"])
        self.assertTrue(note.with_user(self.bruno).read(["body"]))
