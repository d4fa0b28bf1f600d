"""A local Twilio that checks every call against Twilio's OpenAPI file (``twilio_api_v2010.json``).

::

    with TwilioFake(account_sid=SID, auth_token="secret") as twilio:
        client = TwilioClient(SID, "secret", timeout=5, base_url=twilio.base_url)
        twilio.reject_invalid_number()          # next send is refused with 21211
        ...
        twilio.assert_clean()
"""

import base64
import email.utils
import uuid

from odoo.addons.connector_common.tests.openapi_fake import (
    FakeResponse,
    OpenAPIFakeServer,
    Timeout,
    rewrite_nullable,
    specs_dir,
)

SPEC_FILE = "twilio_api_v2010.json"
MESSAGES = "/2010-04-01/Accounts/{AccountSid}/Messages.json"


def twilio_error(status, code, message, headers=None):
    """An error answer in Twilio's shape: ``{code, message, more_info, status}``."""
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return FakeResponse(status, body, headers or {})


class TwilioFake(OpenAPIFakeServer):
    """Twilio's Messages API on 127.0.0.1.

    CreateMessage answers a spec-valid Message resource (status ``queued``, a fresh ``SM`` sid)
    kept in :attr:`messages`; ListMessage pages through them, newest first, filtered by ``To``.
    When ``account_sid``/``auth_token`` are given, other credentials
    are answered 401 / 20003 as Twilio does. The ``reject_*``/``fail_*`` helpers queue one
    scenario answer for the next send.
    """

    def __init__(self, *, account_sid=None, auth_token=None):
        super().__init__(specs_dir() / SPEC_FILE, spec_transform=rewrite_nullable)
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.messages = []
        self.on("POST", MESSAGES, self._create_message)
        self.on("GET", MESSAGES, self._list_messages)

    # -- default behaviour -----------------------------------------------------------------------

    def _create_message(self, request):
        if self.auth_token and not self._credentials_match(request):
            return self.bad_credentials_answer()
        form = request.form or {}
        now = email.utils.formatdate(usegmt=True)
        sid = "SM" + uuid.uuid4().hex
        account_sid = request.path_params["AccountSid"]
        message = {
            "sid": sid,
            "account_sid": account_sid,
            "api_version": "2010-04-01",
            "body": form.get("Body"),
            "to": form.get("To"),
            "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "status": "queued",
            "direction": "outbound-api",
            "num_segments": "1",
            "num_media": "0",
            "price": None,
            "price_unit": "USD",
            "error_code": None,
            "error_message": None,
            "date_created": now,
            "date_updated": now,
            "date_sent": None,
            "uri": f"/2010-04-01/Accounts/{account_sid}/Messages/{sid}.json",
            "subresource_uris": {
                "media": f"/2010-04-01/Accounts/{account_sid}/Messages/{sid}/Media.json"
            },
        }
        self.messages.append(message)
        return FakeResponse(201, message)

    def _list_messages(self, request):
        """ListMessage: newest first, filtered by ``To``, one page of ``PageSize``."""
        if self.auth_token and not self._credentials_match(request):
            return self.bad_credentials_answer()
        account_sid = request.path_params["AccountSid"]
        to = request.query.get("To")
        page_size = int(request.query.get("PageSize") or 50)
        found = [m for m in reversed(self.messages) if not to or m["to"] == to][:page_size]
        uri = f"/2010-04-01/Accounts/{account_sid}/Messages.json?PageSize={page_size}&Page=0"
        body = {
            "messages": found,
            "start": 0,
            "end": max(len(found) - 1, 0),
            "page": 0,
            "page_size": page_size,
            "first_page_uri": uri,
            "previous_page_uri": None,
            "next_page_uri": None,
            "uri": uri,
        }
        return FakeResponse(200, body)

    def _credentials_match(self, request):
        expected = f"{self.account_sid}:{self.auth_token}".encode()
        header = request.header("Authorization", "")
        return header == "Basic " + base64.b64encode(expected).decode()

    # -- scenarios for the next send -------------------------------------------------------------

    def queue_send(self, *answers):
        """Queue raw answers (FakeResponse, Raw, Timeout) for the next sends."""
        return self.queue("POST", MESSAGES, *answers)

    def fail_with_timeout(self, seconds=2.0):
        """Twilio holds the answer ``seconds`` (then still creates the message)."""
        return self.queue_send(Timeout(seconds))

    def fail_with_server_error(self, status=500):
        return self.queue_send(twilio_error(status, 20500, "Internal Server Error"))

    def fail_with_rate_limit(self, retry_after=30):
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        return self.queue_send(twilio_error(429, 20429, "Too Many Requests", headers))

    def reject_invalid_number(self, number="+1555"):
        return self.queue_send(twilio_error(400, 21211, f"Invalid 'To' Phone Number: {number}"))

    def reject_unsubscribed(self):
        return self.queue_send(
            twilio_error(400, 21610, "Attempt to send to unsubscribed recipient")
        )

    def reject_permission(self):
        return self.queue_send(
            twilio_error(
                400, 21408, "Permission to send an SMS has not been enabled for the region"
            )
        )

    def reject_bad_credentials(self):
        return self.queue_send(self.bad_credentials_answer())

    @staticmethod
    def bad_credentials_answer():
        return twilio_error(401, 20003, "Authenticate")
