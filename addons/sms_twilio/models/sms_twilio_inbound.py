from odoo import _, api, fields, models
from odoo.exceptions import UserError

from . import const


class SmsTwilioInbound(models.Model):
    """A text a customer sent to one of the company's Twilio numbers.

    Kept once per Twilio Message SID, so Twilio repeating a webhook changes nothing. STOP-like
    words opt the number out through Odoo's phone blacklist, START-like words opt it back in,
    HELP gets the company's answer; anything else is posted in the chatter of the record the
    last SMS to that number was about, or of the customer.
    """

    _name = "sms.twilio.inbound"
    _description = "Inbound SMS (Twilio)"
    _order = "id desc"
    _rec_name = "number"

    message_sid = fields.Char(string="Twilio Message SID", required=True, readonly=True)
    number = fields.Char(string="From", readonly=True)
    body = fields.Text(readonly=True)
    action = fields.Selection(
        [
            ("opt_out", "Opted out"),
            ("opt_in", "Opted in"),
            ("help", "Asked for help"),
            ("reply", "Reply"),
        ],
        readonly=True,
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    res_model = fields.Char(string="Posted on Model", readonly=True)
    res_id = fields.Many2oneReference(model_field="res_model", string="Posted on", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    _sql_constraints = [
        ("message_sid_unique", "unique(message_sid)", "Twilio sent this message once."),
    ]

    @api.model
    def _twilio_receive(self, form, company):
        """Handle Twilio's inbound webhook (signature already verified); the text to answer."""
        message_sid = form.get("MessageSid") or form.get("SmsSid")
        if not message_sid or self.search_count([("message_sid", "=", message_sid)], limit=1):
            return None
        raw_number = form.get("From") or ""
        number = (
            self.env["res.partner"]._phone_format(number=raw_number, country=company.country_id)
            or raw_number
        )
        body = (form.get("Body") or "").strip()
        keyword = " ".join(body.upper().strip(" .!?").split())  # "Stop." opts out too
        partner = self._twilio_partner(number)
        vals = {
            "message_sid": message_sid,
            "number": number,
            "body": body,
            "partner_id": partner.id,
            "company_id": company.id,
        }
        answer = None
        target = partner
        if keyword in const.OPT_OUT_KEYWORDS:
            vals["action"] = "opt_out"
            note = _(
                "%(number)s replied %(word)s: no more SMS to this number.",
                number=number,
                word=keyword,
            )
            self._twilio_blacklist(number, note, add=True)
        elif keyword in const.OPT_IN_KEYWORDS:
            vals["action"] = "opt_in"
            note = _(
                "%(number)s replied %(word)s: SMS to this number are allowed again.",
                number=number,
                word=keyword,
            )
            self._twilio_blacklist(number, note, add=False)
        elif keyword in const.HELP_KEYWORDS:
            vals["action"] = "help"
            note = _("%(number)s asked for help by SMS.", number=number)
            answer = company.twilio_help_text or _(
                "%(company)s: reply STOP to receive no more SMS. Questions: %(contact)s",
                company=company.name,
                contact=company.phone or company.email or "-",
            )
        else:
            vals["action"] = "reply"
            note = _("SMS from %(number)s: %(body)s", number=number, body=body)
            target = self._twilio_reply_target(number) or partner
        inbound = self.create(vals)
        if target:
            target.message_post(
                body=note,
                author_id=partner.id or None,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            inbound.write({"res_model": target._name, "res_id": target.id})
        return answer

    @api.model
    def _twilio_partner(self, number):
        return self.env["res.partner"].search(
            [("phone_sanitized", "=", number)], order="id", limit=1
        )

    @api.model
    def _twilio_reply_target(self, number):
        """The record the last SMS to ``number`` was about."""
        last = self.env["sms.sms"].search(
            [("number", "=", number), ("mail_message_id", "!=", False)], order="id desc", limit=1
        )
        return last and last._twilio_record()

    @api.model
    def _twilio_blacklist(self, number, message, add):
        blacklist = self.env["phone.blacklist"]
        try:
            if add:
                blacklist._add([number], message=message)
            else:
                blacklist._remove([number], message=message)
        except UserError:
            # A sender id Odoo cannot read as a number: nothing to opt out.
            return False
        return True
