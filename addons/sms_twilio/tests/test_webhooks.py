from twilio.request_validator import RequestValidator

from odoo.tests import tagged

from odoo.addons.sms_twilio.models import const

from .common import ACCOUNT_SID, AUTH_TOKEN, CUSTOMER_NUMBER, TwilioCase

SERVICE_NUMBER = "+32460000000"


@tagged("post_install", "-at_install")
class TestTwilioStatusCallbacks(TwilioCase):
    def _sent_sms(self, body="Your oak table is ready."):
        sms, trap = self._text_in_trap(body)
        self._run(trap.enqueued_jobs[0])
        return sms

    def _status(self, sms, status, error_code=None, **kwargs):
        params = {
            "MessageSid": sms.twilio_sid or "SM" + "9" * 32,
            "MessageStatus": status,
            "To": sms.number,
            "From": SERVICE_NUMBER,
            "AccountSid": ACCOUNT_SID,
        }
        if error_code:
            params["ErrorCode"] = str(error_code)
        return self._twilio_post(f"{const.STATUS_ROUTE}?sms={sms.uuid}", params, **kwargs)

    def test_a_signed_delivery_receipt_marks_the_sms_delivered(self):
        sms = self._sent_sms()

        response = self._status(sms, "sent")
        self.assertEqual(response.status_code, 200)
        self.assertEqual((sms.state, sms.twilio_status), ("pending", "sent"))

        self._status(sms, "delivered")

        self.assertEqual((sms.state, sms.twilio_status), ("sent", "delivered"))
        self.assertEqual(sms.mail_message_id.notification_ids.notification_status, "sent")

    def test_repeated_or_late_receipts_change_nothing(self):
        sms = self._sent_sms()
        self._status(sms, "delivered")
        for status in ("delivered", "sent", "queued", "failed"):
            response = self._status(sms, status, error_code=30003 if status == "failed" else None)
            self.assertEqual(response.status_code, 200)

        self.assertEqual(
            (sms.state, sms.twilio_status, sms.failure_type), ("sent", "delivered", False)
        )

    def test_an_undelivered_receipt_fails_the_sms_with_the_reason_once(self):
        sms = self._sent_sms()
        notes_before = len(self._notes(self.project))

        self._status(sms, "undelivered", error_code=30006)
        self._status(sms, "undelivered", error_code=30006)

        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_number_format"))
        self.assertEqual(sms.twilio_error_code, 30006)
        self.assertEqual(sms.twilio_failure_reason, const.ERROR_MESSAGES[30006])
        notification = sms.mail_message_id.notification_ids
        self.assertEqual(notification.notification_status, "exception")
        notes = self._notes(self.project)
        self.assertEqual(len(notes), notes_before + 1)
        self.assertIn("landline", notes[0].body)

    def test_a_receipt_before_the_job_stored_the_sid_settles_the_sms(self):
        # The job's answer was lost (timeout); Twilio's receipt names the SMS in its URL.
        sms, trap = self._text_in_trap("Your lamp is packed.")
        self.twilio.fail_with_timeout(seconds=1.0)
        job = trap.enqueued_jobs[0]
        self._run_until_retry(job)
        (created,) = self._wait_for_twilio_messages(1)
        params = {
            "MessageSid": created["sid"],
            "MessageStatus": "sent",
            "To": CUSTOMER_NUMBER,
            "AccountSid": ACCOUNT_SID,
        }

        self._twilio_post(f"{const.STATUS_ROUTE}?sms={sms.uuid}", params)
        self._run(job)

        self.assertEqual((sms.twilio_sid, sms.state), (created["sid"], "pending"))
        self.assertEqual(len(self._posts()), 1)
        self.assertEqual(self._lookups(), [], "the stored sid ends the job at once")

    def test_a_tampered_receipt_is_refused(self):
        sms = self._sent_sms()
        path = f"{const.STATUS_ROUTE}?sms={sms.uuid}"
        signed = {
            "MessageSid": sms.twilio_sid,
            "MessageStatus": "delivered",
            "AccountSid": ACCOUNT_SID,
        }
        signature = RequestValidator(AUTH_TOKEN).compute_signature(self.base_url() + path, signed)

        tampered = self._twilio_post(
            path, dict(signed, MessageStatus="failed"), signature=signature
        )
        elsewhere = self._twilio_post(path + "0", signed, signature=signature)

        self.assertEqual([tampered.status_code, elsewhere.status_code], [403, 403])
        self.assertEqual(sms.state, "pending")
        self.assertEqual(self._twilio_post(path, signed, signature=signature).status_code, 200)
        self.assertEqual(sms.state, "sent")

    def test_a_receipt_signed_with_another_token_is_refused(self):
        sms = self._sent_sms()

        response = self._status(sms, "delivered", token="someone-elses-token")

        self.assertEqual(response.status_code, 403)
        self.assertEqual(sms.state, "pending")

    def test_a_receipt_without_signature_is_refused(self):
        sms = self._sent_sms()

        response = self._status(sms, "delivered", sign=False)

        self.assertEqual(response.status_code, 403)
        self.assertEqual(sms.state, "pending")

    def test_without_an_auth_token_every_receipt_is_refused(self):
        sms = self._sent_sms()
        self.company.twilio_auth_token = False

        for token in ("", AUTH_TOKEN):
            response = self._status(sms, "delivered", token=token)
            self.assertEqual(response.status_code, 403)
        self.assertEqual(sms.state, "pending")


@tagged("post_install", "-at_install")
class TestTwilioInbound(TwilioCase):
    def _inbound(self, body, sid, number=CUSTOMER_NUMBER, **kwargs):
        params = {
            "MessageSid": "SM" + sid.rjust(32, "0"),
            "AccountSid": ACCOUNT_SID,
            "From": number,
            "To": SERVICE_NUMBER,
            "Body": body,
        }
        return self._twilio_post(const.INBOUND_ROUTE, params, **kwargs)

    def _blacklisted(self, number=CUSTOMER_NUMBER):
        return bool(self.env["phone.blacklist"].search([("number", "=", number)]))

    def test_stop_and_its_variants_opt_the_number_out_start_opts_it_in(self):
        words_out = ["STOP", "stop", " Unsubscribe ", "STOPALL", "cancel", "END", "Quit."]
        words_in = ["START", "unstop", "Yes"]
        for position, word in enumerate(words_out + words_in):
            with self.subTest(word=word):
                response = self._inbound(word, sid=str(position))
                self.assertEqual(response.status_code, 200)
                self.assertEqual(self._blacklisted(), word in words_out)

        inbound = self.env["sms.twilio.inbound"].search([("number", "=", CUSTOMER_NUMBER)])
        self.assertEqual(len(inbound), len(words_out + words_in))
        self.assertEqual(set(inbound.mapped("partner_id")), {self.customer})
        self.assertIn("no more SMS", self._notes(self.customer)[-1].body)

    def test_after_stop_nothing_more_is_sent_to_the_number(self):
        self._inbound("STOP", sid="1")

        sms, trap = self._text_in_trap("Our new collection is out!")

        trap.assert_jobs_count(0)
        self.assertEqual(sms.state, "canceled")
        self.assertEqual(self.twilio.requests, [])

    def test_help_gets_the_companys_answer(self):
        self.company.twilio_help_text = "Showroom: +32 2 555 00 00. Reply STOP to opt out."

        response = self._inbound("help", sid="1")

        self.assertEqual(response.headers["Content-Type"], "text/xml")
        self.assertIn(
            "<Message>Showroom: +32 2 555 00 00. Reply STOP to opt out.</Message>", response.text
        )
        self.assertFalse(self._blacklisted())

    def test_a_reply_lands_in_the_chatter_of_the_record_the_last_sms_was_about(self):
        _sms, trap = self._text_in_trap("Which delivery day suits you?")
        self._run(trap.enqueued_jobs[0])

        response = self._inbound("Tuesday morning please", sid="7")

        self.assertEqual(response.status_code, 200)
        self.assertNotIn("<Message>", response.text)
        reply = self.project.message_ids[0]
        self.assertIn("Tuesday morning please", reply.body)
        self.assertEqual(reply.author_id, self.customer)

    def test_a_reply_without_an_earlier_sms_lands_on_the_customer(self):
        self._inbound("Do you have this table in walnut?", sid="8")

        self.assertIn("walnut", self.customer.message_ids[0].body)

    def test_a_repeated_inbound_message_is_handled_once(self):
        self._inbound("STOP", sid="5")
        self._inbound("Is my sofa ready?", sid="6")
        notes = len(self.customer.message_ids)

        self._inbound("Is my sofa ready?", sid="6")
        self._inbound("STOP", sid="5")

        self.assertEqual(len(self.customer.message_ids), notes)
        self.assertEqual(self.env["sms.twilio.inbound"].search_count([]), 2)

    def test_an_unsigned_or_tampered_inbound_message_is_refused(self):
        unsigned = self._inbound("STOP", sid="1", sign=False)
        wrong_token = self._inbound("STOP", sid="2", token="someone-elses-token")
        self.company.twilio_auth_token = False
        no_token = self._inbound("STOP", sid="3")

        self.assertEqual(
            [unsigned.status_code, wrong_token.status_code, no_token.status_code], [403] * 3
        )
        self.assertFalse(self._blacklisted())
        self.assertFalse(self.env["sms.twilio.inbound"].search([]))
