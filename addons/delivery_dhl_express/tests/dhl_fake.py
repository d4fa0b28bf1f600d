"""A local DHL Express (MyDHL API 3.3.1) held to DHL's own OpenAPI file.

Every request must match ``dpdhl-express-api-3.3.1.yaml`` (basic auth, parameters, body) and
carry the headers DHL requires but the spec cannot enforce (``x-version``: it has a default;
``Message-Reference``). Every canned answer is validated against the response the spec
documents for its status. Default handlers answer like DHL's test server; scenario helpers
queue the awkward answers (holiday without products, address suggestion, customs refusal,
timeout, 5xx, 429, malformed JSON, 401; they are in dhl_scenarios.py)::

    @pytest.fixture
    def dhl():
        yield from checked(DHLFake())

    def test_rates(dhl):
        client = DHLExpressClient("key", "secret", "123456789", base_url=dhl.base_url, timeout=2)
"""

import base64
import itertools
import re
from datetime import date, timedelta

from odoo.addons.connector_common.tests.openapi_fake import (
    FakeResponse,
    OpenAPIFakeServer,
    drop_multiple_of,
    specs_dir,
)

from .dhl_scenarios import DHLScenarios, problem, problem_response

# What the tests import from here (DHL's error answers live in dhl_scenarios.py).
__all__ = [
    "ACCOUNT_NUMBER",
    "API_KEY",
    "API_SECRET",
    "API_VERSION",
    "INVOICE_PDF",
    "LABEL_PDF",
    "SPEC_FILE",
    "TEST_PREFIX",
    "DHLFake",
    "dhl_spec_transform",
    "is_message_reference",
    "problem",
    "problem_response",
]

SPEC_FILE = "dhl_mydhl_dpdhl-express-api-3.3.1.yaml"
API_VERSION = "3.3.1"
TEST_PREFIX = "/mydhlapi/test"

API_KEY = "fake-dhl-key"
API_SECRET = "fake-dhl-secret-Zx9!"
ACCOUNT_NUMBER = "123456789"

# The smallest well-formed one-page PDF: what DHL sends base64-encoded as a label.
LABEL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 288 432]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# The commercial invoice DHL draws up from the export declaration (an A4 page).
INVOICE_PDF = LABEL_PDF.replace(b"[0 0 288 432]", b"[0 0 595 842]")

_PLANNED_DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2} ?GMT[+-]\d{2}:\d{2}$")
_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def dhl_spec_transform(spec):
    """DHL's file as the fake validates it.

    Only ``multipleOf`` is dropped (0.001 and 1e-05 on decimals: float validators reject 0.7).
    No other change is needed: the spec examples that contradict their schemas (landed-cost
    response without ``weight``, ``exportControlClassificationNumber`` on line items) are not
    used by this fake, whose answers all pass the schemas as published.
    """
    return drop_multiple_of(spec)


def _is_basic(value):
    scheme, _, token = (value or "").partition(" ")
    if scheme.lower() != "basic" or not token:
        return False
    try:
        return ":" in base64.b64decode(token, validate=True).decode()
    except ValueError:
        return False


class DHLFake(DHLScenarios, OpenAPIFakeServer):
    """The MyDHL API on 127.0.0.1, at ``<base_url>`` = ``http://127.0.0.1:<port>/mydhlapi/test``.

    :param api_key: / :param api_secret: the credentials it accepts (others get 401)
    """

    def __init__(self, *, api_key=API_KEY, api_secret=API_SECRET, prefix=TEST_PREFIX):
        super().__init__(
            specs_dir() / SPEC_FILE, spec_transform=dhl_spec_transform, server_prefix=prefix
        )
        self.api_key = api_key
        self.api_secret = api_secret
        self.holidays = {}  # date -> "empty" | "error"
        self.shipments = {}  # tracking number -> request body
        self.archive = {}  # tracking number -> {get-image typeCode: PDF bytes}
        self.tracking_events = {}  # tracking number -> [event typeCode, ...]
        self.cancelled_pickups = []
        self._numbers = itertools.count(1234567890)
        self.require_header(
            "x-version",
            lambda value: value == API_VERSION,
            f"header 'x-version' must be {API_VERSION!r} (DHL requires it; the spec's default "
            "hides its absence)",
        )
        self.require_header(
            "Message-Reference",
            lambda value: 1 <= len(value) <= 36,
            "header 'Message-Reference' is required, 1 to 36 characters",
        )
        self.require_header("Authorization", _is_basic, "HTTP basic authentication is required")
        self.on("post", "/rates", self._authenticated(self._rates))
        self.on("get", "/address-validate", self._authenticated(self._address_validate))
        self.on("post", "/landed-cost", self._authenticated(self._landed_cost))
        self.on("post", "/shipments", self._authenticated(self._create_shipment))
        self.on(
            "get", "/shipments/{shipmentTrackingNumber}/tracking", self._authenticated(self._track)
        )
        self.on(
            "delete", "/pickups/{dispatchConfirmationNumber}", self._authenticated(self._cancel)
        )
        self.on(
            "get",
            "/shipments/{shipmentTrackingNumber}/get-image",
            self._authenticated(self._get_image),
        )

    # -- default handlers ------------------------------------------------------------------------

    def _authenticated(self, handler):
        def wrapper(request):
            token = (request.header("Authorization") or "").partition(" ")[2]
            user, _, password = base64.b64decode(token).decode().partition(":")
            if (user, password) != (self.api_key, self.api_secret):
                return problem_response(
                    401, "Unauthorized", "Invalid Credentials", message="Unauthorized"
                )
            return handler(request)

        return wrapper

    def _rates(self, request):
        body = request.json
        planned = body["plannedShippingDateAndTime"]
        match = _PLANNED_DATE_RE.match(planned)
        if not match:
            return problem_response(
                400,
                "Bad request",
                "998: plannedShippingDateAndTime is not well formatted.(Expected Sample "
                "Format : '2020-03-24T13:00:00GMT+01:00')",
                instance="/expressapi/rates",
            )
        day = date.fromisoformat(match.group(1))
        today = date.today()
        if not today - timedelta(days=1) <= day <= today + timedelta(days=10):
            return problem_response(
                400,
                "Bad request",
                "998: The planned shipping date must not be in the past nor more than 10 "
                "days ahead",
                instance="/expressapi/rates",
            )
        mode = self.holidays.get(day)
        if mode == "error":
            return problem_response(
                400,
                "Product not found",
                "1001: The requested product(s) (P) not available based on your search criteria.",
                instance="/expressapi/rates",
                message="Bad request",
            )
        if mode == "empty":
            return FakeResponse(
                200, {"products": [], "warnings": [f"No pickup on {day.isoformat()}"]}
            )
        weight = sum(_chargeable(package) for package in body["packages"])
        domestic = (
            body["customerDetails"]["shipperDetails"]["countryCode"]
            == body["customerDetails"]["receiverDetails"]["countryCode"]
        )
        offers = (
            [("N", "EXPRESS DOMESTIC")]
            if domestic
            else [
                ("P", "EXPRESS WORLDWIDE"),
                ("U", "EXPRESS WORLDWIDE EU"),
            ]
        )
        products = []
        for position, (code, name) in enumerate(offers):
            price = round(45 + 3.2 * weight + 12 * position, 2)
            products.append(
                {
                    "productName": name,
                    "productCode": code,
                    "localProductCode": code,
                    "networkTypeCode": "TD",
                    "isCustomerAgreement": False,
                    "weight": {
                        "volumetric": round(weight, 3),
                        "provided": round(sum(p["weight"] for p in body["packages"]), 3),
                        "unitOfMeasurement": body["unitOfMeasurement"],
                    },
                    "totalPrice": [
                        {"currencyType": "BILLC", "priceCurrency": "EUR", "price": price},
                        {"currencyType": "PULCL", "priceCurrency": "EUR", "price": price + 9},
                    ],
                    "deliveryCapabilities": {
                        "deliveryTypeCode": "QDDC",
                        "estimatedDeliveryDateAndTime": (
                            day + timedelta(days=2 + position)
                        ).isoformat()
                        + "T12:00:00",
                        "totalTransitDays": 2 + position,
                    },
                }
            )
        return FakeResponse(200, {"products": products})

    def _address_validate(self, request):
        query = request.query
        address = {"countryCode": query["countryCode"], "postalCode": query.get("postalCode", "")}
        if query.get("cityName"):
            address["cityName"] = query["cityName"].upper()
        address["serviceArea"] = {"code": "XXX", "description": address.get("cityName", "")}
        return FakeResponse(200, {"address": [address]})

    def _landed_cost(self, request):
        body = request.json
        value = sum(item["unitPrice"] * item["quantity"] for item in body["items"])
        currency = body["currencyCode"]
        freight = 180.0
        duty = round(value * 0.04, 2)
        tax = round((value + freight + duty) * 0.081, 2)
        fees = 35.0
        breakdown = [
            {"name": "SPRQN", "price": freight, "priceCurrency": currency},
            {"name": "TOTAL DUTIES", "typeCode": "DUTY", "price": duty, "priceCurrency": currency},
            {"name": "TOTAL TAXES", "typeCode": "TAX", "price": tax, "priceCurrency": currency},
            {"name": "TOTAL FEES", "typeCode": "FEE", "price": fees, "priceCurrency": currency},
        ]
        product = {
            "productName": "EXPRESS WORLDWIDE",
            "productCode": body.get("productCode", "P"),
            "weight": {
                "provided": round(sum(p["weight"] for p in body["packages"]), 3),
                "unitOfMeasurement": body["unitOfMeasurement"],
            },
            "totalPrice": [
                {
                    "currencyType": "BILLC",
                    "priceCurrency": currency,
                    "price": round(freight + duty + tax + fees, 2),
                }
            ],
            "detailedPriceBreakdown": [
                {"currencyType": "BILLC", "priceCurrency": currency, "breakdown": breakdown}
            ],
        }
        return FakeResponse(200, {"products": [product]})

    def _create_shipment(self, request):
        body = request.json
        refusal = _shipment_refusal(body)
        if refusal:
            return problem_response(400, "Bad request", refusal, instance="/expressapi/shipments")
        number = str(next(self._numbers))
        self.shipments[number] = body
        self.tracking_events.setdefault(number, [])
        label = base64.b64encode(LABEL_PDF).decode()
        packages = [
            {
                "referenceNumber": position,
                "trackingNumber": f"JD01460000{number}{position}",
                "trackingUrl": f"https://express.api.dhl.com/mydhlapi/shipments/{number}/tracking",
            }
            for position, _package in enumerate(body["content"]["packages"], 1)
        ]
        documents = [{"imageFormat": "PDF", "content": label, "typeCode": "label"}]
        self.archive[number] = {
            "waybill": LABEL_PDF,
            "month": body["plannedShippingDateAndTime"][:7],
        }
        if _invoice_requested(body):
            invoice = base64.b64encode(INVOICE_PDF).decode()
            documents.append({"imageFormat": "PDF", "content": invoice, "typeCode": "invoice"})
            self.archive[number]["commercial-invoice"] = INVOICE_PDF
        answer = {
            "url": f"https://express.api.dhl.com/mydhlapi/shipments/{number}",
            "shipmentTrackingNumber": number,
            "trackingUrl": f"https://express.api.dhl.com/mydhlapi/shipments/{number}/tracking",
            "packages": packages,
            "documents": documents,
        }
        if body["pickup"]["isRequested"]:
            answer["dispatchConfirmationNumber"] = f"PRG{number}"
            answer["cancelPickupUrl"] = f"https://express.api.dhl.com/mydhlapi/pickups/PRG{number}"
        return FakeResponse(201, answer, {"Location": f"/shipments/{number}"})

    def _track(self, request):
        number = request.path_params["shipmentTrackingNumber"]
        if number not in self.tracking_events:
            return problem_response(
                404,
                "Not Found",
                f"No shipment with provided tracking number {number} was found",
                instance=f"/expressapi/shipments/{number}/tracking",
            )
        events = [
            {
                "date": (date(2026, 3, 2) + timedelta(days=position // 4)).isoformat(),
                "time": f"{8 + position % 4 * 3:02d}:15:00",
                "typeCode": code,
                "description": f"Checkpoint {code}",
                "serviceArea": [{"code": "MUC", "description": "MUNICH-DE"}],
            }
            for position, code in enumerate(self.tracking_events[number])
        ]
        shipment = {
            "shipmentTrackingNumber": number,
            "status": "Success",
            "productCode": "P",
            "description": "Furniture",
            "events": events,
        }
        return FakeResponse(200, {"shipments": [shipment]})

    def _get_image(self, request):
        number = request.path_params["shipmentTrackingNumber"]
        query = request.query
        archived = self.archive.get(number, {})
        content = archived.get(query["typeCode"])
        if (
            content is None
            or query.get("shipperAccountNumber", ACCOUNT_NUMBER) != ACCOUNT_NUMBER
            or query["pickupYearAndMonth"] != archived.get("month")
        ):
            return problem_response(
                404,
                "Not found",
                "1504: No document images found for the provided search criteria.",
                instance=f"/expressapi/shipments/{number}/get-image",
                message="Not found",
            )
        document = {
            "shipmentTrackingNumber": number,
            "typeCode": query["typeCode"],
            "encodingFormat": "PDF",
            "content": base64.b64encode(content).decode(),
        }
        return FakeResponse(200, {"documents": [document]})

    def _cancel(self, request):
        self.cancelled_pickups.append(
            (request.path_params["dispatchConfirmationNumber"], dict(request.query))
        )
        return FakeResponse(200)


def _invoice_requested(body):
    """Whether the shipment asks DHL to draw up the commercial invoice."""
    options = (body.get("outputImageProperties") or {}).get("imageOptions") or []
    return body["content"]["isCustomsDeclarable"] and any(
        option["typeCode"] == "invoice" and option.get("isRequested") for option in options
    )


def _shipment_refusal(body):
    """DHL's business checks the schema cannot express, as DHL's error text (or ``None``).

    Paperless trade (WY) needs a commercial invoice: one uploaded (``documentImages``) or one
    DHL draws up, which it signs with ``invoice.signatureName``/``signatureTitle``. An invoice
    DHL draws up must add up: ``declaredValue`` is the sum of the lines, in one currency.
    """
    content = body["content"]
    declaration = content.get("exportDeclaration") or {}
    services = {service["serviceCode"] for service in body.get("valueAddedServices") or ()}
    if "WY" in services:
        if not (body.get("documentImages") or _invoice_requested(body)):
            return (
                "8001: Paperless Trade (WY) requires a commercial invoice: upload it in "
                "documentImages or request it in outputImageProperties.imageOptions."
            )
        invoice = declaration.get("invoice") or {}
        if _invoice_requested(body) and not (
            invoice.get("signatureName") and invoice.get("signatureTitle")
        ):
            return "8002: exportDeclaration/invoice signatureName and signatureTitle are required."
    if _invoice_requested(body):
        total = sum(
            item["price"] * item["quantity"]["value"] for item in declaration.get("lineItems", ())
        )
        if abs(total - content.get("declaredValue", 0)) > 0.01:
            return (
                f"8003: declaredValue {content.get('declaredValue')} differs from the total of "
                f"the line items {round(total, 3)}."
            )
    return None


def _chargeable(package):
    dims = package.get("dimensions")
    if not dims:
        return package["weight"]
    return max(package["weight"], dims["length"] * dims["width"] * dims["height"] / 5000)


def is_message_reference(value):
    """What the client sends: a hyphenated UUID4, exactly the spec's 36-character maximum."""
    return bool(_UUID_RE.match(value or ""))
