import logging

import psycopg2
from werkzeug.exceptions import ServiceUnavailable

from odoo import _, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import mute_logger

from odoo.addons.payment_stripe.controllers.main import StripeController

from ..models import const
from ..models.stripe_request import StripeGatewayError, StripeTemporaryError
from ..models.stripe_webhook import StripeWebhookError, WebhookSecretMissing, verify_event

_logger = logging.getLogger(__name__)


class StripeMtoController(StripeController):
    """Odoo's Stripe routes, made strict.

    The webhook (same address as Odoo's, so the endpoint configured at Stripe does not
    change) proves the signature and its timestamp before it reads or writes anything,
    refuses every event when no signing secret is configured, acts on each event once and
    answers 200 after a handled business error so that Stripe stops retrying it.
    """

    _webhook_url = StripeController._webhook_url
    _return_url = StripeController._return_url

    @http.route(_webhook_url, type="http", methods=["POST"], auth="public", csrf=False)
    def stripe_webhook(self):
        payload = request.httprequest.get_data()
        event, providers = self._stripe_mto_verify(
            payload, request.httprequest.headers.get("Stripe-Signature")
        )
        if event is None:
            return request.make_response("", status=400)
        events = request.env["payment.stripe.event"].sudo()
        if events.search_count([("event_id", "=", event["id"])], limit=1):
            _logger.info("Stripe event %s already processed: ignored", event["id"])
            return request.make_json_response("")
        if not self._stripe_mto_lock_event(event["id"]):
            # Stripe sent the same event twice at once and another worker is applying it.
            # Waiting for that one (its unique event row) could hold this worker as long as
            # that request lasts, and with every worker so held, no worker is left for what
            # the first one waits for (the PDF of a confirmation fetches the server's own
            # assets). Stripe sends it again later: then recorded, or free to apply.
            _logger.info("Stripe event %s is being processed right now: retry later", event["id"])
            return request.make_json_response(
                {"error": "This event is being processed right now; send it again later."},
                headers=[("Retry-After", str(const.WEBHOOK_RETRY_AFTER_SECONDS))],
                status=409,
            )
        data_object = event["data"].get("object") or {}
        record = self._stripe_mto_record_event(event, providers[:1], data_object)
        if record is None:  # the same event processed at this very moment
            return request.make_json_response("")
        try:
            with request.env.cr.savepoint():
                handled = self._stripe_mto_dispatch(event, data_object, providers)
            record.result = "done" if handled else "ignored"
        except (ValidationError, UserError, StripeGatewayError) as error:
            if isinstance(error.__cause__ or error, StripeTemporaryError):
                # Stripe unreachable while catching up: fail the request (nothing of it is
                # kept, the event included) so that Stripe sends the event again later, with
                # a 503 that says so (a 400 would blame the event).
                raise ServiceUnavailable(
                    description=str(error), retry_after=const.WEBHOOK_RETRY_AFTER_SECONDS
                ) from error
            _logger.warning("Stripe event %s not applied: %s", event["id"], error)
            record.write({"result": "error", "message": str(error)})
        return request.make_json_response("")

    @staticmethod
    def _stripe_mto_verify(payload, sig_header):
        """Return ``(event, providers)``, or ``(None, None)`` when the request is refused.

        ``providers``: every Stripe provider whose signing secret proves the event (several
        only when companies share one Stripe account); the event may touch their
        transactions and no other's.
        """
        providers = (
            request.env["payment.provider"]
            .sudo()
            .search([("code", "=", "stripe"), ("state", "!=", "disabled")])
            .filtered("stripe_webhook_secret")
        )
        if not providers:
            _logger.warning("Stripe webhook refused: %s", WebhookSecretMissing.__doc__)
            return None, None
        error = None
        event = None
        verified = providers.browse()
        for provider in providers:
            try:
                event = verify_event(
                    payload,
                    sig_header,
                    provider.stripe_webhook_secret,
                    const.WEBHOOK_TOLERANCE_SECONDS,
                )
            except StripeWebhookError as refusal:
                error = refusal
                continue
            verified |= provider
        if not verified:
            _logger.warning("Stripe webhook refused: %s", error)
            return None, None
        return event, verified

    @staticmethod
    def _stripe_mto_lock_event(event_id):
        """Take the event's lock for this transaction, without waiting: False when another
        request holds it (the same event, being applied right now)."""
        request.env.cr.execute(
            "SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))",
            [const.WEBHOOK_EVENT_LOCK_KEY, event_id],
        )
        return request.env.cr.fetchone()[0]

    @staticmethod
    def _stripe_mto_record_event(event, provider, data_object):
        try:
            with request.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                return (
                    request.env["payment.stripe.event"]
                    .sudo()
                    .create(
                        {
                            "event_id": event["id"],
                            "event_type": event["type"],
                            "object_id": data_object.get("id"),
                            "provider_id": provider.id,
                        }
                    )
                )
        except psycopg2.IntegrityError:
            return None

    def _stripe_mto_dispatch(self, event, data_object, providers):
        """Act on the event, on transactions of ``providers`` only, in their company."""
        event_type = event["type"]
        if event_type not in const.HANDLED_WEBHOOK_EVENTS:
            return False
        transactions = request.env["payment.transaction"].sudo()
        if event_type.startswith("payment_intent."):
            tx = transactions._stripe_mto_find_by_intent(data_object, providers)
            tx.with_company(tx.company_id)._stripe_mto_apply_intent(data_object)
        elif event_type == "charge.refunded":
            tx = transactions._stripe_mto_find_by_intent_id(
                data_object.get("payment_intent"), providers
            )
            tx = tx.with_company(tx.company_id)
            if tx.state != "done":  # the refund arrived before the success: catch up first
                tx._stripe_mto_apply_intent(
                    tx.provider_id._stripe_mto_call(
                        "retrieve_payment_intent", tx.provider_reference
                    )
                )
            tx._stripe_mto_refund_from_charge(data_object)
        elif event_type == "charge.refund.updated":
            tx = transactions._stripe_mto_find_refund(data_object, providers)
            tx.with_company(tx.company_id)._stripe_mto_apply_refund_update(data_object)
        elif event_type == "charge.dispute.created":
            tx = transactions._stripe_mto_find_by_intent_id(
                data_object.get("payment_intent"), providers
            )
            tx.with_company(tx.company_id)._stripe_mto_alert_dispute(data_object)
        elif event_type == "setup_intent.succeeded":
            tx = transactions._stripe_mto_find_validation(data_object, providers)
            tx.with_company(tx.company_id)._stripe_mto_apply_setup_intent(data_object)
        return True

    @http.route(_return_url, type="http", methods=["GET"], auth="public")
    def stripe_return(self, **data):
        """After a redirection (3-D Secure, bank page), read the intent through our gateway."""
        tx_sudo = (
            request.env["payment.transaction"].sudo()._get_tx_from_notification_data("stripe", data)
        )
        if tx_sudo.operation == "validation":
            return super().stripe_return(**data)
        try:
            # The intent made for this payment, whatever the URL names (anyone can write one).
            intent_id = tx_sudo.provider_reference or data.get("payment_intent")
            if data.get("payment_intent") not in (None, intent_id):
                raise ValidationError(
                    _("PaymentIntent %s is not for this payment.", data["payment_intent"])
                )
            intent = tx_sudo.provider_id._stripe_mto_call("retrieve_payment_intent", intent_id)
            tx_sudo._stripe_mto_apply_intent(intent)
        except ValidationError as error:
            # The status page tells the customer where the payment stands.
            _logger.warning("Return from Stripe for %s not applied: %s", tx_sudo.reference, error)
        with mute_logger("werkzeug"):
            return request.redirect("/payment/status")
