"""DHL Express request bodies built by the pure functions of ``dhl_payloads``, without Odoo.

Each body is checked field by field where the rule is ours (limits, rounding, customs data),
and sent by the real client to the local DHL held to DHL's OpenAPI file, which refuses any
body the spec does not allow.
"""

from datetime import date, datetime, timedelta

import pytest

from odoo.addons.connector_common.tests.openapi_fake import checked
from odoo.addons.delivery_dhl_express.tests.dhl_fake import (
    ACCOUNT_NUMBER,
    API_KEY,
    API_SECRET,
    DHLFake,
)

from tests.conftest import load_addon_file

payloads = load_addon_file("delivery_dhl_express", "models/dhl_payloads.py")
dhl = load_addon_file("delivery_dhl_express", "models/dhl_request.py")
utils = load_addon_file("delivery_dhl_express", "models/dhl_utils.py")

SHOWROOM = payloads.Party(
    name="Claire Martin",
    company_name="Maison Valmont",
    street="12 rue du Faubourg Saint-Honoré Bâtiment B, escalier 3, troisième étage",
    phone="+33 1 42 68 00 00",
    email="shipping@maison-valmont.example",
    registration_country="FR",
    vat="FR 40 303 265 045",
    eori="FR30326504500017",
)
CLIENT = payloads.Party(
    name="Anna Keller",
    company_name="Anna Keller",
    street="Bahnhofstrasse 1",
    phone="+41 44 000 00 00",
    registration_country="CH",
)
TABLE = payloads.Goods(
    description="Oak dining table",
    hs_code="9403.60.10",
    origin_country="FR",
    quantity=2.0,
    unit_price=1234.56789,
    weight_kg=48.12345,
    name="[TBL] Oak Table",
)


def planned(days_ahead=1):
    day = date.today() + timedelta(days=days_ahead)
    return utils.format_planned_date(datetime(day.year, day.month, day.day, 14), "+01:00")


def shipment(**changes):
    values = {
        "planned": planned(),
        "product_code": "P",
        "reference": "WH/OUT/00042",
        "shipper": SHOWROOM,
        "shipper_address": payloads.rate_address(" 75008 ", "Paris", "FR"),
        "receiver": CLIENT,
        "receiver_address": payloads.rate_address("8001", "Zürich", "CH"),
        "packages": [payloads.package(96.2469, (220, 95.55555, 80), reference="PACK0001")],
        "goods": [TABLE],
        "declarable": True,
        "currency": "EUR",
        "incoterm": "DAP",
        "export_declaration": payloads.export_declaration(
            [TABLE], "INV/2026/0001", "2026-11-30", "Claire Martin", " Head of shipping ", "Paris"
        ),
    }
    values.update(changes)
    return payloads.Shipment(**values)


@pytest.fixture
def fake():
    yield from checked(DHLFake())


@pytest.fixture
def client(fake):
    return dhl.DHLExpressClient(
        API_KEY, API_SECRET, ACCOUNT_NUMBER, base_url=fake.base_url, timeout=2
    )


def test_rate_address_trims_and_cuts_the_city():
    address = payloads.rate_address(" 8001 ", " " + "Z" * 60 + " ", "CH")
    assert address == {"postalCode": "8001", "cityName": "Z" * 45, "countryCode": "CH"}
    assert payloads.rate_address(None, "Vaduz", "LI")["postalCode"] == ""


def test_package_rounds_to_the_gram_and_never_weighs_nothing():
    assert payloads.package(0.0001) == {"weight": 0.001}
    crate = payloads.package(86.54321, (220.00049, 95, 80), reference="P" * 40)
    assert crate["weight"] == 86.543
    assert crate["dimensions"] == {"length": 220.0, "width": 95, "height": 80}
    assert crate["customerReferences"] == [{"value": "P" * 35, "typeCode": "CU"}]
    assert list(crate) == ["weight", "customerReferences", "dimensions"]


def test_rate_request_declares_value_only_across_a_customs_border():
    addresses = (payloads.rate_address("75008", "Paris", "FR"),) * 2
    inside = payloads.rate_request(*addresses, [{"weight": 1}], False, 900.0, "EUR")
    assert "monetaryAmount" not in inside and "productCode" not in inside
    across = payloads.rate_request(*addresses, [{"weight": 1}], True, 1234.56789, "EUR", "P")
    assert across["productCode"] == "P"
    assert across["monetaryAmount"] == [
        {"typeCode": "declaredValue", "value": 1234.568, "currency": "EUR"}
    ]
    nothing_to_declare = payloads.rate_request(*addresses, [{"weight": 1}], True, 0, "EUR")
    assert "monetaryAmount" not in nothing_to_declare


def test_rate_request_is_accepted_by_dhl(client):
    body = payloads.rate_request(
        payloads.rate_address("75008", "Paris", "FR"),
        payloads.rate_address("8001", "Zürich", "CH"),
        [payloads.package(86.5, (220, 95, 80))],
        True,
        2469.14,
        "EUR",
    )
    body["plannedShippingDateAndTime"] = planned()
    assert client.rates(body).products


def test_party_details_split_the_street_into_dhl_lines_and_cut_the_contact():
    long_name = payloads.Party(
        name="N" * 300, company_name="C" * 120, street="Rue 1", phone="9" * 80, email="e" * 80
    )
    details = payloads.party_details(long_name, payloads.rate_address("1000", "Bruxelles", "BE"))
    contact = details["contactInformation"]
    assert (len(contact["fullName"]), len(contact["companyName"])) == (255, 100)
    assert (len(contact["phone"]), len(contact["email"])) == (70, 70)
    showroom = payloads.party_details(SHOWROOM, payloads.rate_address("75008", "Paris", "FR"))
    postal = showroom["postalAddress"]
    assert [k for k in postal if k.startswith("addressLine")] == ["addressLine1", "addressLine2"]
    assert all(len(postal[k]) <= 45 for k in ("addressLine1", "addressLine2"))
    assert " ".join([postal["addressLine1"], postal["addressLine2"]]) == SHOWROOM.street
    assert "email" not in payloads.party_details(CLIENT, {})["contactInformation"]


def test_party_details_refuse_a_street_dhl_cannot_take():
    with pytest.raises(ValueError, match="longer than DHL"):
        payloads.party_details(
            payloads.Party(name="X", company_name="X", street="A" * 46, phone="1"), {}
        )


def test_registration_numbers_are_compacted_and_need_a_country():
    assert payloads.registration_numbers(SHOWROOM) == [
        {"typeCode": "VAT", "number": "FR40303265045", "issuerCountryCode": "FR"},
        {"typeCode": "EOR", "number": "FR30326504500017", "issuerCountryCode": "FR"},
    ]
    assert payloads.registration_numbers(CLIENT) == []
    stateless = payloads.Party(name="X", company_name="X", street="1", phone="1", vat="FR1")
    assert payloads.registration_numbers(stateless) == []


def test_export_declaration_carries_the_goods_and_the_signature():
    declaration = payloads.export_declaration(
        [TABLE], "INV/1", "2026-11-30", "S" * 40, "  Head of shipping  ", "  "
    )
    assert declaration["invoice"] == {
        "number": "INV/1",
        "date": "2026-11-30",
        "signatureName": "S" * 35,
        "signatureTitle": "Head of shipping",
    }
    assert "placeOfIncoterm" not in declaration  # a blank place is no place
    placed = payloads.export_declaration([TABLE], "INV/1", "2026-11-30", place=" Zürich " * 40)
    assert placed["placeOfIncoterm"] == (" Zürich " * 40).strip()[:256]
    (item,) = declaration["lineItems"]
    assert item == {
        "number": 1,
        "description": "Oak dining table",
        "price": 1234.568,
        "quantity": {"value": 2, "unitOfMeasurement": "PCS"},
        "commodityCodes": [{"typeCode": "outbound", "value": "94036010"}],
        "manufacturerCountry": "FR",
        "weight": {"netValue": 48.123, "grossValue": 48.123},
    }


def test_shipment_across_a_border_declares_everything_customs_need(client, fake):
    body = payloads.shipment_request(shipment(paperless_trade=True))
    content = body["content"]
    assert content["declaredValue"] == round(2 * 1234.568, 3)
    assert content["declaredValueCurrency"] == "EUR"
    assert content["description"] == "Oak dining table"
    assert body["valueAddedServices"] == [{"serviceCode": "WY"}]
    assert body["outputImageProperties"]["imageOptions"][0]["typeCode"] == "invoice"
    shipper = body["customerDetails"]["shipperDetails"]
    assert [n["typeCode"] for n in shipper["registrationNumbers"]] == ["VAT", "EOR"]
    assert "registrationNumbers" not in body["customerDetails"]["receiverDetails"]
    result = client.create_shipment(body)  # the fake refuses what the spec does not allow
    assert result.tracking_number
    assert {d.type_code for d in result.documents} == {"label", "invoice"}


def test_domestic_shipment_declares_nothing(client):
    body = payloads.shipment_request(
        shipment(
            declarable=False,
            product_code="N",
            receiver_address=payloads.rate_address("69001", "Lyon", "FR"),
            goods=[],
            export_declaration=None,
            pickup=True,
        )
    )
    assert body["content"]["description"] == "WH/OUT/00042"
    assert body["pickup"] == {"isRequested": True}
    for key in ("outputImageProperties", "valueAddedServices"):
        assert key not in body
    for key in ("declaredValue", "exportDeclaration"):
        assert key not in body["content"]
    assert client.create_shipment(body).tracking_number


def test_rate_request_of_a_shipment_prices_what_was_booked(client):
    booked = payloads.shipment_request(shipment())
    body = payloads.rate_request_of_shipment(booked)
    assert body["customerDetails"]["receiverDetails"] == {
        "postalCode": "8001",
        "cityName": "Zürich",
        "countryCode": "CH",
    }
    assert body["packages"] == [
        {"weight": 96.247, "dimensions": booked["content"]["packages"][0]["dimensions"]}
    ]
    assert body["productCode"] == "P" and body["isCustomsDeclarable"] is True
    assert client.rates(body).products


def test_landed_cost_request_is_accepted_by_dhl(client):
    addresses = {
        "shipperDetails": payloads.rate_address("75008", "Paris", "FR"),
        "receiverDetails": payloads.rate_address("8001", "Zürich", "CH"),
    }
    body = payloads.landed_cost_request(addresses, "P", "EUR", [payloads.package(48.1)], [TABLE])
    assert body["items"][0]["commodityCode"] == "94036010"
    assert body["items"][0]["unitPrice"] == 1234.568
    cost = client.landed_cost(body)
    assert cost.currency
