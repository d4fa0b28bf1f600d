"""DHL Express MyDHL API 3.3.1 client: a plain Python class, nothing imported from Odoo's ORM.

``delivery.carrier`` builds it in one ``_dhl_client()`` method from its configuration; tests
build it directly against a local fake. Every HTTP call goes through
:meth:`DHLExpressClient._request`, which adds DHL's headers, the credentials and the timeout,
and turns every failure into a :class:`dhl_answers.DHLError` carrying plain words for a sales user
(``user_message``) and DHL's own text for the back office (``detail``).
"""

import base64
import email.utils
import re
import time
import uuid
from urllib.parse import quote

import requests

from odoo.addons.connector_common.tools.retry import parse_retry_after

from . import const, dhl_answers, dhl_utils

_ERROR_CODE_RE = re.compile(r"^\s*(\d+)\s*:\s*")


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
        :class:`dhl_answers.DHLError` subclass on any failure.
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
            dhl_answers.compact(json),
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
            raise dhl_answers.DHLTemporaryError(
                const.USER_MESSAGES["timeout"],
                f"No answer from DHL within {self.timeout}s ({method} {path}): {error}",
            ) from error
        except requests.RequestException as error:
            self._log("DHL connection error ref=%s: %s", message_reference, error)
            raise dhl_answers.DHLTemporaryError(
                const.USER_MESSAGES["connection"],
                f"Could not reach DHL ({method} {path}): {error}",
            ) from error
        elapsed = time.monotonic() - started
        self._log(
            "DHL answer %s in %.2fs ref=%s body=%s",
            response.status_code,
            elapsed,
            message_reference,
            dhl_answers.compact(response.text),
        )
        if response.status_code >= 400:
            raise self._error_from(response, method, path)
        if not response.content or not response.content.strip():
            return None
        try:
            return response.json()
        except ValueError as error:
            raise dhl_answers.DHLResponseError(
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
            return dhl_answers.DHLAuthError(const.USER_MESSAGES["auth"], detail, status=status)
        if status == const.TOO_MANY_REQUESTS or status >= 500:
            kind = "rate_limited" if status == const.TOO_MANY_REQUESTS else "server"
            return dhl_answers.DHLTemporaryError(
                const.USER_MESSAGES[kind],
                detail,
                status=status,
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )
        codes = [_error_code(text) for text in [detail_text, *additional]]
        error_class = dhl_answers.DHLRequestError
        if any(code in const.NO_PRODUCT_ERROR_CODES for code in codes):
            error_class = dhl_answers.DHLNoProductError
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
        code, raised as :class:`dhl_answers.DHLNoProductError`.
        """
        data = self._request("POST", const.RATES_PATH, json=self._with_account(payload))
        return dhl_answers.parse_rates(data, payload.get("plannedShippingDateAndTime", ""))

    def rates_next_available(self, payload, *, max_days=5):
        """:meth:`rates`, moving the planned date a day later until DHL offers a product.

        For holidays and weekends; raises :class:`dhl_answers.DHLNoProductError` after ``max_days``.
        """
        planned = payload["plannedShippingDateAndTime"]
        last_error = None
        for day in range(max_days + 1):
            attempt = dict(payload)
            attempt["plannedShippingDateAndTime"] = dhl_utils.shift_planned_date(planned, day)
            try:
                result = self.rates(attempt)
            except dhl_answers.DHLNoProductError as error:
                last_error = error
                continue
            if result.products:
                return result
        raise dhl_answers.DHLNoProductError(
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
        :meth:`dhl_answers.AddressValidation.best_match`.
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
        data = dhl_answers.expect_object(data, "address-validate")
        addresses = []
        for item in dhl_answers.expect_list(data.get("address", []), "address-validate address"):
            item = dhl_answers.expect_object(item, "address-validate address")
            addresses.append(
                dhl_answers.AddressSuggestion(
                    country_code=item.get("countryCode", ""),
                    postal_code=item.get("postalCode", ""),
                    city_name=item.get("cityName", ""),
                    county_name=item.get("countyName", ""),
                    service_area_code=(item.get("serviceArea") or {}).get("code", ""),
                )
            )
        return dhl_answers.AddressValidation(
            addresses=addresses, warnings=list(data.get("warnings", []))
        )

    def landed_cost(self, payload):
        """``POST /landed-cost``: shipping, duties, taxes and fees the buyer will pay."""
        data = self._request("POST", const.LANDED_COST_PATH, json=self._with_account(payload))
        data = dhl_answers.expect_object(data, "landed-cost")
        products = dhl_answers.expect_list(data.get("products"), "landed-cost products")
        if not products:
            raise dhl_answers.DHLResponseError(
                const.USER_MESSAGES["response"], "DHL's landed cost answer has no product."
            )
        product = dhl_answers.expect_object(products[0], "landed-cost product")
        price, currency = dhl_answers.pick_price(product, "landed-cost")
        totals = {"DUTY": 0.0, "TAX": 0.0, "FEE": 0.0}
        for block in product.get("detailedPriceBreakdown") or ():
            for line in block.get("breakdown") or ():
                name = str(line.get("name", "")).upper()
                if line.get("typeCode") in totals and name.startswith("TOTAL"):
                    totals[line["typeCode"]] += float(line.get("price") or 0)
        return dhl_answers.LandedCost(
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
        data = dhl_answers.expect_object(data, "shipments")
        tracking_number = data.get("shipmentTrackingNumber")
        if not tracking_number:
            raise dhl_answers.DHLResponseError(
                const.USER_MESSAGES["response"],
                "DHL's shipment answer has no shipmentTrackingNumber.",
            )
        documents = dhl_answers.parse_documents(data.get("documents", []), "imageFormat")
        return dhl_answers.ShipmentResult(
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
        :class:`dhl_answers.DHLRequestError`) when it has none of that type.
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
        data = dhl_answers.expect_object(self._request("GET", path, params=params), "get-image")
        return dhl_answers.parse_documents(data.get("documents", []), "encodingFormat")

    def track(
        self, tracking_number, *, tracking_view="all-checkpoints", level_of_detail="shipment"
    ):
        """``GET /shipments/{shipmentTrackingNumber}/tracking``: checkpoints, newest last."""
        path = const.TRACKING_PATH.format(
            shipment_tracking_number=quote(str(tracking_number), safe="")
        )
        params = {"trackingView": tracking_view, "levelOfDetail": level_of_detail}
        data = dhl_answers.expect_object(self._request("GET", path, params=params), "tracking")
        shipments = dhl_answers.expect_list(data.get("shipments"), "tracking shipments")
        if not shipments:
            raise dhl_answers.DHLResponseError(
                const.USER_MESSAGES["response"], f"DHL's tracking of {tracking_number} is empty."
            )
        shipment = dhl_answers.expect_object(shipments[0], "tracking shipment")
        events = []
        for item in dhl_answers.expect_list(shipment.get("events"), "tracking events"):
            item = dhl_answers.expect_object(item, "tracking event")
            areas = item.get("serviceArea") or [{}]
            events.append(
                dhl_answers.TrackingEvent(
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
        return dhl_answers.TrackingResult(
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
