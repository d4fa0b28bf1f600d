"""The Stripe gateway against a local Stripe held to Stripe's spec (webhook verification is in
test_stripe_webhook.py).

No Odoo here: ``StripeGateway`` is plain Python. Every request the
official SDK sends is validated by :class:`StripeFake` against Stripe's OpenAPI file, and every
test ends by checking that it carried the pinned Stripe-Version.
"""

import socket
import time
from decimal import Decimal

import pytest
import stripe

from odoo.addons.payment_stripe_mto.tests.stripe_fake import (
    SECRET_KEY,
    StripeFake,
)

from tests.conftest import load_addon_file

gateway_mod = load_addon_file("payment_stripe_mto", "models/stripe_request.py")
const = load_addon_file("payment_stripe_mto", "models/const.py")

StripeGateway = gateway_mod.StripeGateway
StripeGatewayError = gateway_mod.StripeGatewayError
StripeCardError = gateway_mod.StripeCardError
StripeAuthenticationRequired = gateway_mod.StripeAuthenticationRequired
StripeTemporaryError = gateway_mod.StripeTemporaryError
StripeConfigError = gateway_mod.StripeConfigError
StripeIdempotencyError = gateway_mod.StripeIdempotencyError


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
