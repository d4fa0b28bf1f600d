import logging
from datetime import timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize

from ..const import LOCATIONS, STATES

_logger = logging.getLogger(__name__)


class ShowroomAppointment(models.Model):
    """A client's appointment with an assistant: the event in the assistant's calendar,
    the client's contact, and the link that lets the client move or cancel it."""

    _name = "showroom.appointment"
    _description = "Showroom Appointment"
    _inherit = ["portal.mixin", "mail.thread"]
    _order = "start desc, id desc"
    _rec_name = "name"

    name = fields.Char(compute="_compute_name", store=True)
    type_id = fields.Many2one("showroom.appointment.type", required=True, ondelete="restrict")
    showroom_id = fields.Many2one(related="type_id.showroom_id", store=True)
    company_id = fields.Many2one(related="type_id.company_id", store=True)
    location = fields.Selection(LOCATIONS, related="type_id.location")
    state = fields.Selection(STATES, default="booked", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, index=True, tracking=True
    )
    assistant_id = fields.Many2one("res.users", required=True, index=True, tracking=True)
    start = fields.Datetime(required=True, tracking=True)
    stop = fields.Datetime(required=True)
    guest_name = fields.Char(string="Name Given")
    guest_email = fields.Char(string="E-mail Given")
    guest_phone = fields.Char(string="Phone Given")
    visit_address = fields.Text(help="Where the assistant goes, for a visit at home.")
    client_note = fields.Text(string="Client's Message")
    event_id = fields.Many2one("calendar.event", string="Calendar Event", readonly=True, copy=False)
    reminder_sent = fields.Boolean(readonly=True, copy=False)
    local_start_label = fields.Char(
        compute="_compute_local_start_label",
        string="Local Time",
        help="In the showroom's timezone.",
    )

    @api.depends("type_id.name", "partner_id.name")
    def _compute_name(self):
        for appointment in self:
            appointment.name = " - ".join(
                filter(None, [appointment.type_id.name, appointment.partner_id.name])
            )

    def _compute_access_url(self):
        super()._compute_access_url()
        for appointment in self:
            appointment.access_url = f"/appointment/view/{appointment.id}"

    @api.model_create_multi
    def create(self, vals_list):
        appointments = super().create(vals_list)
        appointments.filtered(
            lambda a: a.state == "booked" and not a.event_id
        )._create_calendar_event()
        return appointments

    def write(self, vals):
        res = super().write(vals)
        if {"start", "stop", "assistant_id", "partner_id"} & set(vals):
            for appointment in self.filtered("event_id"):
                appointment.event_id.sudo().with_context(no_mail_to_attendees=True).write(
                    appointment._prepare_calendar_event_move_vals()
                )
        return res

    @api.constrains("start", "stop")
    def _check_dates(self):
        for appointment in self:
            if appointment.stop <= appointment.start:
                raise ValidationError(_("An appointment ends after it starts."))

    # ------------------------------------------------------------------
    # Display
    # ------------------------------------------------------------------

    def _local_start(self):
        """The start on the showroom's wall clock (aware)."""
        self.ensure_one()
        tz = pytz.timezone(self.showroom_id.tz or "UTC")
        return pytz.utc.localize(self.start).astimezone(tz)

    @api.depends("start", "showroom_id.tz")
    def _compute_local_start_label(self):
        """ "Tuesday 03 March 2026, 10:30 (Europe/Paris)": for e-mails and pages."""
        for appointment in self:
            if not appointment.start:
                appointment.local_start_label = False
                continue
            local = appointment._local_start()
            appointment.local_start_label = (
                f"{local.strftime('%A %d %B %Y, %H:%M')} ({appointment.showroom_id.tz or 'UTC'})"
            )

    def _is_manageable(self):
        """Whether the client's link can still move or cancel it: booked and not started."""
        self.ensure_one()
        return self.state == "booked" and self.start > fields.Datetime.now()

    # ------------------------------------------------------------------
    # Booking
    # ------------------------------------------------------------------

    @api.model
    def _find_or_create_client(self, company, name, email, phone):
        """The client's contact: found by e-mail among the company's contacts (or contacts of
        no company), never another company's; created in the company otherwise. An existing
        contact is never changed by what a guest typed (it stays on the appointment)."""
        normalized = email_normalize(email)
        if not normalized:
            raise UserError(_("Please give a valid e-mail address."))
        partners = (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("email_normalized", "=", normalized),
                    ("company_id", "in", [company.id, False]),
                ],
                order="id",
            )
        )
        own = partners.filtered(lambda p: p.company_id == company)
        partner = (own or partners)[:1]
        if partner:
            return partner
        return (
            self.env["res.partner"]
            .sudo()
            .create(self._prepare_client_vals(company, name, normalized, phone))
        )

    @api.model
    def _prepare_client_vals(self, company, name, email, phone):
        return {"name": name, "email": email, "phone": phone, "company_id": company.id}

    @api.model
    def _book(self, appointment_type, start, partner, assistant=None, now=None, **values):
        """Book ``appointment_type`` at ``start`` (aware UTC) for ``partner``.

        The assistant is ``assistant`` if given and free, else the first free one. Their
        agenda is locked first (see ``res.users._showroom_lock_agenda``), then the slot is
        checked again: two bookings of the same slot cannot both succeed. Raises UserError
        when the slot is not (or no longer) free.
        """
        appointment_type = appointment_type.sudo()
        free = appointment_type._get_free_assistants(start, now=now)
        if assistant:
            free &= assistant
        if not free:
            raise UserError(_("This time is no longer available: please choose another one."))
        chosen = free[0]
        chosen.sudo()._showroom_lock_agenda()
        if chosen not in appointment_type._get_free_assistants(start, now=now):
            raise UserError(_("This time was just taken: please choose another one."))
        vals = self._prepare_appointment_vals(appointment_type, start, partner, chosen, **values)
        appointment = self.sudo().create(vals)
        appointment._send_confirmation()
        return appointment

    @api.model
    def _prepare_appointment_vals(self, appointment_type, start, partner, assistant, **values):
        start = start.astimezone(pytz.utc).replace(tzinfo=None)
        return {
            "type_id": appointment_type.id,
            "start": start,
            "stop": start + timedelta(hours=appointment_type.duration),
            "partner_id": partner.id,
            "assistant_id": assistant.id,
            **values,
        }

    def _prepare_calendar_event_vals(self):
        self.ensure_one()
        if self.location == "home":
            location = self.visit_address or self.partner_id.contact_address
        else:
            location = self.showroom_id.partner_id.contact_address
        return {
            "name": self.name,
            "start": self.start,
            "stop": self.stop,
            "user_id": self.assistant_id.id,
            "partner_ids": [(6, 0, (self.assistant_id.partner_id | self.partner_id).ids)],
            "location": (location or "").replace("\n", ", ").strip(", "),
            "description": self.client_note or False,
            "show_as": "busy",
            "privacy": "confidential",
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
        }

    def _prepare_calendar_event_move_vals(self):
        self.ensure_one()
        return {
            "start": self.start,
            "stop": self.stop,
            "user_id": self.assistant_id.id,
            "partner_ids": [(6, 0, (self.assistant_id.partner_id | self.partner_id).ids)],
        }

    def _create_calendar_event(self):
        """The appointment in the assistant's calendar, with the client as attendee (no
        invitation from the calendar: the client gets the appointment's own e-mail)."""
        Event = self.env["calendar.event"].sudo().with_context(no_mail_to_attendees=True)
        for appointment in self:
            appointment.event_id = Event.create(appointment._prepare_calendar_event_vals())

    # ------------------------------------------------------------------
    # Client's link
    # ------------------------------------------------------------------

    def _reschedule(self, start, now=None):
        """Move the appointment to ``start`` (aware UTC), with the same assistant if free,
        else any free assistant of the type."""
        self.ensure_one()
        if not self._is_manageable():
            raise UserError(_("This appointment can no longer be changed."))
        appointment_type = self.type_id.sudo()
        free = appointment_type._get_free_assistants(start, now=now, exclude_events=self.event_id)
        if not free:
            raise UserError(_("This time is no longer available: please choose another one."))
        chosen = self.assistant_id if self.assistant_id in free else free[0]
        chosen.sudo()._showroom_lock_agenda()
        if chosen not in appointment_type._get_free_assistants(
            start, now=now, exclude_events=self.event_id
        ):
            raise UserError(_("This time was just taken: please choose another one."))
        vals = self._prepare_appointment_vals(appointment_type, start, self.partner_id, chosen)
        old = self.local_start_label
        self.sudo().write(
            {
                "start": vals["start"],
                "stop": vals["stop"],
                "assistant_id": chosen.id,
                "reminder_sent": False,
            }
        )
        self.sudo().message_post(
            body=_("Moved by the client from %(old)s.", old=old),
            subtype_xmlid="mail.mt_note",
        )
        self._send_confirmation()

    def action_cancel(self):
        for appointment in self:
            if appointment.state == "cancelled":
                continue
            appointment.state = "cancelled"
            if appointment.event_id:
                appointment.event_id.sudo().with_context(no_mail_to_attendees=True).unlink()
        return True

    def _cancel_by_client(self):
        self.ensure_one()
        if not self._is_manageable():
            raise UserError(_("This appointment can no longer be cancelled."))
        self.sudo().action_cancel()
        self.sudo().message_post(body=_("Cancelled by the client."), subtype_xmlid="mail.mt_note")
        self._send_cancellation()

    # ------------------------------------------------------------------
    # Messages
    # ------------------------------------------------------------------

    def _send_mail(self, template_xmlid):
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        for appointment in self.sudo():
            if appointment.partner_id.email:
                appointment._portal_ensure_token()
                template.send_mail(appointment.id)

    def _send_confirmation(self):
        """Hook: the client is told the appointment is booked (or moved)."""
        self._send_mail("showroom_appointment.mail_template_appointment_confirmed")

    def _send_reminder(self):
        """Hook: the client is reminded of the appointment."""
        self._send_mail("showroom_appointment.mail_template_appointment_reminder")

    def _send_cancellation(self):
        """Hook: the client is told the appointment is cancelled."""
        self._send_mail("showroom_appointment.mail_template_appointment_cancelled")

    @api.model
    def _cron_send_reminders(self, now=None):
        """Remind clients of the booked appointments starting within their type's reminder
        time (each once; a moved appointment is reminded again)."""
        now = now or fields.Datetime.now()
        longest = max(
            self.env["showroom.appointment.type"].sudo().search([]).mapped("reminder_hours"),
            default=0,
        )
        candidates = self.sudo().search(
            [
                ("state", "=", "booked"),
                ("reminder_sent", "=", False),
                ("start", ">", now),
                ("start", "<=", now + timedelta(hours=longest)),
                ("type_id.reminder_hours", ">", 0),
            ]
        )
        due = candidates.filtered(
            lambda a: a.start - timedelta(hours=a.type_id.reminder_hours) <= now
        )
        for appointment in due:
            appointment.reminder_sent = True
            appointment._send_reminder()
        return due
