from odoo import fields, models


class ShowroomAppointmentType(models.Model):
    _inherit = "showroom.appointment.type"

    sms_enabled = fields.Boolean(
        string="Text the Client",
        default=True,
        help="Also text the confirmation, reminder and cancellation to the phone the client "
        "gave (through Twilio when the company sends its SMS with Twilio).",
    )
