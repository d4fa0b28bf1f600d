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

Scenario helpers (stripe_scenarios.py) make the next call decline, ask for authentication, fail
(500, 429, 409 ``lock_timeout``), hang past the client's timeout, or reject the key. Stripe's
objects, errors and :func:`signed_webhook` (a webhook request signed with the SDK's own helper)
are in stripe_objects.py and exported from here too.
"""

import copy
import json
import threading
import time

from odoo.addons.connector_common.tests.openapi_fake import (
    OpenAPIFakeServer,
    cast_form_value,
    specs_dir,
)

from .stripe_objects import (
    FIXTURES_FILE,
    PAYMENT_INTENTS,
    SECRET_KEY,
    SPEC_FILE,
    WEBHOOK_SECRET,
    _response,
    charge_of,
    dispute_of,
    error_body,
    new_id,
    new_payment_intent,
    signed_webhook,
    stripe_object,
    stripe_spec,
    stripe_spec_transform,
    validate_object,
)
from .stripe_scenarios import StripeScenarios

# What the tests import from here; Stripe's objects live in stripe_objects.py, the scenario
# helpers in stripe_scenarios.py.
__all__ = [
    "FIXTURES_FILE",
    "PAYMENT_INTENTS",
    "SECRET_KEY",
    "SPEC_FILE",
    "WEBHOOK_SECRET",
    "StripeFake",
    "charge_of",
    "dispute_of",
    "error_body",
    "new_id",
    "new_payment_intent",
    "signed_webhook",
    "stripe_object",
    "stripe_spec",
    "stripe_spec_transform",
    "validate_object",
]


class StripeFake(StripeScenarios, OpenAPIFakeServer):
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
