"""The Twilio client against a local Twilio that checks Twilio's own OpenAPI file."""

import email.utils
import socket
import time
from datetime import UTC, datetime, timedelta

import pytest
from twilio.request_validator import RequestValidator

from odoo.addons.connector_common.tests.openapi_fake import FakeResponse, Raw, checked
from odoo.addons.sms_twilio.tests.twilio_fake import MESSAGES, TwilioFake, twilio_error

from tests.conftest import load_addon_file

twilio_request = load_addon_file("sms_twilio", "models/twilio_request.py")
const = twilio_request.const
TwilioClient = twilio_request.TwilioClient
TwilioTemporaryError = twilio_request.TwilioTemporaryError
TwilioPermanentError = twilio_request.TwilioPermanentError

ACCOUNT_SID = "AC" + "5f3c2a1b0d9e8f7a" * 2
AUTH_TOKEN = "a-very-secret-auth-token"
SENDER = "+14155550199"
CUSTOMER = "+32470123456"
SERVICE_SID = "MG" + "0a1b2c3d4e5f6a7b" * 2
CALLBACK = "https://shop.example.com/sms_twilio/status"


@pytest.fixture
def twilio():
    yield from checked(TwilioFake(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN))


@pytest.fixture
def client(twilio):
    return TwilioClient(ACCOUNT_SID, AUTH_TOKEN, timeout=5, base_url=twilio.base_url)


# -- sending ----------------------------------------------------------------------------------


def test_a_sent_sms_comes_back_with_its_sid_and_status(twilio, client):
    result = client.send_message(CUSTOMER, "Your oak table is ready for delivery.", from_=SENDER)

    (created,) = twilio.messages
    assert result.sid == created["sid"]
    assert result.sid.startswith("SM") and len(result.sid) == 34
    assert (result.status, result.error_code, result.error_message) == ("queued", None, None)


def test_twilio_saw_a_spec_valid_request_with_sender_text_and_callback(twilio, client):
    client.send_message(CUSTOMER, "Your sofa ships today.", from_=SENDER, status_callback=CALLBACK)

    (seen,) = twilio.requests_to("POST", MESSAGES)
    assert seen.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert seen.form == {
        "To": CUSTOMER,
        "From": SENDER,
        "Body": "Your sofa ships today.",
        "StatusCallback": CALLBACK,
    }
    assert seen.header("Authorization").startswith("Basic ")
    assert twilio.violations == []


def test_a_messaging_service_can_send_instead_of_a_number(twilio, client):
    client.send_message(CUSTOMER, "Delivery slot confirmed.", messaging_service_sid=SERVICE_SID)

    (seen,) = twilio.requests_to("POST", MESSAGES)
    assert seen.form == {
        "To": CUSTOMER,
        "MessagingServiceSid": SERVICE_SID,
        "Body": "Delivery slot confirmed.",
    }
    assert twilio.messages[0]["messaging_service_sid"] == SERVICE_SID


def test_no_idempotency_header_is_invented(twilio, client):
    client.send_message(CUSTOMER, "Hello", from_=SENDER, idempotency_key="sms-42")

    (seen,) = twilio.requests_to("POST", MESSAGES)
    assert not [name for name in seen.headers if "idempotency" in name.lower()]
    assert "sms-42" not in seen.body.decode()


def test_a_message_without_sender_is_refused_before_calling_twilio(twilio, client):
    with pytest.raises(ValueError, match="sender"):
        client.send_message(CUSTOMER, "Hello")
    assert twilio.requests == []


def test_the_client_ignores_twilio_region_and_edge_from_the_environment(monkeypatch, twilio):
    monkeypatch.setenv("TWILIO_REGION", "ie1")
    monkeypatch.setenv("TWILIO_EDGE", "dublin")
    client = TwilioClient(ACCOUNT_SID, AUTH_TOKEN, timeout=5, base_url=twilio.base_url)

    assert client.send_message(CUSTOMER, "Hello", from_=SENDER).status == "queued"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN, "timeout": 0}, "timeout"),
        ({"account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN, "timeout": None}, "timeout"),
        ({"account_sid": ACCOUNT_SID, "auth_token": "", "timeout": 5}, "Auth Token"),
        ({"account_sid": "", "auth_token": AUTH_TOKEN, "timeout": 5}, "Account SID"),
    ],
)
def test_the_client_needs_credentials_and_an_explicit_timeout(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TwilioClient(**kwargs)


# -- finding a message whose answer never came ------------------------------------------------


def _wait_for_messages(twilio, count, seconds=5):
    deadline = time.monotonic() + seconds
    while len(twilio.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return twilio.messages


def test_a_message_created_despite_a_timeout_is_found_again(twilio):
    started = datetime.now(UTC) - timedelta(seconds=1)
    client = TwilioClient(ACCOUNT_SID, AUTH_TOKEN, timeout=0.3, base_url=twilio.base_url)
    twilio.fail_with_timeout(seconds=0.8)
    with pytest.raises(TwilioTemporaryError):
        client.send_message(CUSTOMER, "Your armchair is on its way.", from_=SENDER)
    (created,) = _wait_for_messages(twilio, 1)

    found = client.find_message(CUSTOMER, "Your armchair is on its way.", created_after=started)

    assert (found.sid, found.status) == (created["sid"], "queued")
    (listed,) = twilio.requests_to("GET", MESSAGES)
    assert listed.query["To"] == CUSTOMER
    assert len(twilio.requests_to("POST", MESSAGES)) == 1


def test_no_message_is_found_when_twilio_never_created_it(twilio, client):
    started = datetime.now(UTC) - timedelta(seconds=1)
    client.send_message(CUSTOMER, "Another text", from_=SENDER)
    client.send_message("+32470999999", "Your armchair is on its way.", from_=SENDER)

    assert (
        client.find_message(CUSTOMER, "Your armchair is on its way.", created_after=started) is None
    )
    assert (
        client.find_message(CUSTOMER, "Another text", created_after=started + timedelta(minutes=10))
        is None
    )
    known = client.find_message(CUSTOMER, "Another text", created_after=started)
    assert known is not None
    assert (
        client.find_message(
            CUSTOMER, "Another text", created_after=started, exclude_sids={known.sid}
        )
        is None
    )


# -- temporary failures -----------------------------------------------------------------------


def test_a_slow_twilio_is_a_quick_temporary_error(twilio):
    client = TwilioClient(ACCOUNT_SID, AUTH_TOKEN, timeout=0.3, base_url=twilio.base_url)
    twilio.fail_with_timeout(seconds=3)

    started = time.monotonic()
    with pytest.raises(TwilioTemporaryError) as caught:
        client.send_message(CUSTOMER, "Hello", from_=SENDER)

    assert time.monotonic() - started < 2  # the SDK used our timeout, not its own
    assert caught.value.code is None and caught.value.retry_after is None
    assert caught.value.user_message == const.TIMEOUT_MESSAGE % {"timeout": 0.3}


def test_an_unreachable_twilio_is_a_temporary_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    client = TwilioClient(
        ACCOUNT_SID, AUTH_TOKEN, timeout=2, base_url=f"http://127.0.0.1:{closed_port}"
    )

    with pytest.raises(TwilioTemporaryError) as caught:
        client.send_message(CUSTOMER, "Hello", from_=SENDER)
    assert caught.value.user_message == const.CONNECTION_MESSAGE


def test_a_server_error_is_temporary(twilio, client):
    twilio.fail_with_server_error(500)

    with pytest.raises(TwilioTemporaryError) as caught:
        client.send_message(CUSTOMER, "Hello", from_=SENDER)

    error = caught.value
    assert (error.status, error.code, error.retry_after) == (500, 20500, None)
    assert error.twilio_message == "Internal Server Error"
    assert "temporarily unavailable" in error.user_message


def test_rate_limiting_is_temporary_and_says_when_to_retry(twilio, client):
    twilio.fail_with_rate_limit(retry_after=30)

    with pytest.raises(TwilioTemporaryError) as caught:
        client.send_message(CUSTOMER, "Hello", from_=SENDER)

    error = caught.value
    assert (error.status, error.code, error.retry_after) == (429, 20429, 30)
    assert error.user_message == const.ERROR_MESSAGES[20429]
    # the next send goes through
    assert client.send_message(CUSTOMER, "Hello", from_=SENDER).status == "queued"


def test_retry_after_may_be_an_http_date():
    now = float(int(time.time()))  # HTTP dates have whole seconds
    in_two_minutes = email.utils.formatdate(now + 120, usegmt=True)

    assert twilio_request.parse_retry_after(in_two_minutes, now=now) == 120
    assert twilio_request.parse_retry_after("7") == 7
    assert twilio_request.parse_retry_after("soon") is None
    assert twilio_request.parse_retry_after(None) is None


# -- permanent failures -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "scenario, code, twilio_words",
    [
        ("reject_invalid_number", 21211, "Invalid 'To' Phone Number"),
        ("reject_unsubscribed", 21610, "unsubscribed recipient"),
        ("reject_permission", 21408, "Permission to send an SMS"),
        ("reject_bad_credentials", 20003, "Authenticate"),
    ],
)
def test_refusals_are_permanent_with_a_plain_message(twilio, client, scenario, code, twilio_words):
    getattr(twilio, scenario)()

    with pytest.raises(TwilioPermanentError) as caught:
        client.send_message(CUSTOMER, "Hello", from_=SENDER)

    error = caught.value
    assert error.code == code
    assert error.user_message == const.ERROR_MESSAGES[code]
    assert twilio_words in error.twilio_message
    assert str(code) in str(error) and error.twilio_message in str(error)
    assert twilio.messages == []


def test_a_wrong_auth_token_is_refused_by_twilio_as_20003(twilio):
    client = TwilioClient(ACCOUNT_SID, "not-the-token", timeout=5, base_url=twilio.base_url)

    with pytest.raises(TwilioPermanentError) as caught:
        client.send_message(CUSTOMER, "Hello", from_=SENDER)

    assert (caught.value.status, caught.value.code) == (401, 20003)
    assert "Auth Token" in caught.value.user_message


def test_an_unknown_refusal_keeps_twilios_words(twilio, client):
    twilio.queue_send(twilio_error(400, 21999, "Something new went wrong"))

    with pytest.raises(TwilioPermanentError) as caught:
        client.send_message(CUSTOMER, "Hello", from_=SENDER)

    assert caught.value.user_message == (
        "Twilio refused the message (error 21999): Something new went wrong"
    )


def test_an_unreadable_success_is_permanent_so_nobody_resends_blindly(twilio, client):
    twilio.queue_send(Raw(201, b"<html>created</html>", {"Content-Type": "text/html"}))

    with pytest.raises(TwilioPermanentError) as caught:
        client.send_message(CUSTOMER, "Hello", from_=SENDER)
    assert caught.value.user_message == const.UNREADABLE_ANSWER_MESSAGE


def test_the_fake_refuses_to_lie_about_a_message_resource(twilio, client):
    twilio.queue_send(FakeResponse(201, {"sid": "nope", "status": "queued"}))

    client.send_message(CUSTOMER, "Hello", from_=SENDER)

    (violation,) = twilio.take_violations()
    assert "at sid:" in violation


# -- webhook signatures -----------------------------------------------------------------------

STATUS_URL = "https://shop.example.com/sms_twilio/status?db=furniture"
STATUS_PARAMS = {
    "MessageSid": "SM" + "1" * 32,
    "MessageStatus": "delivered",
    "To": CUSTOMER,
    "From": SENDER,
    "AccountSid": ACCOUNT_SID,
}


def signed(params, token=AUTH_TOKEN, url=STATUS_URL):
    return RequestValidator(token).compute_signature(url, params)


def test_a_status_callback_signed_by_twilio_is_accepted():
    assert twilio_request.verify_signature(
        AUTH_TOKEN, STATUS_URL, STATUS_PARAMS, signed(STATUS_PARAMS)
    )


def test_a_tampered_status_callback_is_refused():
    signature = signed(STATUS_PARAMS)
    tampered = {**STATUS_PARAMS, "MessageStatus": "failed"}

    assert not twilio_request.verify_signature(AUTH_TOKEN, STATUS_URL, tampered, signature)
    assert not twilio_request.verify_signature(
        AUTH_TOKEN, STATUS_URL.replace("furniture", "other"), STATUS_PARAMS, signature
    )


def test_a_callback_signed_with_another_token_is_refused():
    signature = signed(STATUS_PARAMS, token="someone-elses-token")

    assert not twilio_request.verify_signature(AUTH_TOKEN, STATUS_URL, STATUS_PARAMS, signature)


def test_without_an_auth_token_or_a_signature_every_callback_is_refused():
    signature = signed(STATUS_PARAMS, token="")

    assert not twilio_request.verify_signature("", STATUS_URL, STATUS_PARAMS, signature)
    assert not twilio_request.verify_signature(None, STATUS_URL, STATUS_PARAMS, signature)
    assert not twilio_request.verify_signature(AUTH_TOKEN, STATUS_URL, STATUS_PARAMS, "")
