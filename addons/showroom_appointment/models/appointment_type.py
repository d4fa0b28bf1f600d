from datetime import timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .. import utils
from ..const import LOCATIONS


class ShowroomAppointmentType(models.Model):
    """What a client can book (a consultation, a fabric selection, a measurement visit at
    home), how long it lasts, how far ahead, and which assistants take it."""

    _name = "showroom.appointment.type"
    _description = "Showroom Appointment Type"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_published = fields.Boolean(
        string="Bookable Online", help="Offered on the public booking page."
    )
    description = fields.Html(translate=True)
    showroom_id = fields.Many2one("showroom.showroom", required=True, ondelete="restrict")
    company_id = fields.Many2one(related="showroom_id.company_id", store=True)
    location = fields.Selection(LOCATIONS, required=True, default="showroom")
    duration = fields.Float(required=True, default=1.0, help="In hours.")
    buffer_minutes = fields.Integer(
        string="Buffer (minutes)",
        default=0,
        help="Free time kept before and after each appointment of the assistant.",
    )
    slot_step_minutes = fields.Integer(
        string="Start Every (minutes)", default=30, help="Slots start on these wall-clock times."
    )
    min_notice_hours = fields.Float(
        string="Minimum Notice (hours)", default=24.0, help="No booking closer than this."
    )
    horizon_days = fields.Integer(
        string="Booking Horizon (days)", default=60, help="No booking further than this."
    )
    reminder_hours = fields.Float(
        string="Reminder (hours before)", default=24.0, help="0: no reminder."
    )
    assistant_ids = fields.Many2many(
        "res.users",
        "showroom_appointment_type_res_users_rel",
        "type_id",
        "user_id",
        string="Assistants",
        domain=[("share", "=", False)],
        required=True,
    )
    appointment_ids = fields.One2many("showroom.appointment", "type_id")
    booking_url = fields.Char(compute="_compute_booking_url")

    _sql_constraints = [
        ("duration_positive", "CHECK(duration > 0)", "An appointment lasts some time."),
        ("step_positive", "CHECK(slot_step_minutes > 0)", "Slots start every few minutes."),
        ("buffer_positive", "CHECK(buffer_minutes >= 0)", "The buffer cannot be negative."),
        ("horizon_positive", "CHECK(horizon_days > 0)", "The horizon is at least a day."),
        ("notice_positive", "CHECK(min_notice_hours >= 0)", "The notice cannot be negative."),
    ]

    def _compute_booking_url(self):
        for appointment_type in self:
            appointment_type.booking_url = f"/appointment/{appointment_type.id}"

    @api.constrains("assistant_ids", "company_id")
    def _check_assistants(self):
        for appointment_type in self:
            strangers = appointment_type.assistant_ids.filtered(
                lambda user, t=appointment_type: t.company_id not in user.company_ids
            )
            if strangers:
                raise ValidationError(
                    _(
                        "%(users)s cannot take appointments of %(company)s: "
                        "they do not work for it.",
                        users=", ".join(strangers.mapped("name")),
                        company=appointment_type.company_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # Slots
    # ------------------------------------------------------------------

    def _get_assistant_work_intervals(self, assistant, start, stop):
        """When ``assistant`` works between two aware datetimes (their working hours and time
        off, when they have a working calendar in this company), as aware UTC pairs; None
        when they have no working calendar (the showroom's hours alone then apply)."""
        resource = assistant.resource_ids.filtered(
            lambda r: r.company_id == self.company_id and r.calendar_id
        )[:1]
        if not resource:
            return None
        intervals = resource.calendar_id._work_intervals_batch(start, stop, resources=resource)
        return [
            (a.astimezone(pytz.utc), b.astimezone(pytz.utc))
            for a, b, _meta in intervals[resource.id]
        ]

    def _get_busy_intervals(self, assistants, start, stop, exclude_events=None):
        """Busy times of each assistant's calendar (events they attend and did not decline,
        shown as busy), widened by the buffer: {user id: [(start, stop)]} in aware UTC."""
        buffer = timedelta(minutes=self.buffer_minutes)
        naive = lambda dt: dt.astimezone(pytz.utc).replace(tzinfo=None)  # noqa: E731
        events = (
            self.env["calendar.event"]
            .sudo()
            .with_context(active_test=True)
            .search(
                [
                    ("partner_ids", "in", assistants.partner_id.ids),
                    ("show_as", "=", "busy"),
                    ("start", "<", naive(stop + buffer)),
                    ("stop", ">", naive(start - buffer)),
                ]
            )
        )
        if exclude_events:
            events -= exclude_events
        busy = {user.id: [] for user in assistants}
        for event in events:
            declined = event.attendee_ids.filtered(lambda a: a.state == "declined").partner_id
            ev_start = pytz.utc.localize(event.start) - buffer
            ev_stop = pytz.utc.localize(event.stop) + buffer
            for user in assistants:
                if user.partner_id in event.partner_ids - declined:
                    busy[user.id].append((ev_start, ev_stop))
        return busy

    def _get_slots(self, start, stop, now=None, exclude_events=None):
        """Bookable slots between two aware datetimes.

        A list of ``(start, assistants)`` in time order (aware UTC; the assistants free for
        the whole slot and its buffers, in the type's order), deterministic for the same data.
        A slot lies in the showroom's opening hours (closures removed), in the assistant's
        working hours (time off removed) and clear of their busy calendar events, no sooner
        than the minimum notice and no later than the horizon.
        """
        self.ensure_one()
        now = now or pytz.utc.localize(fields.Datetime.now())
        not_before = now + timedelta(hours=self.min_notice_hours)
        not_after = now + timedelta(days=self.horizon_days)
        start, stop = max(start, not_before), min(stop, not_after + self._duration())
        if start >= stop:
            return []
        showroom = self.showroom_id
        open_intervals = showroom._showroom_open_intervals(start, stop)
        assistants = self.assistant_ids.sorted(lambda u: u.id)
        busy = self._get_busy_intervals(assistants, start, stop, exclude_events)
        free_by_slot = {}
        for assistant in assistants:
            free = open_intervals
            working = self._get_assistant_work_intervals(assistant, start, stop)
            if working is not None:
                free = utils.intersect(free, working)
            free = utils.subtract(free, busy[assistant.id])
            for slot in utils.slot_starts(
                free,
                showroom.tz or "UTC",
                self._duration(),
                timedelta(minutes=self.slot_step_minutes),
                not_before=not_before,
                not_after=not_after,
            ):
                free_by_slot.setdefault(slot, self.env["res.users"])
                free_by_slot[slot] |= assistant
        order = {user.id: index for index, user in enumerate(self.assistant_ids)}
        return [
            (slot, users.sorted(lambda u: order[u.id]))
            for slot, users in sorted(free_by_slot.items())
        ]

    def _duration(self):
        return timedelta(hours=self.duration)

    def _get_slots_by_day(self, first_day, days, now=None, exclude_events=None):
        """Slots of ``days`` days of the showroom's wall clock from ``first_day``:
        [(date, [(aware UTC start, local start, assistants)])], days without slots included."""
        self.ensure_one()
        tz = pytz.timezone(self.showroom_id.tz or "UTC")
        start, _end = self.showroom_id._showroom_local_day_bounds(first_day)
        _start, stop = self.showroom_id._showroom_local_day_bounds(
            first_day + timedelta(days=days - 1)
        )
        by_day = {first_day + timedelta(days=offset): [] for offset in range(days)}
        for slot, assistants in self._get_slots(start, stop, now, exclude_events):
            local = slot.astimezone(tz)
            by_day.setdefault(local.date(), []).append((slot, local, assistants))
        return sorted(by_day.items())

    def _get_free_assistants(self, start, now=None, exclude_events=None):
        """Assistants free for a slot starting at ``start`` (aware UTC), in the type's order."""
        self.ensure_one()
        for slot, assistants in self._get_slots(
            start, start + self._duration(), now, exclude_events
        ):
            if slot == start:
                return assistants
        return self.env["res.users"]
