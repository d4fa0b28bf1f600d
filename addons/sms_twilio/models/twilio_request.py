"""Twilio Programmable Messaging client: a plain class on the official SDK, no Odoo import.

Built by the Odoo side in one ``res.company._twilio_client()`` method from plain values, and
tested on its own against a local fake that checks Twilio's OpenAPI file
(``sms_twilio/tests/twilio_fake.py``).
"""

import json
import threading
from dataclasses import dataclass

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from odoo.addons.connector_common.tools.retry import parse_retry_after

from . import const


class TwilioError(Exception):
    """A failed Twilio call.

    :ivar code: Twilio's numeric error code (``None`` when Twilio gave none: timeout, network)
    :ivar twilio_message: Twilio's own message (or the network error), for logs
    :ivar user_message: the same in plain words, for a back-office user
    :ivar status: the HTTP status, when Twilio answered
    """

    def __init__(self, user_message, *, code=None, twilio_message=None, status=None):
        super().__init__(user_message)
        self.user_message = user_message
        self.code = code
        self.twilio_message = twilio_message
        self.status = status

    def __str__(self):
        details = ", ".join(
            part
            for part in (
                f"HTTP {self.status}" if self.status else "",
                f"code {self.code}" if self.code is not None else "",
                self.twilio_message or "",
            )
            if part
        )
        return f"{self.user_message} ({details})" if details else self.user_message


class TwilioTemporaryError(TwilioError):
    """Retry later: timeout, network error, 5xx or 429. ``retry_after`` in seconds, or None."""

    def __init__(self, user_message, *, retry_after=None, **kwargs):
        super().__init__(user_message, **kwargs)
        self.retry_after = retry_after


class TwilioPermanentError(TwilioError):
    """Do not retry the same request: Twilio refused it (4xx) or its answer is unusable."""


@dataclass(frozen=True)
class TwilioMessageResult:
    """What the caller keeps of a created Message resource."""

    sid: str
    status: str
    error_code: int = None
    error_message: str = None


class _TimedHttpClient(TwilioHttpClient):
    """The SDK's HTTP client, always with our timeout, keeping the last response per thread.

    The SDK's ``TwilioRestException`` drops the response headers; ``Retry-After`` and Twilio's
    raw error body are read from the kept response instead.
    """

    def __init__(self, timeout):
        super().__init__(timeout=timeout)
        self._local = threading.local()

    def request(
        self,
        method,
        url,
        params=None,
        data=None,
        headers=None,
        auth=None,
        timeout=None,
        allow_redirects=False,
    ):
        self._local.response = None
        response = super().request(
            method,
            url,
            params=params,
            data=data,
            headers=headers,
            auth=auth,
            timeout=self.timeout,
            allow_redirects=allow_redirects,
        )
        self._local.response = response
        return response

    @property
    def last_response(self):
        return getattr(self._local, "response", None)


class TwilioClient:
    """Send SMS through Twilio's Messages API (``POST /2010-04-01/Accounts/{sid}/Messages.json``).

    Duplicate sends: Twilio's CreateMessage has no idempotency key or header, so a request
    repeated after a timeout may send the SMS twice. Protection is the caller's job: the Odoo
    side marks the SMS as being sent (committed) before calling :meth:`send_message` and stores
    the returned sid afterwards; an SMS left marked without a sid is looked up first with
    :meth:`find_message` and only sent again when Twilio has no such message.

    :param account_sid: Twilio Account SID (``AC...``)
    :param auth_token: Twilio Auth Token
    :param timeout: seconds to wait for Twilio (connect and read), required and > 0
    :param base_url: Twilio's API root; tests point it at a local fake
    """

    def __init__(self, account_sid, auth_token, timeout, *, base_url=None):
        if not account_sid or not auth_token:
            raise ValueError("Twilio needs an Account SID and an Auth Token")
        if not timeout or timeout <= 0:
            raise ValueError("Twilio calls need an explicit timeout in seconds (> 0)")
        self.account_sid = account_sid
        self.timeout = timeout
        self.base_url = (base_url or const.API_BASE_URL).rstrip("/")
        self._http = _TimedHttpClient(timeout)
        self._client = Client(account_sid, auth_token, http_client=self._http)
        # The SDK reads TWILIO_EDGE / TWILIO_REGION from the environment and rewrites hostnames
        # with them; this client is built from its arguments only.
        self._client.edge = self._client.region = None
        self._client.api.base_url = self.base_url

    def send_message(
        self,
        to,
        body,
        *,
        from_=None,
        messaging_service_sid=None,
        status_callback=None,
        idempotency_key=None,
    ):
        """Create an outbound message; returns a :class:`TwilioMessageResult`.

        Give ``from_`` (a Twilio number or sender id) or ``messaging_service_sid``.
        ``idempotency_key`` is accepted for symmetry with other connectors but is not sent:
        Twilio's API has no such parameter (see the class docstring).
        """
        if not from_ and not messaging_service_sid:
            raise ValueError("A Twilio message needs a sender: from_ or messaging_service_sid")
        params = {"to": to, "body": body}
        if from_:
            params["from_"] = from_
        if messaging_service_sid:
            params["messaging_service_sid"] = messaging_service_sid
        if status_callback:
            params["status_callback"] = status_callback
        message = self._call(
            self._client.api.v2010.accounts(self.account_sid).messages.create, **params
        )
        return TwilioMessageResult(
            sid=message.sid,
            status=message.status,
            error_code=message.error_code,
            error_message=message.error_message,
        )

    def find_message(self, to, body, *, created_after, exclude_sids=(), limit=20):
        """The newest outbound message to ``to`` with ``body``, created since ``created_after``.

        Settles a send whose answer never came (timeout, dropped connection): Twilio may have
        created the message anyway, and this lookup says so before anyone sends it again.
        ``created_after`` is an aware datetime; returns a :class:`TwilioMessageResult` or
        ``None``. Twilio may prefix the text (trial accounts), so the body is matched at the end.
        ``exclude_sids``: messages already known to belong to other SMS with the same text.
        """
        messages = self._call(
            self._client.api.v2010.accounts(self.account_sid).messages.list,
            to=to,
            limit=limit,
            page_size=limit,
        )
        for message in messages:
            if (
                message.sid not in exclude_sids
                and str(message.direction or "").startswith("outbound")
                and (message.body or "").endswith(body)
                and message.date_created is not None
                and message.date_created >= created_after
            ):
                return TwilioMessageResult(
                    sid=message.sid,
                    status=message.status,
                    error_code=message.error_code,
                    error_message=message.error_message,
                )
        return None

    def _call(self, operation, **params):
        """Run one SDK operation (HTTP timeout set on the client); map every failure."""
        try:
            return operation(**params)
        except requests.exceptions.Timeout as error:
            raise TwilioTemporaryError(
                const.TIMEOUT_MESSAGE % {"timeout": self.timeout}, twilio_message=str(error)
            ) from error
        except requests.exceptions.RequestException as error:
            raise TwilioTemporaryError(
                const.CONNECTION_MESSAGE, twilio_message=str(error)
            ) from error
        except TwilioRestException as error:
            raise self._map_rest_error(error) from error
        except ValueError as error:  # a 2xx answer that is not JSON
            raise TwilioPermanentError(
                const.UNREADABLE_ANSWER_MESSAGE, twilio_message=str(error)
            ) from error

    def _map_rest_error(self, error):
        response = self._http.last_response
        payload = _json_or_empty(response.text if response is not None else "")
        code = payload.get("code", error.code)
        code = code if isinstance(code, int) else None
        message = payload.get("message") or error.msg
        status = error.status
        if status in const.TEMPORARY_HTTP_STATUSES or status >= 500:
            headers = response.headers if response is not None else {}
            user_message = const.ERROR_MESSAGES.get(code) or (
                const.SERVER_ERROR_MESSAGE % {"status": status}
            )
            return TwilioTemporaryError(
                user_message,
                code=code,
                twilio_message=message,
                status=status,
                retry_after=parse_retry_after((headers or {}).get("Retry-After")),
            )
        user_message = const.ERROR_MESSAGES.get(code) or (
            const.GENERIC_PERMANENT_MESSAGE % {"code": code or status, "message": message}
        )
        return TwilioPermanentError(user_message, code=code, twilio_message=message, status=status)


def _json_or_empty(text):
    try:
        payload = json.loads(text or "")
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def verify_signature(auth_token, url, params, signature):
    """Check Twilio's ``X-Twilio-Signature`` of a webhook (status callback, inbound SMS).

    ``url`` is the full URL Twilio called, ``params`` the POST form fields. Refuses (False) when
    no Auth Token is configured or no signature was sent, rather than accepting unsigned calls.
    """
    if not auth_token or not signature:
        return False
    return RequestValidator(auth_token).validate(url, params or {}, signature)
