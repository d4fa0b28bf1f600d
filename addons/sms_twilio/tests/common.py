import time

from twilio.request_validator import RequestValidator

from odoo.tests import HttpCase

from odoo.addons.connector_common.tests.common import LoopbackFakeMixin, trap_jobs
from odoo.addons.connector_common.tests.openapi_fake import Timeout
from odoo.addons.queue_job.exception import RetryableJobError

from .twilio_fake import MESSAGES, TwilioFake, twilio_error

__all__ = [
    "MESSAGES",
    "Timeout",
    "TwilioFake",
    "trap_jobs",
    "twilio_company_values",
    "twilio_error",
]

ACCOUNT_SID = "AC" + "5f3c2a1b0d9e8f7a" * 2
AUTH_TOKEN = "a-very-secret-auth-token"
SERVICE_SID = "MG" + "0a1b2c3d4e5f6a7b" * 2
CUSTOMER_NUMBER = "+32470123456"


def twilio_company_values(**values):
    """A company's settings to text through Twilio's messaging service with the test account
    (``ACCOUNT_SID``, ``AUTH_TOKEN``, ``SERVICE_SID``), ``values`` put over them. The tests of
    every module that texts start from these."""
    return {
        "sms_provider": "twilio",
        "twilio_account_sid": ACCOUNT_SID,
        "twilio_auth_token": AUTH_TOKEN,
        "twilio_sender_mode": "service",
        "twilio_messaging_service_sid": SERVICE_SID,
        **values,
    }


class TwilioCase(LoopbackFakeMixin, HttpCase):
    """A retailer sending its SMS through Twilio (a local fake), and a customer in Belgium.

    HttpCase: the SMS job writes through a cursor of its own (committed in production), which
    in tests must share the test transaction; webhook tests call the routes over HTTP.
    Every test ends with the fake's ``assert_clean()`` (no request broke Twilio's OpenAPI file).
    The fake sees the client's own timeout, so a timeout scenario takes a second.
    """

    fake_url_markers = ("/2010-04-01/Accounts/",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.write(
            twilio_company_values(country_id=cls.env.ref("base.be").id, twilio_timeout=0.5)
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Mrs Customer",
                "mobile": "+32 470 12 34 56",
                "country_id": cls.env.ref("base.be").id,
            }
        )
        # The record the messages are about (a made-to-order project, say), with a chatter.
        cls.project = cls.env["res.partner"].create(
            {"name": "Oak Dining Table for Mrs Customer", "is_company": True}
        )

    def setUp(self):
        super().setUp()
        self.twilio = TwilioFake(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN).start()
        self.addCleanup(self.twilio.stop)
        self.addCleanup(self.twilio.assert_clean)
        self.company.twilio_api_base_url = self.twilio.base_url
        self.env.flush_all()  # in the database, as a stored setting is (neutralization tests)

    # -- helpers ---------------------------------------------------------------------------------

    def _text(self, body, partner=None, record=None):
        """Send an SMS from a record's chatter as a user does; return the sms.sms."""
        partner = partner or self.customer
        record = record or self.project
        record._message_sms(body, partner_ids=partner.ids)
        return self.env["sms.sms"].search([("partner_id", "=", partner.id)], limit=1)

    def _text_in_trap(self, body, **kwargs):
        """Send an SMS with jobs trapped; return (sms, trap)."""
        with trap_jobs() as trap:
            sms = self._text(body, **kwargs)
        return sms, trap

    def _run(self, job):
        """Run a job as the job runner would, then reload what it wrote."""
        result = job.perform()
        self.env.invalidate_all()
        return result

    def _run_until_retry(self, job):
        """Run a job that must ask to be retried; return its RetryableJobError.

        Not ``assertRaises``: Odoo rolls back to a savepoint on the exception, and with it what
        the job committed through its own cursor (which a real retry keeps).
        """
        try:
            job.perform()
        except RetryableJobError as error:
            self.env.invalidate_all()
            return error
        self.fail("the job did not ask to be retried")

    def _posts(self):
        return self.twilio.requests_to("POST", MESSAGES)

    def _lookups(self):
        return self.twilio.requests_to("GET", MESSAGES)

    def _wait_for_twilio_messages(self, count, seconds=5):
        deadline = time.monotonic() + seconds
        while len(self.twilio.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.twilio.messages

    def _notes(self, record):
        return record.message_ids.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_note"))

    def _twilio_post(self, path, params, token=AUTH_TOKEN, signature=None, sign=True):
        """POST a webhook as Twilio does, signed with ``token`` over the exact URL."""
        url = self.base_url() + path
        headers = {}
        if sign:
            headers["X-Twilio-Signature"] = signature or RequestValidator(token).compute_signature(
                url, params
            )
        self.env.flush_all()
        response = self.url_open(url, data=params, headers=headers)
        self.env.invalidate_all()
        return response
