import time
from contextlib import closing
from unittest.mock import patch

from odoo.modules.neutralize import get_neutralization_queries
from odoo.sql_db import db_connect
from odoo.tests import tagged

from odoo.addons.sms.tools.sms_api import SmsApi
from odoo.addons.sms_twilio.models import const

from .common import (
    CUSTOMER_NUMBER,
    SERVICE_SID,
    Timeout,
    TwilioCase,
    trap_jobs,
    twilio_error,
)


@tagged("post_install", "-at_install")
class TestTwilioSending(TwilioCase):
    def test_an_sms_goes_out_as_one_background_job_through_twilio(self):
        sms, trap = self._text_in_trap("Your oak table is ready for delivery.")

        self.assertEqual(sms.state, "process")
        self.assertEqual(sms.number, CUSTOMER_NUMBER)
        self.assertEqual(self._posts(), [], "nothing is sent during the user's click")
        trap.assert_jobs_count(1)
        trap.assert_enqueued_job(
            sms._twilio_send, properties={"identity_key": f"sms_twilio_send:{sms.uuid}"}
        )

        self.assertEqual(trap.enqueued_jobs[0].channel, "root.sms_twilio")
        self._run(trap.enqueued_jobs[0])

        (seen,) = self._posts()
        self.assertEqual(seen.form["To"], CUSTOMER_NUMBER)
        self.assertEqual(seen.form["MessagingServiceSid"], SERVICE_SID)
        self.assertEqual(seen.form["Body"], "Your oak table is ready for delivery.")
        self.assertTrue(seen.form["StatusCallback"].endswith(f"/sms_twilio/status?sms={sms.uuid}"))
        (created,) = self.twilio.messages
        self.assertEqual(sms.twilio_sid, created["sid"])
        self.assertEqual((sms.state, sms.twilio_status), ("pending", "queued"))
        notification = sms.mail_message_id.notification_ids
        self.assertEqual(notification.notification_status, "pending")

    def test_a_sender_number_is_chosen_by_destination_country(self):
        self.company.write(
            {
                "twilio_sender_mode": "numbers",
                "twilio_sender_ids": [
                    (5, 0, 0),
                    (0, 0, {"country_id": self.env.ref("base.be").id, "number": "+32460000000"}),
                    (0, 0, {"number": "+14155550199"}),
                ],
            }
        )
        american = self.env["res.partner"].create(
            {
                "name": "Mr Buyer",
                "mobile": "+1 415 555 0123",
                "country_id": self.env.ref("base.us").id,
            }
        )
        with trap_jobs() as trap:
            self._text("Hello from Brussels")
            self._text("Hello from abroad", partner=american)
            trap.perform_enqueued_jobs()

        senders = {seen.form["To"]: seen.form["From"] for seen in self._posts()}
        self.assertEqual(senders, {CUSTOMER_NUMBER: "+32460000000", "+14155550123": "+14155550199"})

    def test_queuing_again_or_running_the_job_again_never_sends_twice(self):
        sms, trap = self._text_in_trap("Your sofa ships today.")
        with trap_jobs() as second_trap:
            sms.send()  # already processing: not queued again
            sms._twilio_delay()._twilio_send()  # same SMS, same identity key
        second_trap.assert_jobs_count(1)

        job = trap.enqueued_jobs[0]
        self._run(job)
        self._run(job)  # the runner retries a job it thinks was lost
        self._run(second_trap.enqueued_jobs[0])

        self.assertEqual(len(self._posts()), 1)
        self.assertEqual(sms.twilio_attempt_count, 1)

    def test_an_sms_being_sent_by_another_attempt_is_left_to_it(self):
        sms, trap = self._text_in_trap("Your sideboard is ready.")
        job = trap.enqueued_jobs[0]
        lock = [const.ADVISORY_LOCK_NAMESPACE, sms.id]
        with closing(db_connect(self.env.cr.dbname).cursor()) as other_worker:
            other_worker.execute("SELECT pg_advisory_lock(%s, %s)", lock)
            busy = self._run_until_retry(job)
            other_worker.execute("SELECT pg_advisory_unlock(%s, %s)", lock)

        self.assertTrue(busy.ignore_retry, "waiting for the other attempt costs no retry")
        self.assertEqual(self.twilio.requests, [])
        self._run(job)
        self.assertEqual(len(self._posts()), 1)

    def test_a_timeout_is_retried_and_finds_the_message_twilio_created_anyway(self):
        sms, trap = self._text_in_trap("Your armchair is on its way.")
        job = trap.enqueued_jobs[0]
        self.twilio.fail_with_timeout(seconds=1.5)

        self._run_until_retry(job)
        self.assertEqual(sms.state, "process")
        self.assertTrue(sms.twilio_send_started_at, "the attempt is marked before the call")
        self.assertFalse(sms.twilio_sid)
        self.assertIn("did not answer", sms.twilio_failure_reason)

        (created,) = self._wait_for_twilio_messages(1)  # Twilio finished after we gave up
        self._run(job)

        self.assertEqual(len(self._posts()), 1, "the retry asked Twilio instead of resending")
        self.assertEqual(len(self._lookups()), 1)
        self.assertEqual((sms.twilio_sid, sms.state), (created["sid"], "pending"))

    def test_a_timeout_where_twilio_created_nothing_is_sent_on_retry(self):
        sms, trap = self._text_in_trap("Your lamp is packed.")
        job = trap.enqueued_jobs[0]
        # Twilio holds the answer past our timeout, then fails: nothing is created.
        self.twilio.queue_send(Timeout(0.8, then=twilio_error(500, 20500, "Internal Error")))

        self._run_until_retry(job)
        time.sleep(1)  # the held answer is over
        self.assertEqual(self.twilio.messages, [])
        self._run(job)

        self.assertEqual(len(self._lookups()), 1)
        self.assertEqual(len(self._posts()), 2)
        (created,) = self.twilio.messages
        self.assertEqual((sms.twilio_sid, sms.state), (created["sid"], "pending"))

    def test_server_errors_and_rate_limits_are_retried_with_backoff(self):
        sms, trap = self._text_in_trap("Delivery slot confirmed.")
        job = trap.enqueued_jobs[0]
        self.twilio.fail_with_server_error(500)
        self.twilio.fail_with_rate_limit(retry_after=42)

        server_error = self._run_until_retry(job)
        self.assertIsNone(server_error.seconds, "the channel's backoff applies")
        self.assertTrue(sms.twilio_send_started_at, "a 5xx may have created the message")

        rate_limited = self._run_until_retry(job)
        self.assertEqual(rate_limited.seconds, 42, "Twilio's Retry-After")
        self.assertFalse(sms.twilio_send_started_at, "a 429 created nothing")
        self.assertEqual(sms.twilio_failure_reason, const.ERROR_MESSAGES[20429])

        self._run(job)
        self.assertEqual(
            [(seen.method) for seen in self.twilio.requests], ["POST", "GET", "POST", "POST"]
        )
        self.assertEqual(len(self.twilio.messages), 1)
        self.assertEqual(sms.state, "pending")

    def test_a_first_attempt_refused_for_rate_limit_is_simply_sent_again(self):
        sms, trap = self._text_in_trap("Delivery slot confirmed.")
        self.twilio.fail_with_rate_limit(retry_after=5)

        self.assertEqual(self._run_until_retry(trap.enqueued_jobs[0]).seconds, 5)
        self.assertFalse(sms.twilio_send_started_at, "a 429 created nothing: no lookup needed")
        self._run(trap.enqueued_jobs[0])

        self.assertEqual([seen.method for seen in self.twilio.requests], ["POST", "POST"])
        self.assertEqual(sms.state, "pending")

    def test_an_invalid_number_stops_at_once_with_twilios_reason_in_plain_words(self):
        sms, trap = self._text_in_trap("Your chair is ready.")
        self.twilio.reject_invalid_number(CUSTOMER_NUMBER)

        self._run(trap.enqueued_jobs[0])  # no retry

        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_number_format"))
        self.assertEqual(sms.twilio_error_code, 21211)
        reason = const.ERROR_MESSAGES[21211]
        self.assertEqual(sms.twilio_failure_reason, reason)
        notification = sms.mail_message_id.notification_ids
        self.assertEqual(notification.notification_status, "exception")
        self.assertEqual(notification.failure_reason, reason)
        self.assertIn(reason, self._notes(self.project)[0].body)

    def test_an_unsubscribed_number_is_blacklisted_and_never_texted_again(self):
        sms, trap = self._text_in_trap("Your bed is ready.")
        self.twilio.reject_unsubscribed()
        self._run(trap.enqueued_jobs[0])

        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_optout"))
        self.assertIn("unsubscribed", sms.twilio_failure_reason)
        self.assertTrue(self.env["phone.blacklist"].search([("number", "=", CUSTOMER_NUMBER)]))

        second, second_trap = self._text_in_trap("Your bed ships today.")
        second_trap.assert_jobs_count(0)
        self.assertEqual((second.state, second.failure_type), ("canceled", "sms_blacklist"))
        self.assertEqual(len(self._posts()), 1)

    def test_an_opted_out_number_is_never_reached(self):
        self.env["phone.blacklist"].add("+32 470 12 34 56")

        sms, trap = self._text_in_trap("Sale starts tomorrow!")

        trap.assert_jobs_count(0)
        self.assertEqual((sms.state, sms.failure_type), ("canceled", "sms_blacklist"))
        self.assertIn("opted out", sms.twilio_failure_reason)
        self.assertEqual(self.twilio.requests, [])

    def test_a_number_opted_out_while_the_job_waited_is_not_reached(self):
        sms, trap = self._text_in_trap("Your table is ready.")
        self.env["phone.blacklist"].add(CUSTOMER_NUMBER)

        self._run(trap.enqueued_jobs[0])

        self.assertEqual((sms.state, sms.failure_type), ("canceled", "sms_blacklist"))
        self.assertEqual(self.twilio.requests, [])

    def test_a_number_that_cannot_be_normalised_is_refused_with_the_reason(self):
        self.customer.mobile = "12"

        sms, trap = self._text_in_trap("Hello")

        trap.assert_jobs_count(0)
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_number_format"))
        self.assertIn("12 cannot receive an SMS", sms.twilio_failure_reason)
        self.assertIn("cannot receive an SMS", self._notes(self.project)[0].body)
        self.assertEqual(self.twilio.requests, [])

    def test_without_credentials_nothing_leaves_and_the_sms_says_why(self):
        sms, trap = self._text_in_trap("Hello")
        self.company.twilio_auth_token = False

        self._run(trap.enqueued_jobs[0])

        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_acc"))
        self.assertIn("Twilio is not configured", sms.twilio_failure_reason)
        self.assertEqual(self.twilio.requests, [])

    def test_a_failed_sms_resent_by_a_person_goes_out_again(self):
        sms, trap = self._text_in_trap("Your chair is ready.")
        self.twilio.reject_permission()
        self._run(trap.enqueued_jobs[0])
        self.assertEqual(sms.failure_type, "sms_country_not_supported")

        with trap_jobs() as retry:
            sms.resend_failed()
            retry.perform_enqueued_jobs()
        self.env.invalidate_all()

        self.assertEqual(len(self._posts()), 2)
        self.assertEqual(sms.state, "pending")
        self.assertTrue(sms.twilio_sid)

    def test_after_the_last_attempt_the_sms_fails_and_says_to_check_twilio(self):
        sms, trap = self._text_in_trap("Your table is ready.")
        self.twilio.fail_with_timeout(seconds=0.8)
        self._run_until_retry(trap.enqueued_jobs[0])
        sms.twilio_attempt_count = const.MAX_SEND_ATTEMPTS

        self._run(trap.enqueued_jobs[0])

        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_server"))
        self.assertIn("after 8 attempts", sms.twilio_failure_reason)
        self.assertIn("Check Twilio's message log", sms.twilio_failure_reason)
        self._wait_for_twilio_messages(1)  # the held answer is over before the fake stops
        self.assertEqual(len(self._posts()), 1)

    def test_a_neutralized_database_cannot_reach_twilio(self):
        sms, trap = self._text_in_trap("Hello")

        for query in get_neutralization_queries(["sms_twilio"]):
            self.env.cr.execute(query)
        self.env.invalidate_all()
        self.env.registry.clear_cache()  # system parameters are cached
        self._run(trap.enqueued_jobs[0])

        self.assertFalse(self.company.twilio_auth_token or self.company.twilio_account_sid)
        self.assertFalse(self.env["ir.config_parameter"].get_param("sms_twilio.api_base_url"))
        self.assertFalse(self.company.twilio_api_base_url)
        self.assertEqual(sms.state, "error")
        self.assertEqual(self.twilio.requests, [])

    def test_odoo_iap_stays_untouched_when_twilio_is_not_chosen(self):
        self.company.sms_provider = "iap"

        def iap_answer(api, messages, delivery_reports_url=False):
            return [
                {"uuid": number["uuid"], "state": "success"}
                for message in messages
                for number in message["numbers"]
            ]

        with (
            patch.object(SmsApi, "_send_sms_batch", autospec=True, side_effect=iap_answer) as iap,
            trap_jobs() as trap,
        ):
            self._text("Sent through Odoo's own service")

        iap.assert_called_once()
        trap.assert_jobs_count(0)
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual((sms.state, sms.to_delete), ("pending", True))
        self.assertEqual(self.twilio.requests, [])
