from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    showroom_booking_count = fields.Integer(
        string="Appointments Booked Online",
        readonly=True,
        copy=False,
        help="Technical: raised by every booking, so two bookings for the same assistant "
        "cannot run side by side (the second waits, then sees the first).",
    )
    showroom_appointment_type_ids = fields.Many2many(
        "showroom.appointment.type",
        "showroom_appointment_type_res_users_rel",
        "user_id",
        "type_id",
        string="Appointment Types Taken",
    )

    def _showroom_lock_agenda(self):
        """Lock these assistants' agendas until the end of the transaction.

        An UPDATE, not a bare ``SELECT ... FOR UPDATE``: under Odoo's REPEATABLE READ a
        concurrent booking that committed after this transaction began makes this statement
        fail with a serialization error (Odoo then replays the request on a fresh snapshot that
        sees it), where a bare lock would be granted on a stale snapshot.
        """
        if not self:
            return
        self.env.cr.execute(
            "UPDATE res_users SET showroom_booking_count = COALESCE(showroom_booking_count, 0) + 1"
            " WHERE id IN %s",
            [tuple(sorted(self.ids))],
        )
        self.invalidate_recordset(["showroom_booking_count"])
