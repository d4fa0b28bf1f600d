"""Constants of the DHL Express MyDHL API 3.3.1 (``dpdhl-express-api-3.3.1.yaml``).

Plain values only: this file is imported by the ORM-free client ``dhl_request.py``.
"""

# The spec's ``x-version`` header default; DHL requires the header on every call.
API_VERSION = "3.3.1"

# The spec's ``servers`` (the mock server ``https://api-mock.dhl.com/mydhlapi`` is left out:
# it answers fixed data whatever the request).
TEST_URL = "https://express.api.dhl.com/mydhlapi/test"
PRODUCTION_URL = "https://express.api.dhl.com/mydhlapi"

# Seconds to wait for DHL; a shipment booking with labels can take several seconds.
DEFAULT_TIMEOUT = 30
# At most this many seconds per call: a booking makes up to 7 calls in one request (address
# check and price with their one retry, landed cost, the shipment), which must all end long
# before Odoo's ``limit_time_real`` (1200 s in config/prod.conf) kills the worker, maybe
# right after DHL booked the shipment.
MAX_TIMEOUT = 60
# Calls to DHL one request may chain at most (see MAX_TIMEOUT).
MAX_CALLS_PER_REQUEST = 7

# API paths, relative to the server URL.
RATES_PATH = "/rates"
ADDRESS_VALIDATE_PATH = "/address-validate"
LANDED_COST_PATH = "/landed-cost"
SHIPMENTS_PATH = "/shipments"
TRACKING_PATH = "/shipments/{shipment_tracking_number}/tracking"
# The spec has no shipment (waybill) cancellation: an unused waybill simply expires. What can
# be cancelled is the courier pickup booked with the shipment.
PICKUP_PATH = "/pickups/{dispatch_confirmation_number}"
# DHL's archived documents of a shipment (waybill, commercial invoice), to download again.
DOCUMENT_IMAGE_PATH = "/shipments/{shipment_tracking_number}/get-image"

# ``Message-Reference`` header: ``maxLength: 36`` (a hyphenated UUID is 36).
MESSAGE_REFERENCE_MAX_LENGTH = 36

# Optional third-party platform headers and their ``maxLength`` in the spec.
PLATFORM_HEADERS_MAX_LENGTH = {
    "Plugin-Name": 20,
    "Plugin-Version": 15,
    "Shipping-System-Platform-Name": 20,
    "Shipping-System-Platform-Version": 15,
    "Webstore-Platform-Name": 20,
    "Webstore-Platform-Version": 15,
}

# HTTP status families, mapped to the client's exceptions.
AUTH_STATUSES = frozenset({401, 403})
TOO_MANY_REQUESTS = 429

# DHL error codes (the number before the colon in ``detail``) meaning "no product offered
# for this route or date", e.g. ``1001: The requested product(s) (P) not available based on
# your search criteria``.
NO_PRODUCT_ERROR_CODES = frozenset({"940", "996", "1001", "1004"})

# Address fields limits (``supermodelIoLogisticsExpressAddressCreateShipmentRequest``).
ADDRESS_LINE_MAX_LENGTH = 45
ADDRESS_LINE_COUNT = 3
CITY_MAX_LENGTH = 45

# DHL Express volumetric divisor for centimetres and kilograms.
VOLUMETRIC_DIVISOR = 5000

# Default similarity a city (or street) must reach to count as the same place.
MATCH_THRESHOLD = 0.85

# ``totalPrice[].currencyType``: the billing currency is what the account is charged.
BILLING_CURRENCY_TYPE = "BILLC"

# Document ``typeCode`` of the shipping label in the create-shipment answer.
LABEL_DOCUMENT_TYPE = "label"
# ``outputImageProperties.imageOptions[].typeCode`` asking DHL to render the commercial
# invoice from ``exportDeclaration``, and the ``typeCode`` of that document in the answer.
INVOICE_DOCUMENT_TYPE = "invoice"
INVOICE_TYPE_COMMERCIAL = "commercial"
INVOICE_LANGUAGE_CODE = "eng"
# ``get-image`` query ``typeCode``s: the archived waybill and the commercial invoice.
WAYBILL_IMAGE_TYPE = "waybill"
INVOICE_IMAGE_TYPE = "commercial-invoice"

# Tracking checkpoint ``typeCode`` -> the suite's delivery status.
TRACKING_STATUS_MAPPING = {
    "PU": "picked_up",
    "PL": "in_transit",
    "DF": "in_transit",
    "AF": "in_transit",
    "AR": "in_transit",
    "TR": "in_transit",
    "RR": "customs",
    "CR": "customs",
    "CC": "awaiting_collection",
    "WC": "out_for_delivery",
    "OK": "delivered",
    "DD": "delivered",
    "OH": "exception",
    "HP": "exception",
    "BA": "exception",
    "NH": "exception",
    "CA": "exception",
    "MS": "exception",
    "RD": "exception",
    "RT": "returned",
}
TRACKING_STATUS_UNKNOWN = "unknown"
TRACKING_STATUS_CREATED = "created"

# Plain words for a sales user, by exception kind; DHL's own text goes into ``detail``.
USER_MESSAGES = {
    "timeout": "DHL did not answer in time. Please try again in a few minutes.",
    "connection": "DHL could not be reached. Please try again in a few minutes.",
    "server": "DHL's service is having a problem right now. Please try again later.",
    "rate_limited": "DHL is receiving too many requests. Please try again shortly.",
    "auth": (
        "DHL refused our connection credentials. Ask an administrator to check the DHL API "
        "key and secret, which may have expired."
    ),
    "request": "DHL could not accept this request: {reason}",
    "no_product": (
        "DHL offers no service for this date or route. Try another shipping date or check "
        "the addresses."
    ),
    "response": "DHL sent an answer we could not read. Please try again or contact support.",
}

# --- Odoo side ---------------------------------------------------------------------------------

# Public tracking page of a waybill (the API's ``trackingUrl`` needs credentials).
TRACKING_LINK = "https://www.dhl.com/en/express/tracking.html?AWB={number}&brand=DHL"

# ``content.incoterm`` values the spec accepts.
INCOTERMS = frozenset(
    {
        "EXW", "FCA", "CPT", "CIP", "DPU", "DAP", "DDP", "FAS",
        "FOB", "CFR", "CIF", "DAF", "DAT", "DDU", "DEQ", "DES",
    }
)  # fmt: skip

# ``content.description`` and ``exportDeclaration.lineItems[].description`` limits.
CONTENT_DESCRIPTION_MAX_LENGTH = 70
LINE_DESCRIPTION_MAX_LENGTH = 512
# ``customerReferences[].value`` and ``invoice.number``.
REFERENCE_MAX_LENGTH = 35
# ``exportDeclaration.invoice.signatureName`` / ``signatureTitle``.
SIGNATURE_MAX_LENGTH = 35
# ``exportDeclaration.placeOfIncoterm``.
PLACE_OF_INCOTERM_MAX_LENGTH = 256
# Incoterms naming a place at origin (E and F terms); the others name the destination.
ORIGIN_INCOTERMS = frozenset({"EXW", "FCA", "FAS", "FOB"})

# Commodity (HS) codes: 6 digits worldwide, up to 12 with national subdivisions.
HS_CODE_MIN_DIGITS = 6
HS_CODE_MAX_DIGITS = 12

# DHL accepts rate requests at most 10 days ahead.
PLANNED_DATE_MAX_DAYS_AHEAD = 10
# How far the carrier looks for a working day before giving up (a closed month).
HANDOVER_SEARCH_DAYS = 31

# Value-added service code of paperless trade (the commercial invoice sent electronically).
PAPERLESS_TRADE_SERVICE = "WY"


# Delivery statuses the carrier stores, from ``TRACKING_STATUS_MAPPING``.
TRACKING_STATUSES = [
    ("created", "Label created"),
    ("picked_up", "Picked up"),
    ("in_transit", "In transit"),
    ("customs", "In customs"),
    ("awaiting_collection", "Awaiting collection"),
    ("out_for_delivery", "Out for delivery"),
    ("delivered", "Delivered"),
    ("exception", "Exception"),
    ("returned", "Returned"),
    ("unknown", "Unknown"),
]
TRACKING_FINAL_STATUSES = frozenset({"delivered", "returned"})

# registrationNumbers[].number (VAT, EORI) of the shipper and the receiver.
REGISTRATION_NUMBER_MAX_LENGTH = 35
# ``contactInformation`` limits of a shipment's parties.
PHONE_MAX_LENGTH = 70
COMPANY_NAME_MAX_LENGTH = 100
FULL_NAME_MAX_LENGTH = 255
EMAIL_MAX_LENGTH = 70
# landed-cost ``items[].commodityCode``.
COMMODITY_CODE_MAX_LENGTH = 18
