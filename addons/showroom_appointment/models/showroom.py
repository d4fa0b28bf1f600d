from datetime import timedelta

import pytz

from odoo import api, fields, models


class Showroom(models.Model):
    """A place where clients meet the retailer: its address, its opening hours (a working
    calendar, in the showroom's timezone) and its closures (the calendar's leaves)."""

    _name = "showroom.showroom"
    _description = "Showroom"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Address",
        required=True,
        help="The showroom's address, given to clients in the confirmation.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Opening Hours",
        required=True,
        help="Hours the showroom is open; its time off entries are the closures and holidays.",
    )
    tz = fields.Selection(related="resource_calendar_id.tz", readonly=False)
    closure_ids = fields.One2many(
        "resource.calendar.leaves",
        compute="_compute_closure_ids",
        string="Closures",
        help="Time off of the opening hours that concerns the whole showroom.",
    )
    appointment_type_ids = fields.One2many("showroom.appointment.type", "showroom_id")

    @api.depends("resource_calendar_id")
    def _compute_closure_ids(self):
        for showroom in self:
            showroom.closure_ids = self.env["resource.calendar.leaves"].search(
                [
                    ("calendar_id", "=", showroom.resource_calendar_id.id),
                    ("resource_id", "=", False),
                ]
            )

    def _showroom_open_intervals(self, start, stop):
        """Opening intervals between two aware datetimes, closures removed, as aware UTC
        (start, stop) pairs."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        intervals = calendar._work_intervals_batch(start, stop)[False]
        return [(a.astimezone(pytz.utc), b.astimezone(pytz.utc)) for a, b, _meta in intervals]

    def _showroom_local_day_bounds(self, day):
        """First and last instants of a day of the showroom's wall clock, in aware UTC."""
        self.ensure_one()
        tz = pytz.timezone(self.tz or "UTC")
        start = tz.localize(fields.Datetime.to_datetime(day))
        stop = tz.localize(fields.Datetime.to_datetime(day + timedelta(days=1)))
        return start.astimezone(pytz.utc), stop.astimezone(pytz.utc)
