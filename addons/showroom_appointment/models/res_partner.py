from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    showroom_appointment_ids = fields.One2many("showroom.appointment", "partner_id")
    showroom_appointment_count = fields.Integer(
        compute="_compute_showroom_appointment_count", string="Appointments"
    )

    def _compute_showroom_appointment_count(self):
        counts = dict(
            self.env["showroom.appointment"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.showroom_appointment_count = counts.get(partner, 0)

    def action_view_showroom_appointments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "showroom_appointment.action_showroom_appointment"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
