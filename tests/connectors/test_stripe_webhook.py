"""Stripe webhook verification (``verify_event``), without Odoo: events signed with the SDK's
own helper, as Stripe sends them, accepted or refused.
"""

import json
import time

import pytest
import stripe

from odoo.addons.payment_stripe_mto.tests.stripe_fake import (
    WEBHOOK_SECRET,
    signed_webhook,
    stripe_object,
    validate_object,
)

from tests.conftest import load_addon_file

webhook_mod = load_addon_file("payment_stripe_mto", "models/stripe_webhook.py")
const = load_addon_file("payment_stripe_mto", "models/const.py")

TOLERANCE = const.WEBHOOK_TOLERANCE_SECONDS


WEBHOOK_OBJECTS = {
    "payment_intent": lambda: stripe_object("payment_intent", id="pi_Hook", status="succeeded"),
    "charge": lambda: stripe_object("charge", id="ch_Hook", refunded=True, amount_refunded=100),
    "charge.dispute": lambda: stripe_object("dispute", id="dp_Hook"),
    "charge.refund": lambda: stripe_object("refund", id="re_Hook", status="failed"),
    "setup_intent": lambda: stripe_object("setup_intent", id="seti_Hook", status="succeeded"),
}


@pytest.mark.parametrize("event_type", const.HANDLED_WEBHOOK_EVENTS)
def test_signed_webhook_is_accepted(event_type):
    kind = event_type.rsplit(".", 1)[0]
    obj = WEBHOOK_OBJECTS[kind]()
    payload, headers = signed_webhook(event_type, obj)

    event = webhook_mod.verify_event(
        payload, headers["Stripe-Signature"], WEBHOOK_SECRET, TOLERANCE
    )

    assert event["type"] == event_type
    assert event["data"]["object"] == obj
    validate_object(event["data"]["object"])
    # the SDK's own check agrees
    assert stripe.WebhookSignature.verify_header(
        payload, headers["Stripe-Signature"], WEBHOOK_SECRET, TOLERANCE
    )


def test_tampered_body_is_refused():
    payload, headers = signed_webhook(
        "payment_intent.succeeded", stripe_object("payment_intent", amount=1000)
    )
    tampered = payload.replace(b'"amount": 1000', b'"amount": 1')
    assert tampered != payload

    with pytest.raises(webhook_mod.WebhookSignatureMismatch):
        webhook_mod.verify_event(tampered, headers["Stripe-Signature"], WEBHOOK_SECRET, TOLERANCE)


def test_webhook_signed_with_another_secret_is_refused():
    payload, headers = signed_webhook(
        "payment_intent.succeeded", stripe_object("payment_intent"), secret="whsec_attacker"
    )

    with pytest.raises(webhook_mod.WebhookSignatureMismatch):
        webhook_mod.verify_event(payload, headers["Stripe-Signature"], WEBHOOK_SECRET, TOLERANCE)


@pytest.mark.parametrize("age", [TOLERANCE + 1, 3600, -(TOLERANCE + 1)])
def test_webhook_outside_the_time_window_is_refused(age):
    payload, headers = signed_webhook(
        "charge.refunded", stripe_object("charge"), timestamp=time.time() - age
    )

    with pytest.raises(webhook_mod.WebhookTimestampOutOfTolerance):
        webhook_mod.verify_event(payload, headers["Stripe-Signature"], WEBHOOK_SECRET, TOLERANCE)


def test_webhook_just_inside_the_time_window_is_accepted():
    payload, headers = signed_webhook(
        "charge.refunded", stripe_object("charge"), timestamp=time.time() - TOLERANCE + 5
    )

    event = webhook_mod.verify_event(
        payload, headers["Stripe-Signature"], WEBHOOK_SECRET, TOLERANCE
    )
    assert event["type"] == "charge.refunded"


@pytest.mark.parametrize("header", [None, ""])
def test_webhook_without_signature_header_is_refused(header):
    payload, _headers = signed_webhook("payment_intent.succeeded", stripe_object("payment_intent"))

    with pytest.raises(webhook_mod.WebhookSignatureMissing):
        webhook_mod.verify_event(payload, header, WEBHOOK_SECRET, TOLERANCE)


def test_malformed_signature_headers_are_refused():
    payload, headers = signed_webhook("payment_intent.succeeded", stripe_object("payment_intent"))
    good = headers["Stripe-Signature"]
    timestamp_part, signature_part = good.split(",")
    for header in (
        "garbage",
        signature_part,  # no timestamp
        timestamp_part,  # no v1 signature
        f"t=soon,{signature_part}",
        f"{timestamp_part},v0={signature_part[3:]}",  # only an unknown scheme
        f"{timestamp_part},{timestamp_part},{signature_part}",  # two timestamps
    ):
        with pytest.raises(webhook_mod.WebhookSignatureMalformed):
            webhook_mod.verify_event(payload, header, WEBHOOK_SECRET, TOLERANCE)


def test_unreadable_signature_headers_are_malformed_not_errors():
    """Bytes that are not ASCII (werkzeug hands them over decoded as Latin-1), digits of
    other scripts and oversized headers are refusals like any other, never a crash."""
    payload, headers = signed_webhook("payment_intent.succeeded", stripe_object("payment_intent"))
    good = headers["Stripe-Signature"]
    timestamp_part, signature_part = good.split(",")
    for header in (
        b"t=1700000000,v1=\xff\xfe".decode("latin-1"),
        f"{good},v1=\u00e9",  # a right signature beside an unreadable one
        f"{timestamp_part},v1=\u00e9\u00e8",
        f"t=\u00b2\u00b3,{signature_part}",  # superscript digits are digits to str.isdigit
        f"t=\u0661\u0662,{signature_part}",  # Arabic-Indic digits too
        f"t=-1,{signature_part}",
        f"{good}," + ",".join([signature_part] * 200),  # far longer than Stripe ever sends
        f"{timestamp_part},v1=" + "a" * 60000,
        b"\xff".decode("latin-1"),
    ):
        with pytest.raises(webhook_mod.WebhookSignatureMalformed):
            webhook_mod.verify_event(payload, header, WEBHOOK_SECRET, TOLERANCE)
    with pytest.raises(webhook_mod.WebhookSignatureMalformed):
        webhook_mod.verify_event(payload, good.encode() + b"\xff", WEBHOOK_SECRET, TOLERANCE)


@pytest.mark.parametrize("secret", [None, "", "   "])
def test_webhook_is_refused_when_no_secret_is_configured(secret):
    # even a request signed with an empty secret must not pass
    payload, headers = signed_webhook(
        "payment_intent.succeeded", stripe_object("payment_intent"), secret=""
    )

    with pytest.raises(webhook_mod.WebhookSecretMissing):
        webhook_mod.verify_event(payload, headers["Stripe-Signature"], secret, TOLERANCE)


def test_webhook_check_cannot_be_switched_off():
    payload, headers = signed_webhook(
        "payment_intent.succeeded", stripe_object("payment_intent"), timestamp=0
    )
    for tolerance in (0, None, -1):
        with pytest.raises(ValueError):
            webhook_mod.verify_event(
                payload, headers["Stripe-Signature"], WEBHOOK_SECRET, tolerance
            )


def test_webhook_signed_during_a_secret_roll_is_accepted():
    payload, headers = signed_webhook("payment_intent.succeeded", stripe_object("payment_intent"))
    old_header = stripe.WebhookSignature.generate_signature_header(
        payload.decode(), "whsec_old", int(headers["Stripe-Signature"].split(",")[0][2:])
    )
    both = old_header + "," + headers["Stripe-Signature"].split(",")[1]

    event = webhook_mod.verify_event(payload, both, WEBHOOK_SECRET, TOLERANCE)
    assert event["object"] == "event"
    with pytest.raises(webhook_mod.WebhookSignatureMismatch):
        webhook_mod.verify_event(payload, old_header, WEBHOOK_SECRET, TOLERANCE)


def test_signed_body_that_is_not_an_event_is_refused():
    timestamp = int(time.time())
    for body in (b"not json", json.dumps({"object": "payment_intent", "id": "pi_1"}).encode()):
        header = stripe.WebhookSignature.generate_signature_header(
            body.decode(), WEBHOOK_SECRET, timestamp
        )
        with pytest.raises(webhook_mod.WebhookPayloadInvalid):
            webhook_mod.verify_event(body, header, WEBHOOK_SECRET, TOLERANCE)
