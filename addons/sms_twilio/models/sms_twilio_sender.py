from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.phone_validation.tools import phone_validation


class SmsTwilioSender(models.Model):
    """A Twilio phone number the company sends from, for one destination country or all."""

    _name = "sms.twilio.sender"
    _description = "Twilio Sender Number"
    _order = "company_id, country_id, id"
    _rec_name = "number"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, ondelete="cascade"
    )
    country_id = fields.Many2one(
        "res.country",
        string="Destination Country",
        help="Messages to this country go out from this number. Empty: every other country.",
    )
    number = fields.Char(
        string="Twilio Number", required=True, help="A number of the Twilio account, E.164."
    )

    _sql_constraints = [
        (
            "company_country_unique",
            "unique(company_id, country_id)",
            "One sender number per destination country.",
        ),
    ]

    @api.constrains("number")
    def _check_number(self):
        for sender in self:
            if not (sender.number or "").startswith("+") or not self._region_of(sender.number):
                raise ValidationError(
                    _(
                        "%(number)s is not an international number (E.164, such as +14155550199).",
                        number=sender.number,
                    )
                )

    @api.constrains("company_id", "country_id")
    def _check_one_sender_for_all_countries(self):
        # unique(company_id, country_id) lets several rows without a country through (NULLs).
        for sender in self.filtered(lambda s: not s.country_id):
            others = self.search_count(
                [
                    ("company_id", "=", sender.company_id.id),
                    ("country_id", "=", False),
                    ("id", "!=", sender.id),
                ],
                limit=1,
            )
            if others:
                raise ValidationError(_("One sender number for all other countries is enough."))

    @api.model
    def _region_of(self, e164_number):
        """ISO country code of an E.164 number ('BE'), or '' when unknown."""
        return phone_validation.phone_get_region_data_for_number(e164_number).get("code") or ""
