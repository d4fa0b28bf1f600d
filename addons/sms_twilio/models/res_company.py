import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from . import const
from .twilio_request import TwilioClient

_logger = logging.getLogger(__name__)


class ResCompany(models.Model):
    _inherit = "res.company"

    sms_provider = fields.Selection(
        [("iap", "Odoo IAP"), ("twilio", "Twilio")],
        string="SMS Transport",
        default="iap",
        required=True,
        help="Odoo IAP: Odoo's paid SMS service. Twilio: the company's own Twilio account.",
    )
    twilio_account_sid = fields.Char(string="Twilio Account SID", groups="base.group_system")
    twilio_auth_token = fields.Char(groups="base.group_system", copy=False)
    twilio_sender_mode = fields.Selection(
        [("service", "Messaging Service"), ("numbers", "Phone numbers per country")],
        string="Twilio Sender",
        default="service",
        required=True,
    )
    twilio_messaging_service_sid = fields.Char(
        string="Messaging Service SID", groups="base.group_system"
    )
    twilio_sender_ids = fields.One2many(
        "sms.twilio.sender", "company_id", string="Twilio Sender Numbers"
    )
    twilio_timeout = fields.Float(
        string="Twilio Timeout (s)",
        default=const.DEFAULT_TIMEOUT,
        help=f"Seconds to wait for each answer from Twilio (more than 0, at most "
        f"{const.MAX_TIMEOUT}).",
    )
    twilio_api_base_url = fields.Char(
        string="Twilio API Address",
        groups="base.group_system",
        copy=False,
        help="Leave empty to reach Twilio. Tests point it at a local stand-in; the "
        "neutralization of a copied database empties it.",
    )
    twilio_help_text = fields.Char(
        string="Answer to HELP",
        translate=True,
        help="Sent back to a customer who texts HELP. Empty: company name and phone.",
    )

    @api.constrains("twilio_timeout")
    def _check_twilio_timeout(self):
        for company in self:
            if not 0 < company.twilio_timeout <= const.MAX_TIMEOUT:
                raise ValidationError(
                    _(
                        "The Twilio timeout of %(company)s must be more than 0 and at most "
                        "%(max)s seconds: a text job waiting longer could be stopped by the "
                        "server right after Twilio sent the text.",
                        company=company.name,
                        max=const.MAX_TIMEOUT,
                    )
                )

    def _twilio_enabled(self):
        self.ensure_one()
        return self.sms_provider == "twilio"

    def _twilio_client(self):
        """The one place a Twilio client is built: credentials, timeout, API root (all
        fields of the company, see docs/connectors.md)."""
        self.ensure_one()
        company = self.sudo()
        if not company.twilio_account_sid or not company.twilio_auth_token:
            raise UserError(
                _(
                    "Twilio is not configured for %(company)s: enter the Account SID and the "
                    "Auth Token in the settings.",
                    company=self.name,
                )
            )
        return TwilioClient(
            company.twilio_account_sid,
            company.twilio_auth_token,
            timeout=company.twilio_timeout if company.twilio_timeout > 0 else const.DEFAULT_TIMEOUT,
            base_url=company.twilio_api_base_url or None,
        )

    def _twilio_sender(self, e164_number):
        """Sender arguments of ``TwilioClient.send_message`` for a destination number."""
        self.ensure_one()
        company = self.sudo()
        if company.twilio_sender_mode == "service":
            if company.twilio_messaging_service_sid:
                return {"messaging_service_sid": company.twilio_messaging_service_sid}
        else:
            region = self.env["sms.twilio.sender"]._region_of(e164_number)
            senders = company.twilio_sender_ids
            sender = (
                senders.filtered(lambda s: s.country_id.code == region)[:1]
                or (senders.filtered(lambda s: not s.country_id)[:1])
            )
            if sender:
                return {"from_": sender.number}
        raise UserError(
            _(
                "No Twilio sender for %(number)s: set a Messaging Service SID, or a sender "
                "number for this country (or for all countries), in the settings.",
                number=e164_number,
            )
        )

    def _twilio_company_for(self, account_sid):
        """The company sending through Twilio account ``account_sid`` (webhooks), or None."""
        if not account_sid:
            return None
        companies = self.sudo().search(
            [("twilio_account_sid", "=", account_sid), ("sms_provider", "=", "twilio")]
        )
        return companies.filtered("twilio_auth_token")[:1] or None
