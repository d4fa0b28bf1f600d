"""DHL Express MyDHL API 3.3.1 client: a plain Python class, nothing imported from ``odoo``.

``delivery.carrier`` builds it in one ``_dhl_client()`` method from its configuration; tests
build it directly against a local fake. Every HTTP call goes through
:meth:`DHLExpressClient._request`, which adds DHL's headers, the credentials and the timeout,
and turns every failure into a :class:`DHLError` carrying plain words for a sales user
(``user_message``) and DHL's own text for the back office (``detail``).
"""

import base64
import binascii
import email.utils
import importlib.util
import json as jsonlib
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import requests

if __package__:
    from . import const, dhl_utils
else:  # loaded as a lone file (plain-Python tests): load the sibling files the same way

    def _load_sibling(name):
        path = Path(__file__).with_name(f"{name}.py")
        spec = importlib.util.spec_from_file_location(f"{__name__}__{name}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    const = _load_sibling("const")
    dhl_utils = _load_sibling("dhl_utils")

_ERROR_CODE_RE = re.compile(r"^\s*(\d+)\s*:\s*")


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


# --- Client ------------------------------------------------------------------------------------


class DHLExpressClient:
    """MyDHL API client built from plain values.

    :param api_key: the API key (HTTP basic user name)
    :param api_secret: the API secret (HTTP basic password); never logged
    :param account_number: the DHL shipper account, added to requests that lack ``accounts``
    :param production: production server when true, DHL's test server otherwise
    :param base_url: overrides the server (a local fake in tests)
    :param timeout: seconds to wait for DHL on each call
    :param x_version: the ``x-version`` header DHL requires (the spec's version)
    :param logger: optional ``callable(str)`` receiving debug lines (no credentials)
    :param platform_headers: optional ``{"Plugin-Name": ..., "Shipping-System-Platform-Name":
        ...}`` identification headers the spec offers to third-party platforms
    :param session: optional ``requests.Session`` (connection reuse)
    """

    def __init__(
        self,
        api_key,
        api_secret,
        account_number,
        *,
        production=False,
        base_url=None,
        timeout=const.DEFAULT_TIMEOUT,
        x_version=const.API_VERSION,
        logger=None,
        platform_headers=None,
        session=None,
    ):
        if not api_key or not api_secret:
            raise ValueError("The DHL API key and secret are both required.")
        if not timeout or timeout <= 0:
            raise ValueError("An explicit, positive timeout (seconds) is required.")
        self.api_key = api_key
        self._api_secret = api_secret
        self.account_number = account_number
        self.production = production
        self.base_url = (
            base_url or (const.PRODUCTION_URL if production else const.TEST_URL)
        ).rstrip("/")
        self.timeout = timeout
        self.x_version = x_version
        self._logger = logger
        self.platform_headers = dict(platform_headers or {})
        for name, value in self.platform_headers.items():
            limit = const.PLATFORM_HEADERS_MAX_LENGTH.get(name)
            if limit is None:
                raise ValueError(f"{name!r} is not one of DHL's platform headers.")
            if len(str(value)) > limit:
                raise ValueError(f"DHL limits {name} to {limit} characters: {value!r}.")
        self._session = session or requests.Session()
        # Everything a log line must never show, in every form it could take.
        token = base64.b64encode(f"{api_key}:{api_secret}".encode()).decode()
        self._secrets = tuple(s for s in (api_secret, token, quote(api_secret, safe="")) if s)

    def __repr__(self):
        env = "production" if self.production else "test"
        return f"<DHLExpressClient {self.base_url} ({env}) account={self.account_number}>"

    # -- the one HTTP method ---------------------------------------------------------------------

    def _request(self, method, path, *, params=None, json=None):
        """Call DHL and return the decoded JSON answer (``None`` for an empty body).

        Sets ``x-version``, a fresh ``Message-Reference`` (UUID, 36 characters: the spec's
        maximum) with its ``Message-Reference-Date``, basic auth and the timeout. Raises a
        :class:`DHLError` subclass on any failure.
        """
        url = self.base_url + path
        message_reference = str(uuid.uuid4())
        headers = {
            "x-version": self.x_version,
            "Message-Reference": message_reference,
            "Message-Reference-Date": email.utils.formatdate(usegmt=True),
            "Accept": "application/json",
            **self.platform_headers,
        }
        self._log(
            "DHL request %s %s ref=%s params=%s body=%s",
            method,
            url,
            message_reference,
            params,
            _compact(json),
        )
        started = time.monotonic()
        try:
            response = self._session.request(
                method,
                url,
                params=params,
                json=json,
                headers=headers,
                auth=(self.api_key, self._api_secret),
                timeout=self.timeout,
            )
        except requests.Timeout as error:
            self._log("DHL timeout after %ss ref=%s", self.timeout, message_reference)
            raise DHLTemporaryError(
                const.USER_MESSAGES["timeout"],
                f"No answer from DHL within {self.timeout}s ({method} {path}): {error}",
            ) from error
        except requests.RequestException as error:
            self._log("DHL connection error ref=%s: %s", message_reference, error)
            raise DHLTemporaryError(
                const.USER_MESSAGES["connection"],
                f"Could not reach DHL ({method} {path}): {error}",
            ) from error
        elapsed = time.monotonic() - started
        self._log(
            "DHL answer %s in %.2fs ref=%s body=%s",
            response.status_code,
            elapsed,
            message_reference,
            _compact(response.text),
        )
        if response.status_code >= 400:
            raise self._error_from(response, method, path)
        if not response.content or not response.content.strip():
            return None
        try:
            return response.json()
        except ValueError as error:
            raise DHLResponseError(
                const.USER_MESSAGES["response"],
                f"DHL answered {response.status_code} to {method} {path} with a body that is "
                f"not JSON: {response.text[:200]!r}",
                status=response.status_code,
            ) from error

    def _error_from(self, response, method, path):
        status = response.status_code
        problem = _problem_of(response)
        title = str(problem.get("title") or "")
        detail_text = str(problem.get("detail") or problem.get("message") or "")
        additional = [str(item) for item in problem.get("additionalDetails") or ()]
        detail = _join_detail(status, title, detail_text, additional, problem, response)
        if status in const.AUTH_STATUSES:
            return DHLAuthError(const.USER_MESSAGES["auth"], detail, status=status)
        if status == const.TOO_MANY_REQUESTS or status >= 500:
            kind = "rate_limited" if status == const.TOO_MANY_REQUESTS else "server"
            return DHLTemporaryError(
                const.USER_MESSAGES[kind],
                detail,
                status=status,
                retry_after=_retry_after(response.headers.get("Retry-After")),
            )
        codes = [_error_code(text) for text in [detail_text, *additional]]
        error_class = DHLRequestError
        if any(code in const.NO_PRODUCT_ERROR_CODES for code in codes):
            error_class = DHLNoProductError
            user_message = const.USER_MESSAGES["no_product"]
        else:
            reasons = [_ERROR_CODE_RE.sub("", text) for text in additional or [detail_text]]
            reason = "; ".join(r for r in reasons if r) or title or f"HTTP {status}"
            user_message = const.USER_MESSAGES["request"].format(reason=reason)
        return error_class(
            user_message,
            detail,
            status=status,
            title=title,
            additional_details=additional,
            code=next((code for code in codes if code), ""),
        )

    def _log(self, message, *args):
        if self._logger is None:
            return
        text = message % args if args else message
        for secret in self._secrets:
            text = text.replace(secret, "***")
        self._logger(text)

    def _with_account(self, payload):
        """A copy of ``payload`` with the shipper account when the caller gave none."""
        payload = dict(payload)
        if not payload.get("accounts") and self.account_number:
            payload["accounts"] = [{"typeCode": "shipper", "number": str(self.account_number)}]
        return payload

    # -- operations --------------------------------------------------------------------------------

    def rates(self, payload):
        """``POST /rates``: the products DHL offers, with prices, for one shipment.

        ``payload`` follows ``supermodelIoLogisticsExpressRateRequest``. An empty
        ``products`` list means no service on that date; DHL may also refuse with an error
        code, raised as :class:`DHLNoProductError`.
        """
        data = self._request("POST", const.RATES_PATH, json=self._with_account(payload))
        return _parse_rates(data, payload.get("plannedShippingDateAndTime", ""))

    def rates_next_available(self, payload, *, max_days=5):
        """:meth:`rates`, moving the planned date a day later until DHL offers a product.

        For holidays and weekends; raises :class:`DHLNoProductError` after ``max_days``.
        """
        planned = payload["plannedShippingDateAndTime"]
        last_error = None
        for day in range(max_days + 1):
            attempt = dict(payload)
            attempt["plannedShippingDateAndTime"] = dhl_utils.shift_planned_date(planned, day)
            try:
                result = self.rates(attempt)
            except DHLNoProductError as error:
                last_error = error
                continue
            if result.products:
                return result
        raise DHLNoProductError(
            const.USER_MESSAGES["no_product"],
            f"No DHL product from {planned} over {max_days + 1} days"
            + (f"; last answer: {last_error.detail}" if last_error else ""),
            status=last_error.status if last_error else None,
        )

    def validate_address(
        self,
        country_code,
        postal_code=None,
        city_name=None,
        *,
        county_name=None,
        address_type="delivery",
        strict=False,
    ):
        """``GET /address-validate``: can DHL pick up / deliver there, and DHL's spelling.

        ``address_type`` is ``"delivery"`` or ``"pickup"``. With ``strict=False`` DHL also
        proposes near matches (another city spelling or postcode): compare them with
        :meth:`AddressValidation.best_match`.
        """
        params = {"type": address_type, "countryCode": country_code}
        if postal_code:
            params["postalCode"] = postal_code
        if city_name:
            params["cityName"] = city_name
        if county_name:
            params["countyName"] = county_name
        params["strictValidation"] = "true" if strict else "false"
        data = self._request("GET", const.ADDRESS_VALIDATE_PATH, params=params)
        data = _expect_object(data, "address-validate")
        addresses = []
        for item in _expect_list(data.get("address", []), "address-validate address"):
            item = _expect_object(item, "address-validate address")
            addresses.append(
                AddressSuggestion(
                    country_code=item.get("countryCode", ""),
                    postal_code=item.get("postalCode", ""),
                    city_name=item.get("cityName", ""),
                    county_name=item.get("countyName", ""),
                    service_area_code=(item.get("serviceArea") or {}).get("code", ""),
                )
            )
        return AddressValidation(addresses=addresses, warnings=list(data.get("warnings", [])))

    def landed_cost(self, payload):
        """``POST /landed-cost``: shipping, duties, taxes and fees the buyer will pay."""
        data = self._request("POST", const.LANDED_COST_PATH, json=self._with_account(payload))
        data = _expect_object(data, "landed-cost")
        products = _expect_list(data.get("products"), "landed-cost products")
        if not products:
            raise DHLResponseError(
                const.USER_MESSAGES["response"], "DHL's landed cost answer has no product."
            )
        product = _expect_object(products[0], "landed-cost product")
        price, currency = _pick_price(product, "landed-cost")
        totals = {"DUTY": 0.0, "TAX": 0.0, "FEE": 0.0}
        for block in product.get("detailedPriceBreakdown") or ():
            for line in block.get("breakdown") or ():
                name = str(line.get("name", "")).upper()
                if line.get("typeCode") in totals and name.startswith("TOTAL"):
                    totals[line["typeCode"]] += float(line.get("price") or 0)
        return LandedCost(
            total_price=price,
            currency=currency,
            duties=totals["DUTY"],
            taxes=totals["TAX"],
            fees=totals["FEE"],
            warnings=list(data.get("warnings", [])),
            raw=data,
        )

    def create_shipment(self, payload):
        """``POST /shipments``: book the shipment; returns the waybill and decoded documents."""
        data = self._request("POST", const.SHIPMENTS_PATH, json=self._with_account(payload))
        data = _expect_object(data, "shipments")
        tracking_number = data.get("shipmentTrackingNumber")
        if not tracking_number:
            raise DHLResponseError(
                const.USER_MESSAGES["response"],
                "DHL's shipment answer has no shipmentTrackingNumber.",
            )
        documents = _parse_documents(data.get("documents", []), "imageFormat")
        return ShipmentResult(
            tracking_number=str(tracking_number),
            package_tracking_numbers=[
                p.get("trackingNumber") for p in data.get("packages", []) if isinstance(p, dict)
            ],
            documents=documents,
            tracking_url=data.get("trackingUrl", ""),
            dispatch_confirmation_number=data.get("dispatchConfirmationNumber", ""),
            charges=list(data.get("shipmentCharges", [])),
            warnings=list(data.get("warnings", [])),
            raw=data,
        )

    def document_images(self, tracking_number, type_code, pickup_year_and_month):
        """``GET /shipments/{shipmentTrackingNumber}/get-image``: DHL's archived documents.

        ``type_code`` is one of the spec's document types (``"waybill"``,
        ``"commercial-invoice"``...; one per call), ``pickup_year_and_month`` the pickup's
        ``YYYY-MM``. Returns the decoded documents (PDF); DHL answers 404 (raised as
        :class:`DHLRequestError`) when it has none of that type.
        """
        path = const.DOCUMENT_IMAGE_PATH.format(
            shipment_tracking_number=quote(str(tracking_number), safe="")
        )
        params = {
            "shipperAccountNumber": str(self.account_number),
            "typeCode": type_code,
            "pickupYearAndMonth": pickup_year_and_month,
            "encodingFormat": "pdf",
        }
        data = _expect_object(self._request("GET", path, params=params), "get-image")
        return _parse_documents(data.get("documents", []), "encodingFormat")

    def track(
        self, tracking_number, *, tracking_view="all-checkpoints", level_of_detail="shipment"
    ):
        """``GET /shipments/{shipmentTrackingNumber}/tracking``: checkpoints, newest last."""
        path = const.TRACKING_PATH.format(
            shipment_tracking_number=quote(str(tracking_number), safe="")
        )
        params = {"trackingView": tracking_view, "levelOfDetail": level_of_detail}
        data = _expect_object(self._request("GET", path, params=params), "tracking")
        shipments = _expect_list(data.get("shipments"), "tracking shipments")
        if not shipments:
            raise DHLResponseError(
                const.USER_MESSAGES["response"], f"DHL's tracking of {tracking_number} is empty."
            )
        shipment = _expect_object(shipments[0], "tracking shipment")
        events = []
        for item in _expect_list(shipment.get("events"), "tracking events"):
            item = _expect_object(item, "tracking event")
            areas = item.get("serviceArea") or [{}]
            events.append(
                TrackingEvent(
                    date=item.get("date", ""),
                    time=item.get("time", ""),
                    type_code=item.get("typeCode", ""),
                    description=item.get("description", ""),
                    location=areas[0].get("description", "") if areas else "",
                )
            )
        events.sort(key=lambda event: (event.date, event.time))
        if events:
            status = const.TRACKING_STATUS_MAPPING.get(
                events[-1].type_code, const.TRACKING_STATUS_UNKNOWN
            )
        else:
            status = const.TRACKING_STATUS_CREATED
        return TrackingResult(
            tracking_number=str(shipment.get("shipmentTrackingNumber") or tracking_number),
            status=status,
            events=events,
            estimated_delivery=shipment.get("estimatedDeliveryDate", ""),
            raw=data,
        )

    def cancel_pickup(self, dispatch_confirmation_number, requestor_name, reason):
        """``DELETE /pickups/{dispatchConfirmationNumber}``: cancel a booked courier pickup.

        The MyDHL API offers no shipment cancellation: a waybill that is never handed over
        is not billed. What can be cancelled is the pickup booked with it.
        """
        path = const.PICKUP_PATH.format(
            dispatch_confirmation_number=quote(str(dispatch_confirmation_number), safe="")
        )
        self._request("DELETE", path, params={"requestorName": requestor_name, "reason": reason})
        return True


# --- Answer parsing ------------------------------------------------------------------------------


def _shape_error(what, value):
    return DHLResponseError(
        const.USER_MESSAGES["response"],
        f"Unexpected {what} in DHL's answer: {type(value).__name__} {_compact(value)}",
    )


def _expect_object(value, what):
    if not isinstance(value, dict):
        raise _shape_error(what, value)
    return value


def _expect_list(value, what):
    if not isinstance(value, list):
        raise _shape_error(what, value)
    return value


def _pick_price(product, what):
    prices = [p for p in product.get("totalPrice") or () if isinstance(p, dict)]
    chosen = next(
        (p for p in prices if p.get("currencyType") == const.BILLING_CURRENCY_TYPE),
        prices[0] if prices else None,
    )
    if chosen is None or not isinstance(chosen.get("price"), int | float):
        raise _shape_error(f"{what} price", product.get("totalPrice"))
    return float(chosen["price"]), chosen.get("priceCurrency", "")


def _parse_rates(data, planned_date):
    data = _expect_object(data, "rates")
    products = []
    for item in _expect_list(data.get("products"), "rates products"):
        item = _expect_object(item, "rates product")
        price, currency = _pick_price(item, "rates")
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


def _parse_documents(items, format_key):
    """Decoded documents of a create-shipment (``imageFormat``) or get-image
    (``encodingFormat``) answer."""
    documents = []
    for item in _expect_list(items, "documents"):
        item = _expect_object(item, "document")
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


def _problem_of(response):
    try:
        problem = response.json()
    except ValueError:
        return {}
    return problem if isinstance(problem, dict) else {}


def _join_detail(status, title, detail_text, additional, problem, response):
    parts = [f"HTTP {status}"]
    if title:
        parts.append(title)
    if detail_text:
        parts.append(detail_text)
    parts.extend(additional)
    if not problem and response.text:
        parts.append(response.text[:300])
    if problem.get("instance"):
        parts.append(f"instance {problem['instance']}")
    return " - ".join(parts)


def _error_code(text):
    match = _ERROR_CODE_RE.match(text or "")
    return match.group(1) if match else ""


def _retry_after(value):
    """Seconds to wait from a ``Retry-After`` header (delay in seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment is None:
        return None
    return max(0, round(moment.timestamp() - time.time()))


def _compact(value, limit=2000):
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
