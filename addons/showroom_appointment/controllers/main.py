from datetime import date, datetime, timedelta

import pytz
from werkzeug.exceptions import NotFound

from odoo import _, fields, http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import consteq, email_normalize

from ..const import BOOKING_PAGE_DAYS

START_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def _format_start(slot):
    return slot.astimezone(pytz.utc).strftime(START_FORMAT)


def _parse_start(value):
    """An aware UTC datetime from the form's ``start``, or None when it is not one."""
    try:
        return pytz.utc.localize(datetime.strptime(value or "", START_FORMAT))
    except ValueError:
        return None


def _parse_day(value, default):
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


class ShowroomAppointmentController(http.Controller):
    """Public booking pages: guests choose a slot, give their name, e-mail and phone, and
    get a link (with the appointment's access token) to move or cancel it."""

    _types_route = "/appointment"
    _type_route = "/appointment/<int:type_id>"
    _book_route = "/appointment/<int:type_id>/book"
    _view_route = "/appointment/view/<int:appointment_id>"

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _published_type(self, type_id):
        appointment_type = request.env["showroom.appointment.type"].sudo().browse(type_id).exists()
        if not appointment_type or not appointment_type.is_published:
            raise NotFound()
        return appointment_type

    def _appointment_from_token(self, appointment_id, access_token):
        """The appointment of the link (sudo), or NotFound for any other token."""
        appointment = request.env["showroom.appointment"].sudo().browse(appointment_id).exists()
        if (
            not appointment
            or not access_token
            or not appointment.access_token
            or not consteq(appointment.access_token, access_token)
        ):
            raise NotFound()
        return appointment

    def _render_message(self, title, message, status=200):
        return request.render(
            "showroom_appointment.message_page",
            {"title": title, "message": message},
            status=status,
        )

    def _too_many(self):
        return self._render_message(
            _("Too many attempts"),
            _("Please try again in an hour, or call the showroom."),
            status=429,
        )

    def _client_ip(self):
        return request.httprequest.remote_addr or ""

    def _slots_values(self, appointment_type, day, exclude_events=None):
        tz = pytz.timezone(appointment_type.showroom_id.tz or "UTC")
        today = pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()
        first_day = max(day, today)
        days = appointment_type._get_slots_by_day(
            first_day, BOOKING_PAGE_DAYS, exclude_events=exclude_events
        )
        last = today + timedelta(days=appointment_type.horizon_days)
        next_day = first_day + timedelta(days=BOOKING_PAGE_DAYS)
        return {
            "appointment_type": appointment_type,
            "showroom": appointment_type.showroom_id,
            "days": days,
            "format_start": _format_start,
            "previous_day": (
                first_day - timedelta(days=BOOKING_PAGE_DAYS) if first_day > today else False
            ),
            "next_day": next_day if next_day <= last else False,
        }

    # ------------------------------------------------------------------
    # Booking
    # ------------------------------------------------------------------

    @http.route(
        _types_route, type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def appointment_types(self, **kwargs):
        types = (
            request.env["showroom.appointment.type"].sudo().search([("is_published", "=", True)])
        )
        return request.render("showroom_appointment.types_page", {"appointment_types": types})

    @http.route(
        _type_route, type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def appointment_slots(self, type_id, day=None, **kwargs):
        appointment_type = self._published_type(type_id)
        values = self._slots_values(appointment_type, _parse_day(day, date.min))
        values["slot_url"] = lambda slot: (
            f"/appointment/{appointment_type.id}/book?start={_format_start(slot)}"
        )
        values["day_url"] = lambda day: f"/appointment/{appointment_type.id}?day={day}"
        return request.render("showroom_appointment.slots_page", values)

    @http.route(
        _book_route, type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def appointment_form(self, type_id, start=None, **kwargs):
        appointment_type = self._published_type(type_id)
        slot = _parse_start(start)
        if not slot:
            raise NotFound()
        return request.render(
            "showroom_appointment.booking_form",
            self._form_values(appointment_type, slot, {}),
        )

    def _form_values(self, appointment_type, slot, posted, error=None):
        tz = pytz.timezone(appointment_type.showroom_id.tz or "UTC")
        user = request.env.user
        defaults = {}
        if not user._is_public():
            partner = user.partner_id
            defaults = {"name": partner.name, "email": partner.email, "phone": partner.phone}
        return {
            "appointment_type": appointment_type,
            "showroom": appointment_type.showroom_id,
            "start": _format_start(slot),
            "local_start": slot.astimezone(tz),
            "posted": {**defaults, **posted},
            "error": error,
        }

    @http.route(
        _book_route, type="http", auth="public", methods=["POST"], website=True, sitemap=False
    )
    def appointment_book(self, type_id, start=None, **post):
        appointment_type = self._published_type(type_id)
        slot = _parse_start(start)
        if not slot:
            raise NotFound()
        posted = {
            key: (post.get(key) or "").strip()
            for key in ("name", "email", "phone", "visit_address", "client_note")
        }
        email = email_normalize(posted["email"])

        def again(error, status):
            values = self._form_values(appointment_type, slot, posted, error)
            return request.render("showroom_appointment.booking_form", values, status=status)

        if not posted["name"] or not email or not posted["phone"]:
            return again(_("Please give your name, a valid e-mail and a phone number."), 400)
        if appointment_type.location == "home" and not posted["visit_address"]:
            return again(_("Please give the address where we should come."), 400)
        if not request.env["showroom.booking.attempt"]._showroom_register(self._client_ip(), email):
            return self._too_many()
        Appointment = request.env["showroom.appointment"]
        try:
            partner = Appointment._find_or_create_client(
                appointment_type.company_id, posted["name"], email, posted["phone"]
            )
            appointment = Appointment._book(
                appointment_type,
                slot,
                partner,
                **self._prepare_booking_values(posted, email),
            )
        except UserError as error:
            return again(str(error), 409)
        return request.redirect(appointment.get_portal_url())

    def _prepare_booking_values(self, posted, email):
        return {
            "guest_name": posted["name"],
            "guest_email": email,
            "guest_phone": posted["phone"],
            "visit_address": posted["visit_address"] or False,
            "client_note": posted["client_note"] or False,
        }

    # ------------------------------------------------------------------
    # The client's link
    # ------------------------------------------------------------------

    def _expired(self):
        return self._render_message(
            _("This link has expired"),
            _("The appointment has passed. We look forward to seeing you again."),
            status=410,
        )

    @http.route(
        _view_route, type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def appointment_view(self, appointment_id, access_token=None, **kwargs):
        appointment = self._appointment_from_token(appointment_id, access_token)
        if appointment.start <= fields.Datetime.now():
            return self._expired()
        return request.render(
            "showroom_appointment.appointment_page",
            {"appointment": appointment, "access_token": access_token},
        )

    @http.route(
        f"{_view_route}/cancel",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def appointment_cancel(self, appointment_id, access_token=None, **kwargs):
        appointment = self._appointment_from_token(appointment_id, access_token)
        if not request.env["showroom.booking.attempt"]._showroom_register(self._client_ip(), None):
            return self._too_many()
        if appointment.start <= fields.Datetime.now():
            return self._expired()
        try:
            appointment._cancel_by_client()
        except UserError as error:
            return self._render_message(_("Not cancelled"), str(error), status=409)
        return request.redirect(f"{appointment.access_url}?access_token={access_token}")

    @http.route(
        f"{_view_route}/reschedule",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def appointment_reschedule_slots(self, appointment_id, access_token=None, day=None, **kw):
        appointment = self._appointment_from_token(appointment_id, access_token)
        if not appointment._is_manageable():
            return self._expired()
        values = self._slots_values(
            appointment.type_id, _parse_day(day, date.min), exclude_events=appointment.event_id
        )
        values.update(
            appointment=appointment,
            access_token=access_token,
            day_url=lambda day: (
                f"{appointment.access_url}/reschedule?access_token={access_token}&day={day}"
            ),
        )
        return request.render("showroom_appointment.slots_page", values)

    @http.route(
        f"{_view_route}/reschedule",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def appointment_reschedule(self, appointment_id, access_token=None, start=None, **kwargs):
        appointment = self._appointment_from_token(appointment_id, access_token)
        slot = _parse_start(start)
        if not slot:
            raise NotFound()
        if not request.env["showroom.booking.attempt"]._showroom_register(self._client_ip(), None):
            return self._too_many()
        if not appointment._is_manageable():
            return self._expired()
        try:
            appointment._reschedule(slot)
        except UserError as error:
            return self._render_message(_("Not moved"), str(error), status=409)
        return request.redirect(f"{appointment.access_url}?access_token={access_token}")
