"""What DHL Express answers: the client's exceptions, its results as small dataclasses, and
the reading of DHL's JSON into them (a shape DHL's OpenAPI file does not allow is a
:class:`DHLResponseError`). Plain Python, nothing from Odoo's ORM.
"""

import base64
import binascii
import json as jsonlib
from dataclasses import dataclass, field

from . import const, dhl_utils

# --- Errors ------------------------------------------------------------------------------------


class DHLError(Exception):
    """A DHL call failed.

    :ivar user_message: plain words for the person at the screen
    :ivar detail: DHL's own explanation (or ours), for the back office and the logs
    :ivar status: the HTTP status, when DHL answered
    """

    def __init__(self, user_message, detail=None, *, status=None):
        super().__init__(user_message if not detail else f"{user_message} ({detail})")
        self.user_message = user_message
        self.detail = detail or ""
        self.status = status


class DHLTemporaryError(DHLError):
    """Worth retrying later: timeout, connection error, 5xx, 429 (``retry_after`` seconds)."""

    def __init__(self, user_message, detail=None, *, status=None, retry_after=None):
        super().__init__(user_message, detail, status=status)
        self.retry_after = retry_after


class DHLAuthError(DHLError):
    """401/403: the API key or secret is wrong or expired."""


class DHLRequestError(DHLError):
    """4xx problem+json: DHL refused what we sent (``title``, ``additional_details``)."""

    def __init__(
        self, user_message, detail=None, *, status=None, title="", additional_details=(), code=""
    ):
        super().__init__(user_message, detail, status=status)
        self.title = title
        self.additional_details = list(additional_details)
        self.code = code


class DHLNoProductError(DHLRequestError):
    """DHL offers no product for this route or planned date (codes such as ``1001``)."""


class DHLResponseError(DHLError):
    """DHL's answer is not JSON, or not shaped as the spec says."""


# --- Results -----------------------------------------------------------------------------------


@dataclass
class RateProduct:
    product_code: str
    product_name: str
    price: float
    currency: str
    local_product_code: str = ""
    network_type_code: str = ""
    estimated_delivery: str = ""
    raw: dict = field(default_factory=dict, repr=False)


@dataclass
class RatesResult:
    products: list
    warnings: list
    planned_shipping_date: str = ""
    raw: dict = field(default_factory=dict, repr=False)

    def cheapest(self):
        return min(self.products, key=lambda product: product.price, default=None)


@dataclass
class AddressSuggestion:
    country_code: str
    postal_code: str
    city_name: str = ""
    county_name: str = ""
    service_area_code: str = ""

    def as_address(self):
        return {
            "countryCode": self.country_code,
            "postalCode": self.postal_code,
            "cityName": self.city_name,
        }


@dataclass
class AddressValidation:
    addresses: list
    warnings: list

    @property
    def is_valid(self):
        return bool(self.addresses)

    def best_match(self, address, threshold=const.MATCH_THRESHOLD):
        """The suggestion closest to ``address`` when close enough to accept, else ``None``."""
        scored = [
            (dhl_utils.address_match_score(address, suggestion.as_address()), suggestion)
            for suggestion in self.addresses
        ]
        scored = [item for item in scored if item[0] >= threshold]
        return max(scored, key=lambda item: item[0])[1] if scored else None


@dataclass
class LandedCost:
    total_price: float
    currency: str
    duties: float = 0.0
    taxes: float = 0.0
    fees: float = 0.0
    warnings: list = field(default_factory=list)
    raw: dict = field(default_factory=dict, repr=False)


@dataclass
class ShipmentDocument:
    type_code: str
    image_format: str
    content: bytes = field(repr=False)


@dataclass
class ShipmentResult:
    tracking_number: str
    package_tracking_numbers: list
    documents: list
    tracking_url: str = ""
    dispatch_confirmation_number: str = ""
    charges: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    raw: dict = field(default_factory=dict, repr=False)

    @property
    def label(self):
        """The first label document, or ``None``."""
        for document in self.documents:
            if document.type_code == const.LABEL_DOCUMENT_TYPE:
                return document
        return None


@dataclass
class TrackingEvent:
    date: str
    time: str
    type_code: str
    description: str
    location: str = ""


@dataclass
class TrackingResult:
    tracking_number: str
    status: str
    events: list
    estimated_delivery: str = ""
    raw: dict = field(default_factory=dict, repr=False)


# --- Answer parsing ------------------------------------------------------------------------------


def shape_error(what, value):
    return DHLResponseError(
        const.USER_MESSAGES["response"],
        f"Unexpected {what} in DHL's answer: {type(value).__name__} {compact(value)}",
    )


def expect_object(value, what):
    if not isinstance(value, dict):
        raise shape_error(what, value)
    return value


def expect_list(value, what):
    if not isinstance(value, list):
        raise shape_error(what, value)
    return value


def pick_price(product, what):
    prices = [p for p in product.get("totalPrice") or () if isinstance(p, dict)]
    chosen = next(
        (p for p in prices if p.get("currencyType") == const.BILLING_CURRENCY_TYPE),
        prices[0] if prices else None,
    )
    if chosen is None or not isinstance(chosen.get("price"), int | float):
        raise shape_error(f"{what} price", product.get("totalPrice"))
    return float(chosen["price"]), chosen.get("priceCurrency", "")


def parse_rates(data, planned_date):
    data = expect_object(data, "rates")
    products = []
    for item in expect_list(data.get("products"), "rates products"):
        item = expect_object(item, "rates product")
        price, currency = pick_price(item, "rates")
        products.append(
            RateProduct(
                product_code=item.get("productCode", ""),
                product_name=item.get("productName", ""),
                price=price,
                currency=currency,
                local_product_code=item.get("localProductCode", ""),
                network_type_code=item.get("networkTypeCode", ""),
                estimated_delivery=(item.get("deliveryCapabilities") or {}).get(
                    "estimatedDeliveryDateAndTime", ""
                ),
                raw=item,
            )
        )
    return RatesResult(
        products=products,
        warnings=list(data.get("warnings", [])),
        planned_shipping_date=planned_date,
        raw=data,
    )


def parse_documents(items, format_key):
    """Decoded documents of a create-shipment (``imageFormat``) or get-image
    (``encodingFormat``) answer."""
    documents = []
    for item in expect_list(items, "documents"):
        item = expect_object(item, "document")
        try:
            content = base64.b64decode(item.get("content") or "", validate=True)
        except (binascii.Error, ValueError) as error:
            raise DHLResponseError(
                const.USER_MESSAGES["response"],
                f"DHL's {item.get('typeCode')} document is not valid base64: {error}",
            ) from error
        documents.append(
            ShipmentDocument(
                type_code=item.get("typeCode", ""),
                image_format=item.get(format_key, ""),
                content=content,
            )
        )
    return documents


def compact(value, limit=2000):
    if value is None:
        return ""
    text = value if isinstance(value, str) else jsonlib.dumps(value, default=str)
    return text if len(text) <= limit else text[:limit] + "..."


# Pure helpers, re-exported for callers holding only this module.
format_planned_date = dhl_utils.format_planned_date
split_address_lines = dhl_utils.split_address_lines
volumetric_weight = dhl_utils.volumetric_weight
addresses_match = dhl_utils.addresses_match
address_match_score = dhl_utils.address_match_score
normalize_city = dhl_utils.normalize_city
normalize_postcode = dhl_utils.normalize_postcode
