"""The DHL Express client when DHL refuses, hangs, fails, limits or answers nonsense (the
local DHL held to DHL's OpenAPI file plays each case).

No Odoo: the client is loaded without the ORM with ``load_addon_file``.
"""

from datetime import UTC, datetime, timedelta

import pytest
import requests

from odoo.addons.connector_common.tests.openapi_fake import FakeResponse
from odoo.addons.delivery_dhl_express.tests.dhl_fake import (
    ACCOUNT_NUMBER,
    API_KEY,
    API_SECRET,
)

from .common import (
    CLIENT_TIMEOUT,
    answers,
    assert_no_secret_logged,
    const,
    dhl,
    landed_cost_payload,
    rate_payload,
    shipment_payload,
)

# --- Failures -----------------------------------------------------------------------------------


def test_customs_refusal_422(client, fake):
    fake.refuse_customs()

    with pytest.raises(answers.DHLRequestError) as caught:
        client.create_shipment(shipment_payload())
    error = caught.value
    assert type(error) is answers.DHLRequestError
    assert error.status == 422
    assert error.title == "Validation error"
    assert error.additional_details == [
        "#/content/exportDeclaration/lineItems/0: required key [commodityCodes] not found",
        "7015: Invoice line item manufacturer country code is missing",
    ]
    assert error.code == "7015"
    assert error.user_message.startswith("DHL could not accept this request: ")
    assert "Invoice line item manufacturer country code is missing" in error.user_message
    assert "7015:" not in error.user_message
    assert "Multiple problems found" in error.detail
    assert "HTTP 422" in error.detail
    assert fake.shipments == {}


def test_customs_refusal_400(client, fake):
    fake.refuse_customs(status=400, additional=["420505: The commodity code is invalid"])
    with pytest.raises(answers.DHLRequestError) as caught:
        client.create_shipment(shipment_payload())
    assert caught.value.status == 400
    assert caught.value.user_message == (
        "DHL could not accept this request: The commodity code is invalid"
    )


def test_timeout_is_temporary(client, fake, log_lines):
    fake.next_timeout("post", "/rates", seconds=CLIENT_TIMEOUT + 2)

    with pytest.raises(answers.DHLTemporaryError) as caught:
        client.rates(rate_payload())
    error = caught.value
    assert error.user_message == const.USER_MESSAGES["timeout"]
    assert f"within {CLIENT_TIMEOUT}s" in error.detail
    assert error.retry_after is None
    assert error.status is None
    assert_no_secret_logged(log_lines)


def test_connection_refused_is_temporary(fake):
    fake.stop()
    client = dhl.DHLExpressClient(
        API_KEY, API_SECRET, ACCOUNT_NUMBER, base_url=fake.base_url, timeout=CLIENT_TIMEOUT
    )
    with pytest.raises(answers.DHLTemporaryError) as caught:
        client.track("1234567890")
    assert caught.value.user_message == const.USER_MESSAGES["connection"]
    assert "Could not reach DHL" in caught.value.detail


def test_server_error_is_temporary(client, fake):
    fake.next_server_error("post", "/landed-cost")

    with pytest.raises(answers.DHLTemporaryError) as caught:
        client.landed_cost(landed_cost_payload())
    error = caught.value
    assert error.status == 500
    assert error.user_message == const.USER_MESSAGES["server"]
    assert "999: Process failure occurred" in error.detail
    assert error.retry_after is None


def test_rate_limit_carries_retry_after(client, fake):
    fake.next_rate_limited("get", "/address-validate", retry_after=42)

    with pytest.raises(answers.DHLTemporaryError) as caught:
        client.validate_address("CH", "8001", "Zürich")
    error = caught.value
    assert error.status == 429
    assert error.retry_after == 42
    assert error.user_message == const.USER_MESSAGES["rate_limited"]
    assert "Rate limit exceeded" in error.detail


def test_rate_limit_retry_after_as_http_date(client, fake):
    moment = datetime.now(UTC) + timedelta(seconds=120)
    fake.next_rate_limited(
        "post", "/rates", retry_after=moment.strftime("%a, %d %b %Y %H:%M:%S GMT")
    )
    with pytest.raises(answers.DHLTemporaryError) as caught:
        client.rates(rate_payload())
    assert 100 <= caught.value.retry_after <= 121


def test_malformed_json_is_a_response_error(client, fake):
    fake.next_malformed_json("post", "/rates")

    with pytest.raises(answers.DHLResponseError) as caught:
        client.rates(rate_payload())
    error = caught.value
    assert error.user_message == const.USER_MESSAGES["response"]
    assert "not JSON" in error.detail
    assert "EXPRESS WORLD" in error.detail


def test_unexpected_shape_is_a_response_error(client, fake):
    fake.queue("post", "/shipments", FakeResponse(201, {"warnings": ["queued"]}))
    with pytest.raises(answers.DHLResponseError) as caught:
        client.create_shipment(shipment_payload())
    assert "shipmentTrackingNumber" in caught.value.detail


def test_expired_credentials(client, fake):
    fake.next_unauthorized("post", "/shipments")

    with pytest.raises(answers.DHLAuthError) as caught:
        client.create_shipment(shipment_payload())
    error = caught.value
    assert error.status == 401
    assert error.user_message == const.USER_MESSAGES["auth"]
    assert "Invalid Credentials" in error.detail
    assert API_SECRET not in str(error) and API_SECRET not in error.detail


def test_wrong_secret_is_refused(fake, log_lines):
    client = dhl.DHLExpressClient(
        API_KEY,
        "not-the-secret",
        ACCOUNT_NUMBER,
        base_url=fake.base_url,
        timeout=2,
        logger=log_lines.append,
    )
    with pytest.raises(answers.DHLAuthError):
        client.track("1234567890")
    assert all("not-the-secret" not in line for line in log_lines)


def test_fake_refuses_a_request_without_x_version(fake):
    """The fake would catch a client forgetting the header the spec's default hides."""
    answer = requests.get(
        fake.base_url + "/address-validate",
        params={"type": "delivery", "countryCode": "CH"},
        headers={"Message-Reference": "d0e7832e-5c98-11ea-bc55-0242ac13"},
        auth=(API_KEY, API_SECRET),
        timeout=5,
    )
    assert answer.status_code == 400
    violations = fake.take_violations()
    assert any("x-version" in violation for violation in violations)
