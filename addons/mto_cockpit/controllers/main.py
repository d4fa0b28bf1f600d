import hmac
import logging

from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.http import request

from odoo.addons.payment_stripe_mto.controllers.main import StripeMtoController
from odoo.addons.sms_twilio.controllers.main import TwilioController

from ..models.const import STATUS_KEY_PARAM, STATUS_ROUTE

_logger = logging.getLogger(__name__)


class StripeMtoCockpitController(StripeMtoController):
    """Counts the webhook requests refused for their signature (see the refusal model)."""

    @staticmethod
    def _stripe_mto_verify(payload, sig_header):
        event, provider = StripeMtoController._stripe_mto_verify(payload, sig_header)
        request.env["mto.cockpit.webhook.refusal"].sudo()._mto_record(
            "stripe", refused=event is None
        )
        return event, provider


class TwilioCockpitController(TwilioController):
    def _twilio_verified(self):
        refusals = request.env["mto.cockpit.webhook.refusal"].sudo()
        try:
            verified = super()._twilio_verified()
        except Forbidden:
            refusals._mto_record("twilio", refused=True)
            raise
        refusals._mto_record("twilio", refused=False)
        return verified


class MtoCockpitStatus(http.Controller):
    """Machine-readable status for monitoring: see the module's README.

    Answers to a request carrying the key of the system parameter ``mto_cockpit.status_api_key``
    in the ``X-Cockpit-Key`` header (compared in constant time; no key configured, no access by
    key), or to a logged-in administrator. Anything else gets 403 with no detail.
    """

    _status_url = STATUS_ROUTE

    @http.route(_status_url, type="http", auth="public", methods=["GET"], save_session=False)
    def mto_cockpit_status(self, **_kwargs):
        if not self._mto_cockpit_authorized():
            return request.make_json_response({"error": "forbidden"}, status=403)
        status = request.env["mto.cockpit.exception"].sudo()._mto_status()
        return request.make_json_response(status, headers=[("Cache-Control", "no-store")])

    @staticmethod
    def _mto_cockpit_authorized():
        user = request.env.user
        if user and not user._is_public() and user.has_group("base.group_system"):
            return True
        expected = request.env["ir.config_parameter"].sudo().get_param(STATUS_KEY_PARAM) or ""
        given = request.httprequest.headers.get("X-Cockpit-Key") or ""
        if not expected or not given:
            return False
        return hmac.compare_digest(given.encode(), expected.encode())
