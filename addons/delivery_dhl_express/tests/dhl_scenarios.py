"""DHL's error answers and the scenario helpers of the DHL fake that queue the awkward ones.

:func:`problem_response` builds a problem+json answer as the spec documents it; the
:class:`DHLScenarios` mixin of :class:`.dhl_fake.DHLFake` queues a holiday without products, an
address suggestion, a customs refusal, a timeout, a 5xx, a 429, malformed JSON or a 401 for the
next call, sets tracking checkpoints, and forgets it all (``reset``).
"""

from datetime import date, datetime

from odoo.addons.connector_common.tests.openapi_fake import FakeResponse, Raw, Timeout


def problem(status, title, detail, *, instance="/expressapi", message=None, additional=None):
    """A DHL problem+json body, as ``supermodelIoLogisticsExpressErrorResponse``."""
    body = {
        "instance": instance,
        "detail": detail,
        "title": title,
        "message": message or title,
        "status": str(status),
    }
    if additional:
        body["additionalDetails"] = list(additional)
    return body


def problem_response(status, title, detail, *, headers=None, **kwargs):
    # The spec documents error bodies under ``application/json`` (with a Content-Type header
    # whose default is problem+json); the fake sends the documented media type.
    return FakeResponse(status, problem(status, title, detail, **kwargs), dict(headers or {}))


def _as_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


class DHLScenarios:
    """The scenario half of :class:`.dhl_fake.DHLFake` (a mixin of it): what the next call
    answers instead of the default handlers' answer."""

    def reset(self):
        """Forget requests, violations, queued answers and scenarios (a long-lived fake shared
        by several tests, such as an Odoo test class's)."""
        with self._lock:
            self.requests.clear()
            self.violations.clear()
            self._queues.clear()
        self.holidays.clear()
        self.shipments.clear()
        self.archive.clear()
        self.tracking_events.clear()
        self.cancelled_pickups.clear()
        return self

    def holiday(self, day, *, mode="empty"):
        """No product on ``day``: ``mode="empty"`` answers 200 with ``products: []`` and a
        warning, ``mode="error"`` answers 400 ``1001: ... not available``. Other days are
        served as usual (so the next day has products)."""
        if mode not in ("empty", "error"):
            raise ValueError(f"unknown holiday mode {mode!r}")
        self.holidays[_as_date(day)] = mode
        return self

    def suggest_address(self, city_name, postal_code, country_code, *, service_area="MUC"):
        """The next address validation answers with DHL's own spelling of the place."""
        body = {
            "address": [
                {
                    "countryCode": country_code,
                    "postalCode": postal_code,
                    "cityName": city_name,
                    "serviceArea": {"code": service_area, "description": city_name},
                }
            ]
        }
        return self.queue("get", "/address-validate", FakeResponse(200, body))

    def refuse_customs(self, *, status=422, additional=None):
        """The next shipment is refused for its customs data (``422`` or ``400`` in the spec)."""
        if status not in (400, 422):
            raise ValueError("POST /shipments documents customs refusals as 400 or 422")
        additional = additional or [
            "#/content/exportDeclaration/lineItems/0: required key [commodityCodes] not found",
            "7015: Invoice line item manufacturer country code is missing",
        ]
        title = "Validation error" if status == 422 else "Bad request"
        message = "Unprocessable Entity" if status == 422 else "Bad request"
        return self.queue(
            "post",
            "/shipments",
            problem_response(
                status,
                title,
                "Multiple problems found, see Additional Details",
                instance="/expressapi/shipments",
                message=message,
                additional=additional,
            ),
        )

    def next_timeout(self, method, path, seconds=3):
        """The next call to ``method path`` gets no answer for ``seconds``."""
        return self.queue(method, path, Timeout(seconds))

    def next_server_error(self, method, path, status=500):
        """The next call fails with DHL's process error (``500`` is documented)."""
        detail = "999: Process failure occurred. Process ID associated for that transaction"
        return self.queue(
            method, path, problem_response(status, "Internal Server Error", f"{detail} (4711)")
        )

    def next_rate_limited(self, method, path, retry_after="30"):
        """The next call gets ``429 Too Many Requests`` with ``Retry-After``."""
        return self.queue(
            method,
            path,
            problem_response(
                429,
                "Too Many Requests",
                "Rate limit exceeded",
                headers={"Retry-After": str(retry_after)},
            ),
        )

    def next_malformed_json(self, method, path, status=200):
        """The next call gets a truncated JSON body (a proxy cut the answer)."""
        return self.queue(
            method,
            path,
            Raw(
                status,
                b'{"products": [{"productName": "EXPRESS WORLD',
                {"Content-Type": "application/json"},
            ),
        )

    def next_unauthorized(self, method, path):
        """The next call gets ``401``: credentials expired."""
        return self.queue(
            method,
            path,
            problem_response(401, "Unauthorized", "Invalid Credentials", message="Unauthorized"),
        )

    def set_tracking(self, tracking_number, *event_codes):
        """Checkpoints (``typeCode``) DHL reports for ``tracking_number``, oldest first."""
        self.tracking_events[str(tracking_number)] = list(event_codes)
        return self
