from datetime import timedelta

from odoo import api, fields, models

from ..const import (
    RATE_LIMIT_EMAIL_DEFAULT,
    RATE_LIMIT_EMAIL_PARAM,
    RATE_LIMIT_IP_DEFAULT,
    RATE_LIMIT_IP_PARAM,
    RATE_LIMIT_WINDOW_MINUTES,
)


class ShowroomBookingAttempt(models.Model):
    """One try at the public booking form, kept an hour or so to rate-limit it."""

    _name = "showroom.booking.attempt"
    _description = "Showroom Booking Attempt"
    _log_access = False

    ip = fields.Char(index=True)
    email = fields.Char(index=True)
    attempted_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)

    @api.model
    def _limit(self, param, default):
        value = self.env["ir.config_parameter"].sudo().get_param(param)
        try:
            return int(value) if value else default
        except ValueError:
            return default

    @api.model
    def _showroom_register(self, ip, email):
        """Record one attempt; False when ``ip`` or ``email`` tried too often this hour."""
        since = fields.Datetime.now() - timedelta(minutes=RATE_LIMIT_WINDOW_MINUTES)
        attempts = self.sudo()
        by_ip = attempts.search_count([("ip", "=", ip), ("attempted_at", ">=", since)])
        by_email = email and attempts.search_count(
            [("email", "=", email), ("attempted_at", ">=", since)]
        )
        if by_ip >= self._limit(RATE_LIMIT_IP_PARAM, RATE_LIMIT_IP_DEFAULT):
            return False
        if email and by_email >= self._limit(RATE_LIMIT_EMAIL_PARAM, RATE_LIMIT_EMAIL_DEFAULT):
            return False
        attempts.create({"ip": ip, "email": email})
        return True

    @api.autovacuum
    def _gc_old_attempts(self):
        since = fields.Datetime.now() - timedelta(minutes=2 * RATE_LIMIT_WINDOW_MINUTES)
        self.sudo().search([("attempted_at", "<", since)]).unlink()
