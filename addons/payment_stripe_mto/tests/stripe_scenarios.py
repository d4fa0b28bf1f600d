"""Scenario helpers of the Stripe fake: what the next call does instead of succeeding.

The next PaymentIntent confirmation declines, asks for authentication or for 3-D Secure; the next
call on any route fails inside Stripe (500), is rate limited (429), meets a locked object (409),
hangs past the client's timeout, or is refused for its key (401, 403). Mixed into
:class:`.stripe_fake.StripeFake`, whose state (``_outcomes``, ``payment_methods``) they use.
"""

import copy

from odoo.addons.connector_common.tests.openapi_fake import Timeout

from .stripe_objects import PAYMENT_INTENTS, _response, error_body, new_id


class StripeScenarios:
    """The scenario half of :class:`.stripe_fake.StripeFake` (a mixin of it)."""

    # -- scenarios: the next PaymentIntent confirmation ----------------------------------------

    def decline_next(self, decline_code="insufficient_funds", *, code="card_declined"):
        """The next confirmed PaymentIntent is declined by the bank (402 card_error)."""
        messages = {
            "insufficient_funds": "Your card has insufficient funds.",
            "expired_card": "Your card has expired.",
            "incorrect_cvc": "Your card's security code is incorrect.",
        }
        message = messages.get(decline_code, "Your card was declined.")
        if decline_code in ("expired_card", "incorrect_cvc"):
            code = decline_code
        self._outcomes.append(lambda intent: self._card_error(intent, code, decline_code, message))
        return self

    def authentication_required_next(self):
        """The next off-session payment needs the customer's authentication (402)."""
        self._outcomes.append(
            lambda intent: self._card_error(
                intent,
                "authentication_required",
                "authentication_required",
                "Your card was declined. This transaction requires authentication.",
            )
        )
        return self

    def requires_action_next(self):
        """The next confirmation answers 200 with the intent in ``requires_action`` (3DS)."""

        def outcome(intent):
            intent.update(
                status="requires_action",
                next_action={
                    "type": "use_stripe_sdk",
                    "use_stripe_sdk": {"type": "three_d_secure_redirect"},
                },
            )
            return _response(200, intent)

        self._outcomes.append(outcome)
        return self

    def _card_error(self, intent, code, decline_code, message):
        charge = new_id("ch")
        last_error = error_body(
            "card_error",
            message,
            code=code,
            decline_code=decline_code,
            charge=charge,
            doc_url=f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}",
        )["error"]
        intent.update(
            status="requires_payment_method",
            latest_charge=charge,
            last_payment_error=copy.deepcopy(last_error),
        )
        body = {"error": {**last_error, "payment_intent": copy.deepcopy(intent)}}
        method = self.payment_methods.get(intent.get("payment_method"))
        if method is not None:
            body["error"]["payment_method"] = copy.deepcopy(method)
        return _response(402, body)

    # -- scenarios: transport and account failures (any route) ---------------------------------

    def server_error_next(self, route=PAYMENT_INTENTS, status=500):
        """The next call on ``route`` fails inside Stripe."""
        body = error_body("api_error", "Sorry, something went wrong on Stripe's end.")
        return self.queue(*route, _response(status, body, **{"Stripe-Should-Retry": "true"}))

    def rate_limit_next(self, route=PAYMENT_INTENTS, *, retry_after=None):
        """The next call on ``route`` is refused with 429 (too many requests), saying when
        to come back when ``retry_after`` (a ``Retry-After`` value) is given."""
        body = error_body(
            "invalid_request_error",
            "Too many requests hit the API too quickly.",
            code="rate_limit",
        )
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        return self.queue(*route, _response(429, body, **headers))

    def lock_timeout_next(self, route=PAYMENT_INTENTS):
        """The next call on ``route`` meets an object locked by another request (409)."""
        body = error_body(
            "invalid_request_error",
            "This object cannot be accessed right now because another API request or Stripe "
            "process is currently accessing it.",
            code="lock_timeout",
        )
        return self.queue(*route, _response(409, body))

    def timeout_next(self, seconds, route=PAYMENT_INTENTS):
        """Hold the next answer on ``route`` ``seconds``; Stripe still does the work after."""
        return self.queue(*route, Timeout(seconds))

    def invalid_api_key_next(self, route=PAYMENT_INTENTS):
        """The next call on ``route`` is refused as if the key had been rolled (401)."""
        return self.queue(*route, self._invalid_api_key())

    def permission_denied_next(self, route=PAYMENT_INTENTS):
        """The next call on ``route`` uses a restricted key lacking the permission (403)."""
        body = error_body(
            "invalid_request_error",
            "The provided key 'rk_test_****' does not have the required permissions for "
            "this endpoint.",
        )
        return self.queue(*route, _response(403, body))
