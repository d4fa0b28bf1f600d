"""A local Stripe that answers the gateway's calls from Stripe's own spec and example objects.

:class:`StripeFake` serves the 2023 Stripe OpenAPI file (``rewrite_nullable`` applied, see
:func:`stripe_spec_transform`): every
request the SDK sends and every answer given here is checked against it. Objects are Stripe's
published examples (``stripe_fixtures3_2023-09-12.json``) with the request's values filled in.
The SDK sends a newer ``Stripe-Version`` than the spec's: expected, the stable core fields
of customers, PaymentIntents and refunds are the same.

Like Stripe, the fake:

- accepts only its own secret key (401 ``Invalid API Key provided`` otherwise);
- replays the stored answer when a POST repeats an ``Idempotency-Key`` with the same
  parameters (``Idempotent-Replayed: true``, no second object), and answers 400
  ``idempotency_error`` when the key comes back with other parameters;
- refuses to confirm a PaymentIntent with redirect-capable automatic payment methods and no
  ``return_url``, a payment method of another customer, or a refund above what was paid.

Scenario helpers make the next call decline, ask for authentication, fail (500, 429, 409
``lock_timeout``), hang past the client's timeout, or reject the key.
:func:`signed_webhook` builds a webhook request signed with the SDK's own helper.
"""

import copy
import itertools
import json
import threading
import time

import stripe

from odoo.addons.connector_common.tests.openapi_fake import (
    FakeResponse,
    OpenAPIFakeServer,
    Timeout,
    cast_form_value,
    describe_error,
    load_spec,
    rewrite_nullable,
    specs_dir,
)

SPEC_FILE = "stripe_spec3_2023-09-12.yaml"
FIXTURES_FILE = "stripe_fixtures3_2023-09-12.json"
SECRET_KEY = "sk_test_51MtoFakeSecretKeyForLocalTests"
WEBHOOK_SECRET = "whsec_mto_fake_webhook_signing_secret"

PAYMENT_INTENTS = ("post", "/v1/payment_intents")

_FIXTURES = None
_IDS = itertools.count(1)


def _fixtures():
    global _FIXTURES
    if _FIXTURES is None:
        with open(specs_dir() / FIXTURES_FILE, encoding="utf-8") as handle:
            _FIXTURES = json.load(handle)["resources"]
    return _FIXTURES


def new_id(prefix):
    """A Stripe-looking id, unique in the test session (``pi_Fake00000000000001``)."""
    return f"{prefix}_Fake{next(_IDS):014d}"


def stripe_object(resource, **values):
    """Stripe's example ``resource`` object (fixtures file) with ``values`` put over it."""
    obj = copy.deepcopy(_fixtures()[resource])
    obj.update(copy.deepcopy(values))
    return obj


def new_payment_intent(amount, currency, **values):
    """A new PaymentIntent object (Stripe's example, fresh id and client secret), with
    ``values`` (customer, metadata, payment_method...) over the blank defaults."""
    intent_id = new_id("pi")
    blank = {
        "customer": None,
        "description": None,
        "metadata": {},
        "setup_future_usage": None,
        "automatic_payment_methods": None,
        "payment_method": None,
    }
    return stripe_object(
        "payment_intent",
        id=intent_id,
        client_secret=f"{intent_id}_secret_{new_id('cs')[3:]}",
        created=int(time.time()),
        canceled_at=None,
        amount=amount,
        currency=currency,
        **{**blank, **values},
    )


def stripe_spec_transform(spec):
    """``rewrite_nullable``, and query parameters openapi-core can read.

    Stripe declares ``expand`` (an array) and filters such as ``created`` (object or
    integer) as ``style: deepObject`` query parameters; openapi-core 0.23 deserializes
    deepObject for plain objects only and rejects every GET that has such a parameter, even
    when the client does not send it. Those parameters fall back to the default form style:
    the fake then checks them only when sent as ``name=value`` (the gateway sends none).

    An ``enum`` marked ``x-stripeBypassValidation`` is one Stripe itself does not enforce (the
    webhook endpoint's ``api_version`` lists only the versions the spec's date knew): it is
    dropped, the type still checked.
    """
    rewrite_nullable(spec)
    _drop_bypassed_enums(spec)
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", ()):
                if (
                    parameter.get("in") == "query"
                    and parameter.get("style") == "deepObject"
                    and parameter.get("schema", {}).get("type") != "object"
                ):
                    parameter.pop("style")
                    parameter.pop("explode", None)
    return spec


def _drop_bypassed_enums(node):
    if isinstance(node, dict):
        if node.get("x-stripeBypassValidation"):
            node.pop("enum", None)
        for value in node.values():
            _drop_bypassed_enums(value)
    elif isinstance(node, list):
        for value in node:
            _drop_bypassed_enums(value)


def stripe_spec():
    """The Stripe spec as the fake loads it (parsed once per session)."""
    return load_spec(specs_dir() / SPEC_FILE, stripe_spec_transform)


def validate_object(obj, schema_name=None):
    """Raise AssertionError unless ``obj`` matches the spec's schema (its ``object`` field)."""
    loaded = stripe_spec()
    name = schema_name or obj["object"]
    schema_path = loaded.schema_path / "components" / "schemas" / name
    validator = loaded.response_validator.schema_validators_factory.create(
        loaded.schema_path, schema_path
    )
    try:
        validator.validate(obj)
    except Exception as error:  # any validation failure is reported
        raise AssertionError(f"not a valid Stripe {name}: {describe_error(error)}") from error
    return obj


def error_body(error_type, message, **fields):
    """The body of a Stripe error (``{"error": {...}}``), None fields left out."""
    error = {"type": error_type, "message": message}
    error.update({key: value for key, value in fields.items() if value is not None})
    return {"error": error}


def _response(status, body, **headers):
    return FakeResponse(status, body, {"Request-Id": new_id("req"), **headers})


def signed_webhook(
    event_type,
    data_object,
    *,
    secret=WEBHOOK_SECRET,
    timestamp=None,
    event_id=None,
    api_version=None,
):
    """Return ``(payload_bytes, headers)`` of a webhook as Stripe sends it, signed by the SDK.

    The event is Stripe's example event with ``event_type`` and ``data_object``; it is
    checked against the spec before signing. ``timestamp`` defaults to now.
    """
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    event = stripe_object(
        "event",
        id=event_id or new_id("evt"),
        type=event_type,
        created=timestamp,
        api_version=api_version,
        data={"object": data_object},
        pending_webhooks=1,
        request={"id": new_id("req"), "idempotency_key": None},
    )
    validate_object(event)
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp)
    return payload.encode("utf-8"), {"Stripe-Signature": header}


class StripeFake(OpenAPIFakeServer):
    """Stripe's customers, PaymentIntents, refunds and saved payment methods, in memory."""

    def __init__(self, secret_key=SECRET_KEY):
        super().__init__(specs_dir() / SPEC_FILE, spec_transform=stripe_spec_transform)
        self.secret_key = secret_key
        self.customers = {}
        self.payment_intents = {}
        self.payment_methods = {}
        self.refunds = {}
        self.setup_intents = {}
        self.webhook_endpoints = {}
        self.idempotent_replays = []
        self._stored = {}  # idempotency key -> (fingerprint, FakeResponse)
        self._outcomes = []  # what the next PaymentIntent confirmations do
        self._state_lock = threading.RLock()
        self.require_header("Stripe-Version", bool, "Stripe-Version must be sent")
        routes = {
            ("post", "/v1/customers"): self._create_customer,
            ("get", "/v1/customers/{customer}/payment_methods"): self._list_payment_methods,
            PAYMENT_INTENTS: self._create_payment_intent,
            ("get", "/v1/payment_intents/{intent}"): self._retrieve_payment_intent,
            ("post", "/v1/payment_intents/{intent}"): self._update_payment_intent,
            ("post", "/v1/refunds"): self._create_refund,
            ("post", "/v1/setup_intents"): self._create_setup_intent,
            ("post", "/v1/webhook_endpoints"): self._create_webhook_endpoint,
        }
        for (method, template), handler in routes.items():
            self.on(method, template, self._stripe_route(handler))

    # -- what Stripe does around every call ----------------------------------------------------

    def _stripe_route(self, handler):
        def route(request):
            if request.header("Authorization") != f"Bearer {self.secret_key}":
                return self._invalid_api_key()
            params = self._params(request)
            if request.method != "POST":
                return handler(request, params)
            key = request.header("Idempotency-Key")
            fingerprint = json.dumps(
                [request.path, request.form or {}], sort_keys=True, separators=(",", ":")
            )
            with self._state_lock:
                stored = self._stored.get(key)
                if stored is not None:
                    if stored[0] != fingerprint:
                        return _response(
                            400,
                            error_body(
                                "idempotency_error",
                                "Keys for idempotent requests can only be used with the same "
                                "parameters they were first used with. Try using a key other "
                                f"than '{key}' if you meant to execute a different request.",
                            ),
                        )
                    self.idempotent_replays.append(key)
                    answer = copy.deepcopy(stored[1])
                    answer.headers["Idempotent-Replayed"] = "true"
                    return answer
                answer = handler(request, params)
                # Stripe keeps the result of every request that started executing (declines
                # included), not those refused by parameter validation.
                if key and (answer.status < 400 or answer.status == 402):
                    self._stored[key] = (fingerprint, copy.deepcopy(answer))
                return answer

        return route

    def _params(self, request):
        if request.form is None:
            return {}
        operation = self.spec.data["paths"][request.route][request.method.lower()]
        schema = operation["requestBody"]["content"]["application/x-www-form-urlencoded"]
        return cast_form_value(self.spec.data, schema["schema"], request.form)

    @staticmethod
    def _missing(kind, value, param):
        return _response(
            404,
            error_body(
                "invalid_request_error",
                f"No such {kind}: '{value}'",
                code="resource_missing",
                param=param,
            ),
        )

    @staticmethod
    def _invalid(message, param=None, code=None):
        return _response(400, error_body("invalid_request_error", message, param=param, code=code))

    def _invalid_api_key(self):
        return _response(
            401,
            error_body(
                "invalid_request_error",
                "Invalid API Key provided: sk_test_****",
            ),
        )

    # -- customers and their saved payment methods ---------------------------------------------

    def _create_customer(self, request, params):
        customer = stripe_object(
            "customer",
            id=new_id("cus"),
            created=int(time.time()),
            email=params.get("email"),
            name=params.get("name"),
            description=params.get("description"),
            metadata=params.get("metadata") or {},
        )
        self.customers[customer["id"]] = customer
        return _response(200, customer)

    def add_customer(self, **values):
        """A customer that exists at Stripe before the test (returns its id)."""
        customer = stripe_object("customer", id=new_id("cus"), **values)
        with self._state_lock:
            self.customers[customer["id"]] = customer
        return customer["id"]

    def add_saved_card(self, customer, *, last4="4242", brand="visa"):
        """A card saved on ``customer`` (returns the PaymentMethod id)."""
        method = stripe_object("payment_method", id=new_id("pm"), customer=customer)
        method["card"].update(last4=last4, brand=brand)
        with self._state_lock:
            self.payment_methods[method["id"]] = method
        return method["id"]

    def _list_payment_methods(self, request, params):
        customer = request.path_params["customer"]
        if customer not in self.customers:
            return self._missing("customer", customer, "customer")
        data = [m for m in self.payment_methods.values() if m.get("customer") == customer]
        data.sort(key=lambda method: method["id"], reverse=True)
        limit = int(request.query.get("limit") or 10)
        return _response(
            200,
            {
                "object": "list",
                "data": data[:limit],
                "has_more": len(data) > limit,
                "url": f"/v1/customers/{customer}/payment_methods",
            },
        )

    # -- Odoo's own calls: card registrations, the webhook endpoint ----------------------------

    def _create_setup_intent(self, request, params):
        customer = params.get("customer")
        if customer and customer not in self.customers:
            return self._missing("customer", customer, "customer")
        intent_id = new_id("seti")
        intent = stripe_object(
            "setup_intent",
            id=intent_id,
            client_secret=f"{intent_id}_secret_{new_id('cs')[3:]}",
            created=int(time.time()),
            customer=customer,
            description=params.get("description"),
            metadata=params.get("metadata") or {},
            payment_method=None,
            status="requires_payment_method",
        )
        self.setup_intents[intent_id] = intent
        return _response(200, intent)

    def _create_webhook_endpoint(self, request, params):
        endpoint = stripe_object(
            "webhook_endpoint",
            id=new_id("we"),
            created=int(time.time()),
            url=params["url"],
            enabled_events=params["enabled_events"],
            api_version=params.get("api_version"),
            description=params.get("description"),
            metadata=params.get("metadata") or {},
            secret=f"whsec_{new_id('we')[3:]}",
        )
        self.webhook_endpoints[endpoint["id"]] = endpoint
        return _response(200, endpoint)

    # -- payment intents -----------------------------------------------------------------------

    def _create_payment_intent(self, request, params):
        customer = params.get("customer")
        if customer and customer not in self.customers:
            return self._missing("customer", customer, "customer")
        method_id = params.get("payment_method")
        if method_id:
            method = self.payment_methods.get(method_id)
            if method is None:
                return self._missing("PaymentMethod", method_id, "payment_method")
            if customer and method.get("customer") != customer:
                return self._invalid(
                    f"The provided PaymentMethod {method_id} belongs to another customer.",
                    param="payment_method",
                )
        automatic = params.get("automatic_payment_methods")
        if automatic and automatic.get("enabled"):
            automatic = {"allow_redirects": "always", **automatic}
        confirm = params.get("confirm") is True
        if params.get("off_session") and not confirm:
            return self._invalid(
                "You can only pass off_session when confirm is true.", param="off_session"
            )
        if confirm and not method_id:
            return self._invalid(
                "You cannot confirm this PaymentIntent because it's missing a payment method.",
                param="payment_method",
            )
        if (
            confirm
            and automatic
            and automatic["allow_redirects"] != "never"
            and not params.get("return_url")
        ):
            return self._invalid(
                "This PaymentIntent is configured to accept payment methods enabled in your "
                "Dashboard, some of which require a return_url: pass one, or set "
                "automatic_payment_methods[allow_redirects]=never.",
                param="return_url",
            )
        intent = new_payment_intent(
            params["amount"],
            params["currency"],
            customer=customer,
            description=params.get("description"),
            metadata=params.get("metadata") or {},
            setup_future_usage=params.get("setup_future_usage"),
            automatic_payment_methods=automatic or None,
            payment_method=method_id,
        )
        self.payment_intents[intent["id"]] = intent
        if not confirm:
            return _response(200, intent)
        outcome = self._outcomes.pop(0) if self._outcomes else None
        if outcome is None:
            self._succeed(intent, method_id)
            return _response(200, intent)
        return outcome(intent)

    def _succeed(self, intent, method_id):
        intent.update(
            status="succeeded",
            payment_method=method_id,
            amount_received=intent["amount"],
            latest_charge=new_id("ch"),
        )
        method = self.payment_methods.get(method_id)
        if method is not None and intent.get("setup_future_usage") and intent.get("customer"):
            method["customer"] = intent["customer"]

    def _retrieve_payment_intent(self, request, params):
        intent = self.payment_intents.get(request.path_params["intent"])
        if intent is None:
            return self._missing("payment_intent", request.path_params["intent"], "intent")
        return _response(200, intent)

    def _update_payment_intent(self, request, params):
        intent = self.payment_intents.get(request.path_params["intent"])
        if intent is None:
            return self._missing("payment_intent", request.path_params["intent"], "intent")
        if intent["status"] in ("succeeded", "canceled", "processing"):
            return self._invalid(
                f"This PaymentIntent's status is {intent['status']}: it cannot be updated.",
                code="payment_intent_unexpected_state",
            )
        for field in ("amount", "currency", "customer", "description", "setup_future_usage"):
            if field in params:
                intent[field] = params[field]
        intent["metadata"].update(params.get("metadata") or {})
        return _response(200, intent)

    def complete_payment(self, intent_id, *, payment_method=None):
        """The customer pays in the browser (Payment Element): the intent succeeds.

        With ``setup_future_usage`` the card is then saved on the intent's customer, as
        Stripe does. Returns the PaymentMethod id.
        """
        with self._state_lock:
            intent = self.payment_intents[intent_id]
            method_id = payment_method or self.add_saved_card(None)
            self._succeed(intent, method_id)
        return method_id

    def add_payment_intent(self, amount, currency, **values):
        """A PaymentIntent paid at Stripe without this Odoo (made in the dashboard, or by
        another system on the same account); returns its id. ``values`` go over the example
        object (``metadata``, ``description``...)."""
        intent = new_payment_intent(amount, currency, **copy.deepcopy(values))
        intent_id = intent["id"]
        with self._state_lock:
            self.payment_intents[intent_id] = intent
        self.complete_payment(intent_id)
        return intent_id

    # -- refunds -------------------------------------------------------------------------------

    def _create_refund(self, request, params):
        intent_id = params.get("payment_intent")
        intent = self.payment_intents.get(intent_id)
        if intent is None:
            return self._missing("payment_intent", intent_id, "payment_intent")
        if intent["status"] != "succeeded":
            return self._invalid(
                f"PaymentIntent {intent_id} does not have a successful charge to refund.",
                code="charge_not_refundable",
            )
        refunded = sum(
            refund["amount"]
            for refund in self.refunds.values()
            if refund["payment_intent"] == intent_id
        )
        remaining = intent["amount_received"] - refunded
        amount = params.get("amount", remaining)
        if amount > remaining or remaining <= 0:
            return self._invalid(
                f"Refund amount ({amount}) is greater than unrefunded amount on charge "
                f"({remaining}).",
                param="amount",
                code="amount_too_large" if remaining > 0 else "charge_already_refunded",
            )
        refund = stripe_object(
            "refund",
            id=new_id("re"),
            created=int(time.time()),
            amount=amount,
            currency=intent["currency"],
            charge=intent["latest_charge"],
            payment_intent=intent_id,
            metadata=params.get("metadata") or {},
            reason=params.get("reason"),
            status="succeeded",
        )
        self.refunds[refund["id"]] = refund
        return _response(200, refund)

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
