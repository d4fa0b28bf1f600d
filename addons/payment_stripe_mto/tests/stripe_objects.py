"""Stripe's objects for the fake and the tests: the spec, example objects, errors, webhooks.

Objects are Stripe's published examples (``stripe_fixtures3_2023-09-12.json``) with the caller's
values filled in, checked against the 2023 Stripe OpenAPI file (:func:`validate_object`);
:func:`signed_webhook` builds a webhook request signed with the SDK's own helper. The server
that answers with them is :class:`.stripe_fake.StripeFake`.
"""

import copy
import itertools
import json
import time

import stripe

from odoo.addons.connector_common.tests.openapi_fake import (
    FakeResponse,
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


def charge_of(intent, **values):
    """The charge of a paid PaymentIntent (Stripe's example with the intent's charge id,
    amount and currency), ``values`` over it (``refunded``, ``amount_refunded``...)."""
    return stripe_object(
        "charge",
        id=intent["latest_charge"],
        payment_intent=intent["id"],
        amount=intent["amount"],
        currency=intent["currency"],
        **values,
    )


def dispute_of(intent, dispute_id, reason):
    """A dispute (``reason``: ``fraudulent``, ``product_not_received``...) the customer opened
    on a paid PaymentIntent's charge."""
    return stripe_object(
        "dispute",
        id=dispute_id,
        charge=intent["latest_charge"],
        payment_intent=intent["id"],
        amount=intent["amount"],
        currency=intent["currency"],
        reason=reason,
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
