from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    def action_mto_sms_stages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sms_twilio_mto.action_mto_sms_stage"
        )
        action["domain"] = [("company_id", "=", self.company_id.id)]
        return action
