from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# What a manufacturer may change of its own record from the portal, nothing else.
MANUFACTURER_PROFILE_FIELDS = (
    "phone",
    "mobile",
    "email",
    "website",
    "street",
    "street2",
    "zip",
    "city",
    "country_id",
    "mto_workshop_address",
    "mto_lead_time_days",
    "mto_contact_channel",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    mto_workshop_address = fields.Text(
        string="Workshop Address", help="Where pieces are made and collected, if not the office."
    )
    mto_lead_time_days = fields.Integer(
        string="Usual Lead Time (days)", help="The manufacturer's own estimate, for planning."
    )
    mto_contact_channel = fields.Selection(
        [
            ("portal", "Portal messages"),
            ("email", "E-mail"),
            ("phone", "Phone"),
            ("sms", "Text message"),
        ],
        string="Preferred Contact Channel",
        default="portal",
    )

    @api.constrains("mto_lead_time_days")
    def _check_mto_lead_time_days(self):
        for partner in self:
            if not 0 <= partner.mto_lead_time_days <= 730:
                raise ValidationError(_("A lead time is between 0 and 730 days."))

    def action_mto_invite_to_portal(self):
        """Open Odoo's portal access wizard on this manufacturer's people."""
        self.ensure_one()
        contacts = self.child_ids.filtered(lambda p: p.type == "contact" and p.email) or self
        return {
            "type": "ir.actions.act_window",
            "name": _("Portal Access"),
            "res_model": "portal.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": "res.partner", "active_ids": contacts.ids},
        }
