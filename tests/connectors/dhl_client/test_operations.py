"""The DHL Express client against a local DHL held to DHL's OpenAPI file: what the client
relies on in the spec, and every operation (rates, address check, landed cost, shipments,
documents, tracking, pickups). Failures are in test_failures.py, the pure helpers in
tests/connectors/test_dhl_utils.py.

No Odoo: the client is loaded without the ORM with ``load_addon_file``.
"""

from datetime import date, timedelta

import pytest

from odoo.addons.delivery_dhl_express.tests.dhl_fake import (
    ACCOUNT_NUMBER,
    INVOICE_PDF,
    LABEL_PDF,
)

from .common import (
    answers,
    assert_no_secret_logged,
    assert_requests_well_formed,
    const,
    dhl,
    landed_cost_payload,
    planned,
    rate_payload,
    shipment_payload,
)

# --- Spec facts the client relies on -----------------------------------------------------------


def test_constants_follow_the_spec(spec):
    parameters = spec["components"]["parameters"]
    assert parameters["xVersionHeader"]["schema"]["default"] == const.API_VERSION
    assert parameters["messageReferenceHeader"]["schema"]["maxLength"] == (
        const.MESSAGE_REFERENCE_MAX_LENGTH
    )
    servers = {server["url"] for server in spec["servers"]}
    assert {const.TEST_URL, const.PRODUCTION_URL} <= servers
    paths = spec["paths"]
    assert "post" in paths[const.RATES_PATH]
    assert "get" in paths[const.ADDRESS_VALIDATE_PATH]
    assert "post" in paths[const.LANDED_COST_PATH]
    assert "post" in paths[const.SHIPMENTS_PATH]
    assert "get" in paths["/shipments/{shipmentTrackingNumber}/tracking"]
    assert "delete" in paths["/pickups/{dispatchConfirmationNumber}"]
    # No shipment cancellation in MyDHL API 3.3.1: nothing deletes a shipment.
    assert not [p for p, item in paths.items() if p.startswith("/shipments") and "delete" in item]
    for name, limit in const.PLATFORM_HEADERS_MAX_LENGTH.items():
        found = [p for p in parameters.values() if p.get("name") == name]
        assert found and found[0]["schema"]["maxLength"] == limit


def test_client_targets_dhl_servers_per_environment():
    test = dhl.DHLExpressClient("k", "top-secret-1", "1", timeout=5)
    prod = dhl.DHLExpressClient("k", "top-secret-1", "1", production=True, timeout=5)
    assert test.base_url == "https://express.api.dhl.com/mydhlapi/test"
    assert prod.base_url == "https://express.api.dhl.com/mydhlapi"
    assert "top-secret-1" not in repr(prod)
    with pytest.raises(ValueError):
        dhl.DHLExpressClient("k", "s", "1", timeout=0)
    with pytest.raises(ValueError):
        dhl.DHLExpressClient("k", "", "1", timeout=5)
    with pytest.raises(ValueError, match="20 characters"):
        dhl.DHLExpressClient("k", "s", "1", timeout=5, platform_headers={"Plugin-Name": "x" * 21})


# --- Operations ---------------------------------------------------------------------------------


def test_rates_lists_products_with_billing_price(client, fake, log_lines):
    result = client.rates(rate_payload())

    assert [p.product_code for p in result.products] == ["P", "U"]
    express = result.products[0]
    assert express.product_name == "EXPRESS WORLDWIDE"
    assert express.currency == "EUR"
    # chargeable weight: volumetric 220 x 95 x 80 / 5000 = 334.4 kg beats 86.5 kg
    assert express.price == pytest.approx(45 + 3.2 * 334.4, abs=0.01)
    assert result.cheapest() is express
    sent = fake.requests[0].json
    assert sent["accounts"] == [{"typeCode": "shipper", "number": ACCOUNT_NUMBER}]
    assert fake.requests[0].path == "/mydhlapi/test/rates"
    assert_requests_well_formed(fake, 1)
    assert_no_secret_logged(log_lines)


def test_rates_keeps_the_callers_accounts(client, fake):
    payload = rate_payload()
    payload["accounts"] = [{"typeCode": "payer", "number": "987654321"}]
    client.rates(payload)
    assert fake.requests[0].json["accounts"] == [{"typeCode": "payer", "number": "987654321"}]
    assert "accounts" in payload and "accounts" not in rate_payload()


def test_holiday_without_products_then_products_next_day(client, fake):
    holiday = date.today() + timedelta(days=2)
    fake.holiday(holiday)

    empty = client.rates(rate_payload(days_ahead=2))
    assert empty.products == []
    assert empty.warnings and empty.cheapest() is None

    result = client.rates_next_available(rate_payload(days_ahead=2))
    assert result.products
    assert result.planned_shipping_date == planned(3)
    sent = [r.json["plannedShippingDateAndTime"] for r in fake.requests]
    assert sent == [planned(2), planned(2), planned(3)]
    assert_requests_well_formed(fake, 3)


def test_holiday_refused_with_dhl_error_code(client, fake):
    fake.holiday(date.today() + timedelta(days=1), mode="error")

    with pytest.raises(answers.DHLNoProductError) as caught:
        client.rates(rate_payload(days_ahead=1))
    error = caught.value
    assert isinstance(error, answers.DHLRequestError)
    assert error.code == "1001"
    assert error.status == 400
    assert error.user_message == const.USER_MESSAGES["no_product"]
    assert "1001: The requested product(s) (P) not available" in error.detail

    result = client.rates_next_available(rate_payload(days_ahead=1))
    assert result.planned_shipping_date == planned(2)
    assert_requests_well_formed(fake, 3)


def test_rates_next_available_gives_up(client, fake):
    for days in (1, 2, 3):
        fake.holiday(date.today() + timedelta(days=days))
    with pytest.raises(answers.DHLNoProductError) as caught:
        client.rates_next_available(rate_payload(days_ahead=1), max_days=2)
    assert len(fake.requests) == 3
    assert "over 3 days" in caught.value.detail


def test_validate_address_confirms_the_place(client, fake):
    result = client.validate_address("CH", "8001", "Zürich")
    assert result.is_valid
    assert result.addresses[0].city_name == "ZÜRICH"
    assert fake.requests[0].query == {
        "type": "delivery",
        "countryCode": "CH",
        "postalCode": "8001",
        "cityName": "Zürich",
        "strictValidation": "false",
    }
    assert_requests_well_formed(fake, 1)


def test_address_suggestion_close_enough_is_accepted(client, fake):
    fake.suggest_address("MUENCHEN", "80331", "DE")
    ours = {"countryCode": "DE", "postalCode": "80331", "cityName": "München"}

    result = client.validate_address("DE", "80331", "Munchen", address_type="pickup")

    suggestion = result.best_match(ours)
    assert suggestion is not None
    assert suggestion.city_name == "MUENCHEN"
    assert suggestion.service_area_code == "MUC"
    assert fake.requests[0].query["type"] == "pickup"


def test_address_suggestion_elsewhere_is_not_accepted(client, fake):
    fake.suggest_address("MUNCHEN", "80333", "DE")
    ours = {"countryCode": "DE", "postalCode": "80331", "cityName": "München"}

    result = client.validate_address("DE", "80331", "München")

    assert result.is_valid
    assert result.best_match(ours) is None


def test_landed_cost_splits_duties_taxes_fees(client, fake):
    cost = client.landed_cost(landed_cost_payload())

    duty = round(12400.7 * 0.04, 2)
    tax = round((12400.7 + 180 + duty) * 0.081, 2)
    assert cost.duties == pytest.approx(duty)
    assert cost.taxes == pytest.approx(tax)
    assert cost.fees == pytest.approx(35.0)
    assert cost.total_price == pytest.approx(round(180 + duty + tax + 35, 2))
    assert cost.currency == "EUR"
    assert fake.requests[0].json["accounts"][0]["number"] == ACCOUNT_NUMBER
    assert_requests_well_formed(fake, 1)


def test_create_shipment_returns_waybill_and_pdf_label(client, fake, log_lines):
    result = client.create_shipment(shipment_payload(pickup=True))

    assert result.tracking_number == "1234567890"
    assert result.label is not None
    assert result.label.image_format == "PDF"
    assert result.label.content == LABEL_PDF
    assert result.label.content.startswith(b"%PDF")
    assert [d.type_code for d in result.documents] == ["label"], "no invoice unless asked"
    assert result.package_tracking_numbers == ["JD014600001234567890" + "1"]
    assert result.dispatch_confirmation_number == "PRG1234567890"
    sent = fake.requests[0].json
    assert sent["customerDetails"]["shipperDetails"]["postalAddress"]["addressLine1"] == (
        "Maximilianstraße 12, Hinterhof"
    )
    assert sent["content"]["exportDeclaration"]["lineItems"][0]["price"] == 12400.7
    assert_requests_well_formed(fake, 1)
    assert_no_secret_logged(log_lines)


def invoice_requested(payload, *, paperless=False, signature=True):
    payload["outputImageProperties"] = {
        "imageOptions": [
            {
                "typeCode": "invoice",
                "isRequested": True,
                "invoiceType": "commercial",
                "languageCode": "eng",
            }
        ]
    }
    declaration = payload["content"]["exportDeclaration"]
    declaration["placeOfIncoterm"] = "Zürich"
    if signature:
        declaration["invoice"].update({"signatureName": "Anna Huber", "signatureTitle": "CEO"})
    if paperless:
        payload["valueAddedServices"] = [{"serviceCode": "WY"}]
    return payload


def test_create_shipment_with_paperless_trade_returns_dhls_commercial_invoice(client, fake):
    result = client.create_shipment(invoice_requested(shipment_payload(), paperless=True))

    assert [d.type_code for d in result.documents] == ["label", "invoice"]
    assert result.documents[1].content == INVOICE_PDF
    sent = fake.requests[0].json
    assert sent["valueAddedServices"] == [{"serviceCode": "WY"}]
    assert sent["content"]["exportDeclaration"]["invoice"]["signatureName"] == "Anna Huber"
    assert_requests_well_formed(fake, 1)


def test_paperless_trade_without_a_signed_invoice_is_refused(client, fake):
    payload = shipment_payload()
    payload["valueAddedServices"] = [{"serviceCode": "WY"}]
    with pytest.raises(answers.DHLRequestError) as caught:
        client.create_shipment(payload)
    assert "Paperless Trade (WY) requires a commercial invoice" in caught.value.user_message

    with pytest.raises(answers.DHLRequestError) as caught:
        client.create_shipment(
            invoice_requested(shipment_payload(), paperless=True, signature=False)
        )
    assert "signatureName" in caught.value.detail
    assert fake.shipments == {}


def test_invoice_total_must_match_the_declared_value(client, fake):
    payload = invoice_requested(shipment_payload())
    payload["content"]["declaredValue"] = 99.0
    with pytest.raises(answers.DHLRequestError) as caught:
        client.create_shipment(payload)
    assert "8003" in caught.value.detail


def test_document_images_downloads_the_waybill_and_invoice_again(client, fake):
    shipment = client.create_shipment(invoice_requested(shipment_payload()))
    month = planned(1)[:7]

    waybill = client.document_images(shipment.tracking_number, "waybill", month)
    invoice = client.document_images(shipment.tracking_number, "commercial-invoice", month)

    assert [(d.type_code, d.image_format, d.content) for d in waybill] == [
        ("waybill", "PDF", LABEL_PDF)
    ]
    assert [d.content for d in invoice] == [INVOICE_PDF]
    query = fake.requests[-1].query
    assert query == {
        "shipperAccountNumber": ACCOUNT_NUMBER,
        "typeCode": "commercial-invoice",
        "pickupYearAndMonth": month,
        "encodingFormat": "pdf",
    }
    assert fake.requests[-1].path == (
        f"/mydhlapi/test/shipments/{shipment.tracking_number}/get-image"
    )
    assert_requests_well_formed(fake, 3)


def test_document_images_dhl_does_not_keep_are_not_found(client, fake):
    shipment = client.create_shipment(shipment_payload())
    with pytest.raises(answers.DHLRequestError) as caught:
        client.document_images(shipment.tracking_number, "commercial-invoice", planned(1)[:7])
    assert caught.value.status == 404
    assert "1504" in caught.value.detail


def test_track_maps_last_checkpoint(client, fake):
    shipment = client.create_shipment(shipment_payload())
    assert client.track(shipment.tracking_number).status == "created"

    fake.set_tracking(shipment.tracking_number, "PU", "PL", "DF", "RR", "CR", "WC", "OK")
    tracking = client.track(shipment.tracking_number)

    assert tracking.tracking_number == shipment.tracking_number
    assert [e.type_code for e in tracking.events] == ["PU", "PL", "DF", "RR", "CR", "WC", "OK"]
    assert tracking.status == "delivered"
    assert tracking.events[0].location == "MUNICH-DE"
    assert fake.requests[-1].path == f"/mydhlapi/test/shipments/{shipment.tracking_number}/tracking"
    assert_requests_well_formed(fake, 3)


def test_track_unknown_waybill_is_a_request_error(client, fake):
    with pytest.raises(answers.DHLRequestError) as caught:
        client.track("9999999999")
    assert caught.value.status == 404
    assert caught.value.title == "Not Found"
    assert "9999999999" in caught.value.user_message
    assert "9999999999" in caught.value.detail


def test_cancel_pickup(client, fake):
    shipment = client.create_shipment(shipment_payload(pickup=True))

    assert client.cancel_pickup(shipment.dispatch_confirmation_number, "Anna Huber", "Delayed")

    assert fake.cancelled_pickups == [
        ("PRG1234567890", {"requestorName": "Anna Huber", "reason": "Delayed"})
    ]
    assert_requests_well_formed(fake, 2)


def test_fake_reset_forgets_everything(client, fake):
    fake.holiday(date.today() + timedelta(days=1))
    fake.next_unauthorized("post", "/rates")
    client.validate_address("CH", "8001", "Zürich")
    fake.reset()
    assert fake.requests == [] and fake.holidays == {}
    assert client.rates(rate_payload()).products, "no queued 401 left, no holiday left"
