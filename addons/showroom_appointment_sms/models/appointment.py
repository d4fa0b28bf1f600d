from odoo import models


class ShowroomAppointment(models.Model):
    _inherit = "showroom.appointment"

    def _send_confirmation(self):
        super()._send_confirmation()
        self._send_sms("showroom_appointment_sms.sms_template_appointment_confirmed")

    def _send_reminder(self):
        super()._send_reminder()
        self._send_sms("showroom_appointment_sms.sms_template_appointment_reminder")

    def _send_cancellation(self):
        super()._send_cancellation()
        self._send_sms("showroom_appointment_sms.sms_template_appointment_cancelled")

    def _sms_number(self):
        """The number to text: the one the client typed when booking, else the contact's."""
        self.ensure_one()
        partner = self.partner_id
        if self.guest_phone:
            country = (
                partner.country_id
                or self.showroom_id.partner_id.country_id
                or self.company_id.country_id
            )
            return partner._phone_format(number=self.guest_phone, country=country) or (
                self.guest_phone
            )
        return partner.phone_sanitized or partner.mobile or partner.phone

    def _send_sms(self, template_xmlid):
        """Text the client through Odoo's SMS (sent by Twilio when the company uses it)."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        for appointment in self.sudo().filtered("type_id.sms_enabled"):
            number = appointment._sms_number()
            if not template or not number:
                continue
            appointment._portal_ensure_token()
            appointment._message_sms_with_template(
                template=template,
                partner_ids=appointment.partner_id.ids,
                sms_pid_to_number={appointment.partner_id.id: number},
            )
