"""Plain-Python client of the Stripe API for the made-to-order payment flows.

Imports nothing from Odoo: the provider model builds a :class:`StripeGateway` from its
fields (secret key, timeout) and turns the exceptions below into Odoo errors. The flows:

* deposit or full payment on the website: :meth:`StripeGateway.create_payment_intent`
  with automatic payment methods (Payment Element and Express Checkout Element confirm it
  in the browser), optionally saving the card for later with the customer's consent;
* balance charged later without the customer: :meth:`StripeGateway.charge_off_session`;
* refunds: :meth:`StripeGateway.create_refund`;
* Odoo's own Stripe calls (SetupIntents, webhook endpoints, ...): :meth:`StripeGateway.request`.

Every call goes through :meth:`StripeGateway._call`: pinned Stripe-Version, an explicit
timeout, an idempotency key on every write, and Stripe's errors mapped to the exceptions
of this file.
"""

import functools
from decimal import ROUND_HALF_UP, Decimal

import stripe

from odoo.addons.connector_common.tools.retry import parse_retry_after

from . import const

# SDK service methods that write at Stripe: each needs an idempotency key.
_WRITE_METHODS = frozenset({"create", "confirm", "capture", "cancel", "update"})


# ---------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------


class StripeGatewayError(Exception):
    """A Stripe call failed.

    ``user_message`` is plain words the customer can act on; ``detail`` is for the back
    office (Stripe's type, code, HTTP status, request id and message; never the key).
    """

    default_user_message = (
        "Your payment could not be processed. Please try again or contact us to complete "
        "your order."
    )

    def __init__(
        self,
        user_message=None,
        detail="",
        *,
        code=None,
        http_status=None,
        request_id=None,
        idempotency_key=None,
        response_body=None,
    ):
        self.user_message = user_message or self.default_user_message
        self.detail = detail
        self.code = code
        self.http_status = http_status
        self.request_id = request_id
        self.idempotency_key = idempotency_key
        # Stripe's answer as a dict (``{"error": {...}}``) when Stripe answered at all.
        self.response_body = response_body
        super().__init__(detail or self.user_message)


class StripeCardError(StripeGatewayError):
    """The card was declined; ``decline_code`` says why (``insufficient_funds``, ...)."""

    default_user_message = const.GENERIC_DECLINE_MESSAGE

    def __init__(self, user_message=None, detail="", *, decline_code=None, **kwargs):
        self.decline_code = decline_code
        super().__init__(user_message, detail, **kwargs)


class StripeAuthenticationRequired(StripeGatewayError):
    """The bank wants the customer to confirm the payment (3-D Secure).

    Off-session the customer is not there: send them a link to a page that confirms
    ``payment_intent_id`` in the browser with ``client_secret``.
    """

    default_user_message = (
        "Your bank asks you to confirm this payment. We will send you a secure link to approve it."
    )

    def __init__(
        self,
        user_message=None,
        detail="",
        *,
        payment_intent_id=None,
        client_secret=None,
        payment_method=None,
        **kwargs,
    ):
        self.payment_intent_id = payment_intent_id
        self.client_secret = client_secret
        self.payment_method = payment_method
        super().__init__(user_message, detail, **kwargs)


class StripeTemporaryError(StripeGatewayError):
    """Stripe could not be reached or asked to slow down: retry with the SAME key.

    ``retry_after``: seconds Stripe asked to wait (its ``Retry-After``), or None.
    """

    default_user_message = (
        "The payment service is temporarily unavailable. Please try again in a few minutes; "
        "you will not be charged twice."
    )

    def __init__(self, user_message=None, detail="", *, retry_after=None, **kwargs):
        self.retry_after = retry_after
        super().__init__(user_message, detail, **kwargs)


class StripeConfigError(StripeGatewayError):
    """Stripe refused our credentials (invalid API key, missing permission)."""

    default_user_message = (
        "Card payments are not available at the moment. Please contact us to complete your order."
    )


class StripeIdempotencyError(StripeGatewayError):
    """The idempotency key was already used with other parameters (a changed amount, ...).

    A programming or data error: the caller must derive a new key for the new request.
    """


# ---------------------------------------------------------------------------------------
# Amounts
# ---------------------------------------------------------------------------------------


def _minor_unit_factor_and_step(currency):
    code = (currency or "").upper()
    if len(code) != 3:
        raise ValueError(f"Not an ISO 4217 currency code: {currency!r}")
    if code in const.ZERO_DECIMAL_CURRENCIES:
        return 1, 1
    if code in const.THREE_DECIMAL_CURRENCIES:
        return 1000, 10
    if code in const.WHOLE_UNIT_TWO_DECIMAL_CURRENCIES:
        return 100, 100
    return 100, 1


def to_minor_units(amount, currency):
    """Return ``amount`` (Decimal, str, int or float) in Stripe's smallest unit as an int.

    Rounds half up to what Stripe accepts for the currency: whole units for zero-decimal
    currencies (JPY, KRW, ...) and ISK, and a multiple of 10 for three-decimal ones
    (BHD, JOD, KWD, OMR, TND), as Stripe asks integrations to do.
    """
    factor, step = _minor_unit_factor_and_step(currency)
    # str() first so that a float such as 10.05 is taken as written, not as its binary value
    value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    if not value.is_finite() or value < 0:
        raise ValueError(f"Cannot charge a negative or non-finite amount: {amount!r}")
    steps = (value * factor / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(steps) * step


def from_minor_units(amount_minor, currency):
    """Return Stripe's integer ``amount_minor`` as a Decimal in the currency's main unit."""
    factor, _step = _minor_unit_factor_and_step(currency)
    return Decimal(int(amount_minor)) / factor


# ---------------------------------------------------------------------------------------
# Gateway
# ---------------------------------------------------------------------------------------


class StripeGateway:
    """Stripe API calls used by the made-to-order payment flows.

    Built from plain values: ``secret_key``; ``timeout`` in seconds for each HTTP call;
    ``api_base`` to point at a local fake server in tests; ``max_network_retries`` (0 by
    default: the caller retries a :class:`StripeTemporaryError` later, as a job, with the
    same idempotency key). Every method returns plain dicts.
    """

    def __init__(
        self,
        secret_key,
        *,
        timeout=const.DEFAULT_TIMEOUT,
        api_base=None,
        api_version=const.API_VERSION,
        max_network_retries=0,
    ):
        if not secret_key:
            raise StripeConfigError(detail="No Stripe secret key is configured.")
        if not timeout or timeout <= 0:
            raise ValueError("An explicit, positive timeout is required for Stripe calls.")
        self.timeout = timeout
        self.api_version = api_version
        self.max_network_retries = max_network_retries
        base_addresses = {"api": api_base.rstrip("/")} if api_base else None
        self._client = stripe.StripeClient(
            secret_key,
            stripe_version=api_version,
            base_addresses=base_addresses,
            max_network_retries=max_network_retries,
            # The SDK's default client waits 80 s; ours applies self.timeout to both the
            # connection and each read.
            http_client=stripe.RequestsClient(timeout=timeout),
        )

    def __repr__(self):  # never show the key
        return f"<StripeGateway api_version={self.api_version} timeout={self.timeout}>"

    # -- the one entry point to the SDK --------------------------------------------------

    def _call(self, fn, *, idempotency_key=None, **params):
        """Run one SDK service method ``fn`` with ``params`` and return a plain dict.

        Path arguments are bound beforehand (``functools.partial(service.retrieve, id)``).
        Writes (create, confirm, ...) require ``idempotency_key``: a key derived from the
        Odoo transaction makes a double click, a reload or a retried job hit the same
        object at Stripe instead of charging twice.
        """
        method_name = getattr(getattr(fn, "func", fn), "__name__", "")
        if method_name in _WRITE_METHODS:
            if not idempotency_key:
                raise ValueError(f"Stripe {method_name} calls need an idempotency key.")
            if len(idempotency_key) > const.IDEMPOTENCY_KEY_MAX_LENGTH:
                raise ValueError("Stripe idempotency keys are at most 255 characters long.")
        options = {
            "stripe_version": self.api_version,
            "max_network_retries": self.max_network_retries,
        }
        if idempotency_key:
            options["idempotency_key"] = idempotency_key
        try:
            result = fn(params=_drop_none(params), options=options)
        except stripe.StripeError as error:
            raise _map_error(error, idempotency_key) from error
        return result.to_dict() if hasattr(result, "to_dict") else result

    # -- customers ------------------------------------------------------------------------

    def create_customer(self, email, name, metadata=None, *, idempotency_key):
        """Create the Stripe customer that saved cards are attached to."""
        return self._call(
            self._client.v1.customers.create,
            idempotency_key=idempotency_key,
            email=email,
            name=name,
            metadata=metadata or None,
        )

    def list_payment_methods(self, customer, *, limit=10):
        """Return the customer's saved payment methods (all types), newest first."""
        result = self._call(
            functools.partial(self._client.v1.customers.payment_methods.list, customer),
            limit=limit,
        )
        return result.get("data", [])

    # -- payments -------------------------------------------------------------------------

    def create_payment_intent(
        self,
        amount_minor,
        currency,
        *,
        customer=None,
        save_for_later=False,
        metadata=None,
        description=None,
        capture_method=None,
        idempotency_key,
    ):
        """Create the PaymentIntent that the Payment Element confirms in the browser.

        The methods offered come from the Stripe dashboard (automatic payment methods),
        none is hard-coded. ``save_for_later`` (the customer ticked the consent box) keeps
        the card on ``customer`` to charge the balance later without them.
        ``capture_method="manual"`` only authorises the amount (Odoo's manual capture).
        """
        _check_amount(amount_minor)
        if save_for_later and not customer:
            raise ValueError("Saving the payment method for later needs a Stripe customer.")
        return self._call(
            self._client.v1.payment_intents.create,
            idempotency_key=idempotency_key,
            amount=amount_minor,
            currency=currency.lower(),
            automatic_payment_methods={"enabled": True},
            customer=customer,
            setup_future_usage="off_session" if save_for_later else None,
            metadata=metadata or None,
            description=description,
            capture_method=capture_method,
        )

    def charge_off_session(
        self,
        amount_minor,
        currency,
        customer,
        payment_method,
        *,
        metadata=None,
        description=None,
        idempotency_key,
    ):
        """Charge a saved payment method while the customer is away (the balance).

        Raises :class:`StripeAuthenticationRequired` when the bank wants the customer to
        confirm; :class:`StripeCardError` when the card is declined.
        """
        _check_amount(amount_minor)
        intent = self._call(
            self._client.v1.payment_intents.create,
            idempotency_key=idempotency_key,
            amount=amount_minor,
            currency=currency.lower(),
            # Nobody is there to follow a redirect: only methods that need none qualify.
            automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
            customer=customer,
            payment_method=payment_method,
            off_session=True,
            confirm=True,
            metadata=metadata or None,
            description=description,
        )
        if intent.get("status") == "requires_action":
            raise StripeAuthenticationRequired(
                detail=f"PaymentIntent {intent.get('id')} requires action from the customer.",
                code="authentication_required",
                payment_intent_id=intent.get("id"),
                client_secret=intent.get("client_secret"),
                payment_method=payment_method,
                idempotency_key=idempotency_key,
            )
        return intent

    def retrieve_payment_intent(self, payment_intent_id):
        """Return the PaymentIntent as Stripe has it now (status, latest charge, ...)."""
        return self._call(
            functools.partial(self._client.v1.payment_intents.retrieve, payment_intent_id)
        )

    # -- refunds --------------------------------------------------------------------------

    def create_refund(self, payment_intent, amount_minor=None, *, metadata=None, idempotency_key):
        """Refund ``amount_minor`` of the payment (all of what remains when ``None``)."""
        if amount_minor is not None:
            _check_amount(amount_minor)
        return self._call(
            self._client.v1.refunds.create,
            idempotency_key=idempotency_key,
            payment_intent=payment_intent,
            amount=amount_minor,
            metadata=metadata or None,
        )

    # -- any other endpoint -----------------------------------------------------------------

    def request(self, method, endpoint, payload=None, *, idempotency_key=None, headers=None):
        """Call ``/v1/<endpoint>`` with a form payload as Odoo's ``payment_stripe`` writes it
        (``{"enabled_events[]": [...], "metadata[key]": value}``); return Stripe's answer.

        Odoo's own Stripe calls (SetupIntents, webhook endpoints, Apple Pay domains...) go
        through here, so every Stripe call of the database takes the SDK's one HTTP path with
        this gateway's version, timeout and error mapping. ``headers``: extra request headers
        (Stripe Connect's ``Stripe-Account``).
        """

        def raw_request(params, options):
            if headers:
                options = dict(options, headers=headers)
            return self._client.raw_request(
                method.lower(), "/v1/" + endpoint.lstrip("/"), **params, **options
            ).data

        return self._call(raw_request, idempotency_key=idempotency_key, **_form_params(payload))


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def _form_params(payload):
    """Odoo's flat form keys for the SDK's encoder: ``"x[]": [a, b]`` is the list ``x``
    (sent as ``x[0]=a&x[1]=b``); other bracket keys (``"metadata[k]"``) pass as written."""
    params = {}
    for key, value in (payload or {}).items():
        if key.endswith("[]"):
            key = key[:-2]
            value = list(value) if isinstance(value, (list, tuple)) else [value]
        params[key] = value
    return params


def _drop_none(params):
    return {key: value for key, value in params.items() if value is not None}


def _check_amount(amount_minor):
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        raise ValueError(
            f"Amounts are positive integers in minor units (see to_minor_units): {amount_minor!r}"
        )


def _map_error(error, idempotency_key):
    """Translate an SDK exception into this module's exceptions."""
    body = error.json_body.get("error", {}) if isinstance(error.json_body, dict) else {}
    code = error.code or body.get("code")
    decline_code = body.get("decline_code")
    context = {
        "code": code,
        "http_status": error.http_status,
        "request_id": error.request_id,
        "idempotency_key": idempotency_key,
        "response_body": error.json_body if isinstance(error.json_body, dict) else None,
    }
    retry_after = parse_retry_after((error.headers or {}).get("Retry-After"))
    detail = (
        f"Stripe {type(error).__name__} (type={body.get('type')}, code={code}, "
        f"decline_code={decline_code}, http_status={error.http_status}, "
        f"request_id={error.request_id}): {error.user_message or ''}"
    )
    if isinstance(error, stripe.CardError):
        if "authentication_required" in (code, decline_code):
            intent = body.get("payment_intent") or {}
            return StripeAuthenticationRequired(
                detail=detail,
                payment_intent_id=intent.get("id"),
                client_secret=intent.get("client_secret"),
                payment_method=(body.get("payment_method") or {}).get("id"),
                **context,
            )
        message = const.DECLINE_MESSAGES.get(decline_code) or const.DECLINE_MESSAGES.get(code)
        return StripeCardError(message, detail, decline_code=decline_code, **context)
    if isinstance(error, (stripe.APIConnectionError, stripe.RateLimitError)):
        return StripeTemporaryError(detail=detail, retry_after=retry_after, **context)
    if isinstance(error, (stripe.AuthenticationError, stripe.PermissionError)):
        return StripeConfigError(detail=detail, **context)
    if isinstance(error, stripe.IdempotencyError):
        return StripeIdempotencyError(detail=detail, **context)
    # lock_timeout (409), a concurrent request with the same key (409), Stripe outages (5xx)
    if (
        code in ("lock_timeout", "idempotency_key_in_use", "rate_limit")
        or error.http_status == 409
        or (error.http_status or 0) >= 500
    ):
        return StripeTemporaryError(detail=detail, retry_after=retry_after, **context)
    return StripeGatewayError(detail=detail, **context)
