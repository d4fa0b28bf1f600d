from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from ..models import const
from .common import ACCOUNT_SID, TwilioCase


@tagged("post_install", "-at_install")
class TestTwilioSettings(TwilioCase):
    def test_an_administrator_chooses_twilio_in_the_settings(self):
        self.company.sms_provider = "iap"

        settings = self.env["res.config.settings"].create(
            {
                "sms_provider": "twilio",
                "twilio_account_sid": ACCOUNT_SID,
                "twilio_auth_token": "new-token",
                "twilio_sender_mode": "numbers",
            }
        )
        settings.execute()

        self.assertEqual(self.company.sms_provider, "twilio")
        self.assertEqual(self.company.twilio_auth_token, "new-token")
        action = settings.action_twilio_senders()
        self.assertEqual(action["res_model"], "sms.twilio.sender")

    def test_timeout_stays_far_below_the_servers_time_limit(self):
        """A job waiting longer than the bound could be stopped by Odoo's limit_time_real
        right after Twilio sent the text: a longer (or no) wait is refused."""
        for value in (const.MAX_TIMEOUT + 1, 5000, 0, -1):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                self.company.twilio_timeout = value
        self.company.twilio_timeout = 12
        self.assertEqual(self.company._twilio_client().timeout, 12.0)
        self.twilio.assert_clean()

    def test_credentials_are_for_administrators_only(self):
        employee = new_test_user(self.env, "twilio_employee", groups="base.group_user")
        company = self.company.with_user(employee)

        self.assertEqual(company.sms_provider, "twilio")
        for secret in ("twilio_auth_token", "twilio_account_sid"):
            with self.assertRaises(AccessError):
                company.read([secret])

    def test_without_a_sender_for_the_country_the_sms_says_so(self):
        self.company.write(
            {
                "twilio_sender_mode": "numbers",
                "twilio_sender_ids": [
                    (5, 0, 0),
                    (0, 0, {"country_id": self.env.ref("base.fr").id, "number": "+33612345678"}),
                ],
            }
        )
        sms, trap = self._text_in_trap("Hello")

        self._run(trap.enqueued_jobs[0])

        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_acc"))
        self.assertIn("No Twilio sender for +32470123456", sms.twilio_failure_reason)
        self.assertEqual(self.twilio.requests, [])
