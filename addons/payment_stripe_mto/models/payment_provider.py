import logging

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.payment_stripe import utils as stripe_utils

from . import const
from .stripe_request import StripeGateway, StripeGatewayError, StripeTemporaryError

_logger = logging.getLogger(__name__)


class PaymentProvider(models.Model):
    """Odoo's own Stripe provider, calling Stripe through :class:`StripeGateway`.

    Contract (``docs/connectors.md``): ``_stripe_client()`` builds the client from the
    provider's fields; ``_stripe_mto_call(name, ...)`` runs one gateway method and turns its
    errors into a ``ValidationError`` worded for the customer. Odoo's own Stripe calls
    (``_stripe_make_request``: SetupIntents, webhook endpoints...) take the same client.
    """

    _inherit = "payment.provider"

    stripe_mto_timeout = fields.Integer(
        string="Stripe Timeout (s)",
        default=const.DEFAULT_TIMEOUT,
        help=f"Seconds to wait for each answer from Stripe (1 to {const.MAX_TIMEOUT}).",
    )
    stripe_mto_api_base_url = fields.Char(
        string="Stripe API Address",
        copy=False,
        groups="base.group_system",
        help="Leave empty to reach Stripe. Tests point it at a local stand-in; the "
        "neutralization of a copied database empties it.",
    )

    @api.constrains("stripe_mto_timeout")
    def _check_stripe_mto_timeout(self):
        for provider in self:
            if not 0 <= provider.stripe_mto_timeout <= const.MAX_TIMEOUT:
                raise ValidationError(
                    _(
                        "The Stripe timeout of %(provider)s must be between 1 and %(max)s "
                        "seconds: a longer wait would let the server stop the request in the "
                        "middle of a payment.",
                        provider=provider.name,
                        max=const.MAX_TIMEOUT,
                    )
                )

    @api.constrains("capture_manually", "code", "company_id")
    def _check_stripe_mto_capture_with_deposits(self):
        for provider in self.filtered(lambda p: p.code == "stripe" and p.capture_manually):
            if provider.company_id._mto_takes_deposit():
                raise ValidationError(provider._stripe_mto_manual_capture_message())

    def _stripe_mto_manual_capture_message(self):
        return _(
            "Deposits are captured at once: an authorisation hold expires (7 days for cards) "
            'long before a made-to-order piece is made. Turn off "Capture Amount Manually" '
            "on %(provider)s, or the deposit of %(company)s.",
            provider=self.name,
            company=self.company_id.name,
        )

    def _stripe_make_request(
        self, endpoint, payload=None, method="POST", offline=False, idempotency_key=None
    ):
        """Odoo's Stripe calls, through this provider's client (the SDK): the same version,
        timeout, address and error mapping as the made-to-order flows. Errors as Odoo's: a
        ``ValidationError``, except that an offline operation gets Stripe's error answer back
        to handle it."""
        self.ensure_one()
        if endpoint == "webhook_endpoints" and method == "POST" and payload:
            # The endpoint created by "Generate your webhook" sends our events, rendered in
            # the pinned API version (Odoo's would be 2019's).
            payload = dict(
                payload,
                **{
                    "enabled_events[]": list(const.HANDLED_WEBHOOK_EVENTS),
                    "api_version": const.API_VERSION,
                },
            )
        headers = dict(self._get_stripe_extra_request_headers())
        headers.pop("Stripe-Version", None)  # the client sends the pinned one
        try:
            return self._stripe_client().request(
                method,
                endpoint,
                payload,
                idempotency_key=idempotency_key if method == "POST" else None,
                headers=headers or None,
            )
        except StripeGatewayError as error:
            _logger.warning("Stripe %s %s failed: %s", method, endpoint, error.detail)
            body = error.response_body or {}
            if offline and body.get("error"):
                return body
            if isinstance(error, StripeTemporaryError) and error.http_status is None:
                raise ValidationError(
                    _("Stripe: Could not establish the connection to the API.")
                ) from error
            raise ValidationError(
                _(
                    "Stripe: The communication with the API failed.\n"
                    "Stripe gave us the following info about the problem:\n'%(message)s'",
                    message=(body.get("error") or {}).get("message", ""),
                )
            ) from error

    def _get_stripe_extra_request_headers(self):
        # Odoo's own Stripe calls (SetupIntents, Connect) use the same pinned version.
        headers = super()._get_stripe_extra_request_headers()
        headers["Stripe-Version"] = const.API_VERSION
        return headers

    def _stripe_client(self):
        """Return the Stripe client of this provider (the one place it is built)."""
        self.ensure_one()
        provider = self.sudo()
        return StripeGateway(
            stripe_utils.get_secret_key(provider),
            timeout=min(provider.stripe_mto_timeout or const.DEFAULT_TIMEOUT, const.MAX_TIMEOUT),
            api_base=provider.stripe_mto_api_base_url or None,
            api_version=const.API_VERSION,
        )

    def _stripe_mto_call(self, method_name, *args, **kwargs):
        """Run ``StripeGateway.<method_name>``; errors become a ValidationError for people."""
        self.ensure_one()
        try:
            return getattr(self._stripe_client(), method_name)(*args, **kwargs)
        except StripeGatewayError as error:
            _logger.warning("Stripe %s failed: %s", method_name, error.detail)
            raise ValidationError(_("Stripe: %s", error.user_message)) from error
