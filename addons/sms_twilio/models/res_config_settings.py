from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sms_provider = fields.Selection(related="company_id.sms_provider", readonly=False)
    twilio_account_sid = fields.Char(
        related="company_id.twilio_account_sid", readonly=False, groups="base.group_system"
    )
    twilio_auth_token = fields.Char(
        related="company_id.twilio_auth_token", readonly=False, groups="base.group_system"
    )
    twilio_sender_mode = fields.Selection(related="company_id.twilio_sender_mode", readonly=False)
    twilio_messaging_service_sid = fields.Char(
        related="company_id.twilio_messaging_service_sid",
        readonly=False,
        groups="base.group_system",
    )
    twilio_help_text = fields.Char(related="company_id.twilio_help_text", readonly=False)
    twilio_timeout = fields.Float(related="company_id.twilio_timeout", readonly=False)

    def action_twilio_senders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sms_twilio.action_sms_twilio_sender"
        )
        action["context"] = {"default_company_id": self.company_id.id}
        action["domain"] = [("company_id", "=", self.company_id.id)]
        return action
