import logging

from twilio.twiml.messaging_response import MessagingResponse
from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.http import request

from ..models import const
from ..models.twilio_request import verify_signature

_logger = logging.getLogger(__name__)


class TwilioController(http.Controller):
    """Twilio's webhooks: message status callbacks and inbound messages.

    Each request is checked against ``X-Twilio-Signature`` with the Auth Token of the account it
    names before anything else; without a configured token everything is refused (403). A
    verified request is answered 200 even when it matches nothing, so Twilio stops repeating it.
    """

    _status_url = const.STATUS_ROUTE
    _inbound_url = const.INBOUND_ROUTE

    @http.route(
        _status_url, type="http", auth="public", methods=["POST"], csrf=False, save_session=False
    )
    def twilio_status(self, **_kwargs):
        form, _company = self._twilio_verified()
        sms = (
            request.env["sms.sms"]
            .sudo()
            ._twilio_find(
                form.get("MessageSid") or form.get("SmsSid"), request.httprequest.args.get("sms")
            )
        )
        if sms and sms.company_id.twilio_account_sid == form.get("AccountSid"):
            error_code = form.get("ErrorCode")
            sms._twilio_apply_status(
                form.get("MessageStatus") or form.get("SmsStatus"),
                int(error_code) if (error_code or "").isdigit() else None,
            )
        return request.make_response("", headers=[("Content-Type", "text/plain")])

    @http.route(
        _inbound_url, type="http", auth="public", methods=["POST"], csrf=False, save_session=False
    )
    def twilio_inbound(self, **_kwargs):
        form, company = self._twilio_verified()
        answer = request.env["sms.twilio.inbound"].sudo()._twilio_receive(form, company)
        twiml = MessagingResponse()
        if answer:
            twiml.message(answer)
        return request.make_response(str(twiml), headers=[("Content-Type", "text/xml")])

    def _twilio_verified(self):
        """The POST fields and the company of a request Twilio signed, else 403."""
        httprequest = request.httprequest
        form = httprequest.form.to_dict()
        company = request.env["res.company"].sudo()._twilio_company_for(form.get("AccountSid"))
        if not verify_signature(
            company.twilio_auth_token if company else None,
            httprequest.url,
            form,
            httprequest.headers.get("X-Twilio-Signature"),
        ):
            _logger.warning(
                "Twilio webhook refused (bad or missing signature): %s", httprequest.path
            )
            raise Forbidden()
        return form, company
