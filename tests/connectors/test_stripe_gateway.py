"""The Stripe gateway and webhook verification, against a local Stripe held to Stripe's spec.

No Odoo here: ``StripeGateway`` and ``verify_event`` are plain Python. Every request the
official SDK sends is validated by :class:`StripeFake` against Stripe's OpenAPI file, and every
test ends by checking that it carried the pinned Stripe-Version.
"""

import json
import socket
import time
from decimal import Decimal

import pytest
import stripe

from odoo.addons.payment_stripe_mto.tests.stripe_fake import (
    SECRET_KEY,
    WEBHOOK_SECRET,
    StripeFake,
    signed_webhook,
    stripe_object,
    validate_object,
)

from tests.conftest import load_addon_file

gateway_mod = load_addon_file("payment_stripe_mto", "models/stripe_request.py")
webhook_mod = load_addon_file("payment_stripe_mto", "models/stripe_webhook.py")
const = load_addon_file("payment_stripe_mto", "models/const.py")

StripeGateway = gateway_mod.StripeGateway
StripeGatewayError = gateway_mod.StripeGatewayError
StripeCardError = gateway_mod.StripeCardError
StripeAuthenticationRequired = gateway_mod.StripeAuthenticationRequired
StripeTemporaryError = gateway_mod.StripeTemporaryError
StripeConfigError = gateway_mod.StripeConfigError
StripeIdempotencyError = gateway_mod.StripeIdempotencyError

TOLERANCE = const.WEBHOOK_TOLERANCE_SECONDS


@pytest.fixture
def fake():
    server = StripeFake()
    with server:
        yield server
    server.assert_clean()
    sent = [request.header("Stripe-Version") for request in server.requests]
    assert set(sent) <= {const.API_VERSION}, f"unpinned Stripe-Version sent: {sent}"


@pytest.fixture
def gateway(fake):
    return StripeGateway(SECRET_KEY, timeout=2, api_base=fake.base_url)


def _customer(gateway, reference="S00042"):
    customer = gateway.create_customer(
        "claire@example.com",
        "Claire Dubois",
        {"odoo_partner_id": "7"},
        idempotency_key=f"customer-{reference}",
    )
    return customer["id"]


def _assert_plain_words(error):
    """What the customer reads: a sentence, no codes, no key, no Stripe jargon."""
    assert error.user_message.endswith(".")
    assert "_" not in error.user_message
    assert SECRET_KEY not in error.user_message + error.detail


# ---------------------------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------------------------


def test_pinned_api_version_is_the_one_the_sdk_was_built_for():
    assert stripe.api_version == const.API_VERSION
    assert StripeGateway(SECRET_KEY).api_version == const.API_VERSION


def test_every_call_sends_the_pinned_stripe_version(fake, gateway):
    customer = _customer(gateway)
    intent = gateway.create_payment_intent(
        250000, "eur", customer=customer, save_for_later=True, idempotency_key="S42-deposit"
    )
    fake.complete_payment(intent["id"])
    gateway.retrieve_payment_intent(intent["id"])
    card = gateway.list_payment_methods(customer)[0]["id"]
    gateway.charge_off_session(750000, "eur", customer, card, idempotency_key="S42-balance")
    gateway.create_refund(intent["id"], 1000, idempotency_key="S42-refund-1")

    routes = [(request.method, request.route) for request in fake.requests]
    assert routes == [
        ("POST", "/v1/customers"),
        ("POST", "/v1/payment_intents"),
        ("GET", "/v1/payment_intents/{intent}"),
        ("GET", "/v1/customers/{customer}/payment_methods"),
        ("POST", "/v1/payment_intents"),
        ("POST", "/v1/refunds"),
    ]
    assert {request.header("Stripe-Version") for request in fake.requests} == {const.API_VERSION}


def test_a_gateway_needs_a_key_and_a_real_timeout():
    with pytest.raises(StripeConfigError) as caught:
        StripeGateway("")
    _assert_plain_words(caught.value)
    for timeout in (None, 0, -1):
        with pytest.raises(ValueError):
            StripeGateway(SECRET_KEY, timeout=timeout)
    assert SECRET_KEY not in repr(StripeGateway(SECRET_KEY, timeout=5))


# ---------------------------------------------------------------------------------------------
# Customers, payments, refunds
# ---------------------------------------------------------------------------------------------


def test_create_customer(fake, gateway):
    customer = gateway.create_customer(
        "claire@example.com", "Claire Dubois", {"odoo_partner_id": "7"}, idempotency_key="cus-7"
    )

    assert customer["id"].startswith("cus_")
    assert fake.customers[customer["id"]]["email"] == "claire@example.com"
    (request,) = fake.requests_to("post", "/v1/customers")
    assert request.form == {
        "email": "claire@example.com",
        "name": "Claire Dubois",
        "metadata": {"odoo_partner_id": "7"},
    }
    assert request.header("Idempotency-Key") == "cus-7"


def test_payment_intent_lets_stripe_choose_the_payment_methods(fake, gateway):
    intent = gateway.create_payment_intent(
        125050,
        "EUR",
        metadata={"odoo_reference": "S00042-1"},
        description="Deposit 30% - Walnut dining table",
        idempotency_key="S00042-1",
    )

    assert intent["status"] == "requires_payment_method"
    assert intent["client_secret"].startswith(intent["id"] + "_secret_")
    assert (intent["amount"], intent["currency"]) == (125050, "eur")
    assert intent["automatic_payment_methods"]["enabled"] is True
    (request,) = fake.requests_to("post", "/v1/payment_intents")
    assert request.form["automatic_payment_methods"] == {"enabled": "true"}
    assert "payment_method_types" not in request.form
    assert "setup_future_usage" not in request.form
    assert "customer" not in request.form
    assert request.header("Idempotency-Key") == "S00042-1"


def test_payment_intent_saves_the_card_when_the_customer_consents(fake, gateway):
    customer = _customer(gateway)
    intent = gateway.create_payment_intent(
        90000, "gbp", customer=customer, save_for_later=True, idempotency_key="S00043-1"
    )

    assert intent["setup_future_usage"] == "off_session"
    assert intent["customer"] == customer
    (request,) = fake.requests_to("post", "/v1/payment_intents")
    assert request.form["setup_future_usage"] == "off_session"


def test_saving_a_card_needs_a_customer(fake, gateway):
    with pytest.raises(ValueError):
        gateway.create_payment_intent(1000, "eur", save_for_later=True, idempotency_key="k")
    assert fake.requests == []


def test_deposit_now_then_balance_charged_off_session(fake, gateway):
    customer = _customer(gateway)
    deposit = gateway.create_payment_intent(
        300000, "eur", customer=customer, save_for_later=True, idempotency_key="S00044-dep"
    )
    card = fake.complete_payment(deposit["id"])  # the customer pays in the browser

    assert gateway.retrieve_payment_intent(deposit["id"])["status"] == "succeeded"
    assert [method["id"] for method in gateway.list_payment_methods(customer)] == [card]

    balance = gateway.charge_off_session(
        700000,
        "eur",
        customer,
        card,
        metadata={"odoo_reference": "S00044-bal"},
        idempotency_key="S00044-bal",
    )

    assert balance["status"] == "succeeded"
    assert (balance["amount_received"], balance["payment_method"]) == (700000, card)
    request = fake.requests_to("post", "/v1/payment_intents")[-1]
    assert request.form["off_session"] == "true"
    assert request.form["confirm"] == "true"
    # nobody can follow a redirect off-session, so no return_url is needed
    assert request.form["automatic_payment_methods"] == {
        "enabled": "true",
        "allow_redirects": "never",
    }


def test_refund_part_then_the_rest(fake, gateway):
    intent = gateway.create_payment_intent(50000, "usd", idempotency_key="S00045-1")
    fake.complete_payment(intent["id"])

    first = gateway.create_refund(
        intent["id"], 20000, metadata={"reason": "scratch"}, idempotency_key="S00045-R1"
    )
    rest = gateway.create_refund(intent["id"], idempotency_key="S00045-R2")

    assert (first["amount"], first["status"], first["payment_intent"]) == (
        20000,
        "succeeded",
        intent["id"],
    )
    assert rest["amount"] == 30000
    second_request = fake.requests_to("post", "/v1/refunds")[1]
    assert "amount" not in second_request.form
    with pytest.raises(StripeGatewayError) as caught:
        gateway.create_refund(intent["id"], 1, idempotency_key="S00045-R3")
    assert type(caught.value) is StripeGatewayError
    assert caught.value.http_status == 400
    _assert_plain_words(caught.value)


def test_amounts_must_be_minor_unit_integers(fake, gateway):
    for amount in (10.5, Decimal("10"), "1000", 0, -5, True):
        with pytest.raises(ValueError):
            gateway.create_payment_intent(amount, "eur", idempotency_key="k-amount")
    assert fake.requests == []


# ---------------------------------------------------------------------------------------------
# Idempotency
# ---------------------------------------------------------------------------------------------


def test_double_click_with_the_same_key_creates_one_intent(fake, gateway):
    first = gateway.create_payment_intent(99000, "eur", idempotency_key="S00046-1")
    second = gateway.create_payment_intent(99000, "eur", idempotency_key="S00046-1")

    assert second["id"] == first["id"]
    assert len(fake.payment_intents) == 1
    assert len(fake.requests_to("post", "/v1/payment_intents")) == 2
    assert fake.idempotent_replays == ["S00046-1"]


def test_same_key_with_another_amount_is_refused(fake, gateway):
    gateway.create_payment_intent(99000, "eur", idempotency_key="S00047-1")

    with pytest.raises(StripeIdempotencyError) as caught:
        gateway.create_payment_intent(98000, "eur", idempotency_key="S00047-1")

    assert len(fake.payment_intents) == 1
    assert caught.value.idempotency_key == "S00047-1"
    assert "idempotency_error" in caught.value.detail
    _assert_plain_words(caught.value)


def test_every_write_needs_an_idempotency_key(fake, gateway):
    with pytest.raises(ValueError):
        gateway.create_payment_intent(1000, "eur", idempotency_key=None)
    with pytest.raises(ValueError):
        gateway.create_customer("a@example.com", "A", idempotency_key="")
    with pytest.raises(ValueError):
        gateway.create_refund("pi_x", 100, idempotency_key=None)
    with pytest.raises(ValueError):
        gateway.charge_off_session(100, "eur", "cus_x", "pm_x", idempotency_key="k" * 256)
    with pytest.raises(TypeError):
        gateway.create_payment_intent(1000, "eur")
    assert fake.requests == []


# ---------------------------------------------------------------------------------------------
# Errors, in words a customer can act on
# ---------------------------------------------------------------------------------------------


def _saved_card(fake):
    customer = fake.add_customer(email="marc@example.com")
    return customer, fake.add_saved_card(customer)


@pytest.mark.parametrize(
    ("decline_code", "expected"),
    [
        ("insufficient_funds", const.DECLINE_MESSAGES["insufficient_funds"]),
        ("expired_card", const.DECLINE_MESSAGES["expired_card"]),
        ("incorrect_cvc", const.DECLINE_MESSAGES["incorrect_cvc"]),
        # lost, stolen or fraud: shown as a plain decline, as Stripe advises
        ("fraudulent", const.GENERIC_DECLINE_MESSAGE),
        ("stolen_card", const.GENERIC_DECLINE_MESSAGE),
    ],
)
def test_card_declined(fake, gateway, decline_code, expected):
    customer, card = _saved_card(fake)
    fake.decline_next(decline_code)

    with pytest.raises(StripeCardError) as caught:
        gateway.charge_off_session(50000, "eur", customer, card, idempotency_key="S00048-bal")

    error = caught.value
    assert error.decline_code == decline_code
    assert error.user_message == expected
    assert error.http_status == 402
    assert error.request_id.startswith("req_")
    assert decline_code in error.detail
    _assert_plain_words(error)


def test_a_replayed_decline_does_not_charge_again(fake, gateway):
    customer, card = _saved_card(fake)
    fake.decline_next("insufficient_funds")
    for _attempt in range(2):
        with pytest.raises(StripeCardError):
            gateway.charge_off_session(50000, "eur", customer, card, idempotency_key="S49-bal")

    assert len(fake.payment_intents) == 1
    assert fake.idempotent_replays == ["S49-bal"]


def test_off_session_charge_needing_authentication_gives_a_link_to_send(fake, gateway):
    customer, card = _saved_card(fake)
    fake.authentication_required_next()

    with pytest.raises(StripeAuthenticationRequired) as caught:
        gateway.charge_off_session(80000, "eur", customer, card, idempotency_key="S00050-bal")

    error = caught.value
    intent = fake.payment_intents[error.payment_intent_id]
    assert error.client_secret == intent["client_secret"]
    assert error.payment_method == card
    assert error.code == "authentication_required"
    _assert_plain_words(error)


def test_intent_left_in_requires_action_also_asks_for_authentication(fake, gateway):
    customer, card = _saved_card(fake)
    fake.requires_action_next()

    with pytest.raises(StripeAuthenticationRequired) as caught:
        gateway.charge_off_session(80000, "eur", customer, card, idempotency_key="S00051-bal")

    intent = fake.payment_intents[caught.value.payment_intent_id]
    assert intent["status"] == "requires_action"
    assert caught.value.client_secret == intent["client_secret"]


@pytest.mark.parametrize(
    ("scenario", "status"),
    [("server_error_next", 500), ("rate_limit_next", 429), ("lock_timeout_next", 409)],
)
def test_temporary_failures_can_be_retried_with_the_same_key(fake, gateway, scenario, status):
    getattr(fake, scenario)()

    with pytest.raises(StripeTemporaryError) as caught:
        gateway.create_payment_intent(42000, "eur", idempotency_key="S00052-1")
    assert caught.value.http_status == status
    assert caught.value.idempotency_key == "S00052-1"
    _assert_plain_words(caught.value)

    intent = gateway.create_payment_intent(42000, "eur", idempotency_key="S00052-1")
    assert list(fake.payment_intents) == [intent["id"]]


def test_stripe_asking_to_wait_says_how_long(fake, gateway):
    fake.rate_limit_next(retry_after=30)

    with pytest.raises(StripeTemporaryError) as caught:
        gateway.create_payment_intent(42000, "eur", idempotency_key="S00054-1")
    assert caught.value.retry_after == 30

    fake.rate_limit_next()
    with pytest.raises(StripeTemporaryError) as caught:
        gateway.create_payment_intent(42000, "eur", idempotency_key="S00054-1")
    assert caught.value.retry_after is None


def test_odoo_form_payloads_go_through_the_sdk(fake, gateway):
    """Odoo's own calls write flat form keys ("enabled_events[]"); the gateway sends them
    through the SDK, held to the spec like every other request."""
    endpoint = gateway.request(
        "POST",
        "webhook_endpoints",
        {
            "url": "https://shop.example.com/payment/stripe/webhook",
            "enabled_events[]": list(const.HANDLED_WEBHOOK_EVENTS),
            "api_version": const.API_VERSION,
            "metadata[source]": "odoo",
        },
    )

    assert endpoint["secret"].startswith("whsec_")
    (request,) = fake.requests_to("post", "/v1/webhook_endpoints")
    assert request.form["enabled_events"] == list(const.HANDLED_WEBHOOK_EVENTS)
    assert request.form["metadata"] == {"source": "odoo"}
    assert request.header("Stripe-Version") == const.API_VERSION


def test_odoo_own_call_refused_keeps_stripe_answer(fake, gateway):
    fake.invalid_api_key_next(("post", "/v1/webhook_endpoints"))

    with pytest.raises(StripeConfigError) as caught:
        gateway.request(
            "POST",
            "webhook_endpoints",
            {"url": "https://shop.example.com/x", "enabled_events[]": ["charge.refunded"]},
        )
    assert caught.value.response_body["error"]["message"].startswith("Invalid API Key")
    assert caught.value.http_status == 401


def test_timeout_is_quick_and_the_retry_does_not_charge_twice(fake):
    gateway = StripeGateway(SECRET_KEY, timeout=0.3, api_base=fake.base_url)
    fake.timeout_next(1.0)  # Stripe answers late, but does create the intent

    started = time.monotonic()
    with pytest.raises(StripeTemporaryError) as caught:
        gateway.create_payment_intent(42000, "eur", idempotency_key="S00053-1")
    assert time.monotonic() - started < 0.9
    assert "Timeout" in caught.value.detail
    _assert_plain_words(caught.value)

    retried = gateway.create_payment_intent(42000, "eur", idempotency_key="S00053-1")
    deadline = time.monotonic() + 3
    while not fake.idempotent_replays and time.monotonic() < deadline:
        time.sleep(0.05)  # the late first request finishes at the fake

    assert list(fake.payment_intents) == [retried["id"]]
    assert fake.idempotent_replays == ["S00053-1"]


def test_stripe_unreachable_is_temporary():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gateway = StripeGateway(SECRET_KEY, timeout=1, api_base=f"http://127.0.0.1:{port}")

    with pytest.raises(StripeTemporaryError) as caught:
        gateway.retrieve_payment_intent("pi_123")
    _assert_plain_words(caught.value)


def test_invalid_api_key(fake):
    gateway = StripeGateway("sk_test_rolled_key", timeout=2, api_base=fake.base_url)

    with pytest.raises(StripeConfigError) as caught:
        gateway.create_customer("a@example.com", "A", idempotency_key="cus-a")

    assert caught.value.http_status == 401
    assert "sk_test_rolled_key" not in caught.value.detail + caught.value.user_message
    assert fake.customers == {}
    _assert_plain_words(caught.value)


@pytest.mark.parametrize(
    ("scenario", "status"), [("invalid_api_key_next", 401), ("permission_denied_next", 403)]
)
def test_key_refused_by_stripe_is_a_configuration_error(fake, gateway, scenario, status):
    getattr(fake, scenario)()

    with pytest.raises(StripeConfigError) as caught:
        gateway.create_payment_intent(1000, "eur", idempotency_key="S00054-1")

    assert caught.value.http_status == status
    assert fake.payment_intents == {}


def test_unknown_payment_intent(fake, gateway):
    with pytest.raises(StripeGatewayError) as caught:
        gateway.retrieve_payment_intent("pi_DoesNotExist")

    assert type(caught.value) is StripeGatewayError
    assert (caught.value.http_status, caught.value.code) == (404, "resource_missing")
    _assert_plain_words(caught.value)


# ---------------------------------------------------------------------------------------------
# Amounts in minor units
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        (Decimal("1250.50"), "EUR", 125050),
        (19.99, "usd", 1999),  # a float is taken as written, not as 1998.999...
        (Decimal("0.005"), "EUR", 1),  # half up
        (500, "JPY", 500),  # zero-decimal
        (Decimal("1234.6"), "krw", 1235),
        ("7000", "XOF", 7000),
        (Decimal("5.124"), "KWD", 5120),  # three-decimal: last digit must be 0
        (Decimal("5.125"), "KWD", 5130),
        (Decimal("12.340"), "BHD", 12340),
        (Decimal("0.999"), "TND", 1000),
        (Decimal("40.10"), "ISK", 4000),  # two-decimal in the API, whole krónur only
        (Decimal("40.50"), "ISK", 4100),
    ],
)
def test_to_minor_units(amount, currency, minor):
    assert gateway_mod.to_minor_units(amount, currency) == minor


@pytest.mark.parametrize(
    ("minor", "currency", "amount"),
    [
        (125050, "EUR", Decimal("1250.50")),
        (500, "JPY", Decimal("500")),
        (5120, "kwd", Decimal("5.12")),
        (12345, "OMR", Decimal("12.345")),
        (4000, "ISK", Decimal("40")),
    ],
)
def test_from_minor_units(minor, currency, amount):
    assert gateway_mod.from_minor_units(minor, currency) == amount


def test_minor_units_refuse_nonsense():
    for amount, currency in ((-1, "EUR"), ("NaN", "EUR"), (10, "EURO"), (10, "")):
        with pytest.raises(ValueError):
            gateway_mod.to_minor_units(amount, currency)


# ---------------------------------------------------------------------------------------------
# Webhooks
# ---------------------------------------------------------------------------------------------

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
