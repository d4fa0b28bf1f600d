"""What the DHL client's tests share: the connector's modules loaded without Odoo, the request
bodies they send, and the checks every call must pass. The fixtures are in conftest.py."""

import base64
from datetime import date, datetime, timedelta

from odoo.addons.delivery_dhl_express.tests.dhl_fake import (
    API_KEY,
    API_SECRET,
    is_message_reference,
)

from tests.conftest import load_addon_file

dhl = load_addon_file("delivery_dhl_express", "models/dhl_request.py")
answers = load_addon_file("delivery_dhl_express", "models/dhl_answers.py")
const = load_addon_file("delivery_dhl_express", "models/const.py")
utils = load_addon_file("delivery_dhl_express", "models/dhl_utils.py")

CLIENT_TIMEOUT = 1.0


def planned(days_ahead=1, hour=14):
    day = date.today() + timedelta(days=days_ahead)
    local = datetime(day.year, day.month, day.day, hour, 0)
    return utils.format_planned_date(local, "+01:00")


SHOWROOM = {"postalCode": "80331", "cityName": "München", "countryCode": "DE"}
CLIENT_VILLA = {"postalCode": "8001", "cityName": "Zürich", "countryCode": "CH"}
SOFA_CRATE = {"weight": 86.5, "dimensions": {"length": 220, "width": 95, "height": 80}}


def rate_payload(days_ahead=1):
    return {
        "customerDetails": {"shipperDetails": SHOWROOM, "receiverDetails": CLIENT_VILLA},
        "plannedShippingDateAndTime": planned(days_ahead),
        "unitOfMeasurement": "metric",
        "isCustomsDeclarable": True,
        "monetaryAmount": [{"typeCode": "declaredValue", "value": 12400.7, "currency": "EUR"}],
        "nextBusinessDay": False,
        "packages": [SOFA_CRATE],
    }


def landed_cost_payload():
    return {
        "customerDetails": {"shipperDetails": SHOWROOM, "receiverDetails": CLIENT_VILLA},
        "productCode": "P",
        "unitOfMeasurement": "metric",
        "currencyCode": "EUR",
        "isCustomsDeclarable": True,
        "getCostBreakdown": True,
        "shipmentPurpose": "commercial",
        "packages": [SOFA_CRATE],
        "items": [
            {
                "number": 1,
                "name": "Three-seat sofa, walnut and bouclé",
                "manufacturerCountry": "IT",
                "quantity": 1,
                "quantityType": "prt",
                "unitPrice": 12400.7,
                "unitPriceCurrencyCode": "EUR",
                "commodityCode": "940161",
            }
        ],
    }


def party(name, company, address, street):
    lines = utils.split_address_lines(street)
    postal = dict(address)
    postal.update({f"addressLine{i}": line for i, line in enumerate(lines, 1)})
    return {
        "postalAddress": postal,
        "contactInformation": {"phone": "+49 89 1234567", "companyName": company, "fullName": name},
    }


def shipment_payload(*, pickup=False):
    return {
        "plannedShippingDateAndTime": planned(1),
        "pickup": {"isRequested": pickup},
        "productCode": "P",
        "customerDetails": {
            "shipperDetails": party(
                "Anna Huber", "Atelier Huber Möbel", SHOWROOM, "Maximilianstraße 12, Hinterhof"
            ),
            "receiverDetails": party(
                "Luca Meier", "Luca Meier", CLIENT_VILLA, "Bahnhofstrasse 45, 3. Stock"
            ),
        },
        "content": {
            "packages": [SOFA_CRATE],
            "isCustomsDeclarable": True,
            "declaredValue": 12400.7,
            "declaredValueCurrency": "EUR",
            "description": "Made-to-order upholstered sofa",
            "incoterm": "DAP",
            "unitOfMeasurement": "metric",
            "exportDeclaration": {
                "lineItems": [
                    {
                        "number": 1,
                        "description": "Three-seat sofa, walnut frame",
                        "price": 12400.7,
                        "quantity": {"value": 1, "unitOfMeasurement": "PCS"},
                        "commodityCodes": [{"typeCode": "outbound", "value": "94016100"}],
                        "manufacturerCountry": "IT",
                        "weight": {"netValue": 80.2, "grossValue": 86.5},
                    }
                ],
                "invoice": {"number": "INV/2026/0042", "date": date.today().isoformat()},
                "exportReasonType": "commercial_purpose_or_sale",
            },
        },
    }


def assert_requests_well_formed(fake, count):
    """Each call was spec-valid (the fixture's assert_clean) and carried DHL's headers."""
    assert len(fake.requests) == count
    references = [request.header("Message-Reference") for request in fake.requests]
    for request in fake.requests:
        assert request.header("x-version") == "3.3.1"
        assert is_message_reference(request.header("Message-Reference"))
        assert request.header("Message-Reference-Date", "").endswith(" GMT")
        assert request.header("Authorization", "").startswith("Basic ")
        assert request.header("Shipping-System-Platform-Name") == "Odoo"
    assert len(set(references)) == count, "a fresh Message-Reference for every call"
    assert fake.violations == []


def assert_no_secret_logged(log_lines):
    assert log_lines, "the debug logger was called"
    token = base64.b64encode(f"{API_KEY}:{API_SECRET}".encode()).decode()
    for line in log_lines:
        assert API_SECRET not in line
        assert token not in line
        assert "Authorization" not in line
