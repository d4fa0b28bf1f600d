import logging
from contextlib import contextmanager
from datetime import UTC, timedelta

from werkzeug.urls import url_encode, url_join

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

from . import const
from .twilio_request import TwilioPermanentError, TwilioTemporaryError

_logger = logging.getLogger(__name__)

# sms.sms failure types that mail.notification does not know, as the notification shows them.
NOTIFICATION_FAILURE_TYPES = {"sms_optout": "sms_not_allowed", "sms_blacklist": "sms_not_allowed"}


class SmsSms(models.Model):
    """Odoo's outgoing SMS, sent through Twilio when its company chooses Twilio.

    Twilio path: ``_send`` checks each SMS (E.164 number, phone blacklist) and queues one job
    per SMS (``_twilio_send``); the job hands it to Twilio at most once (see its docstring);
    status callbacks then move it to Delivered or Error (``_twilio_apply_status``).
    """

    _inherit = "sms.sms"

    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        readonly=True,
        help="Its SMS transport (Odoo IAP or Twilio) sends this SMS.",
    )
    twilio_sid = fields.Char(
        string="Twilio Message SID", copy=False, readonly=True, index="btree_not_null"
    )
    twilio_status = fields.Char(copy=False, readonly=True)
    twilio_error_code = fields.Integer(copy=False, readonly=True)
    twilio_failure_reason = fields.Char(string="Failure Reason", copy=False, readonly=True)
    twilio_send_started_at = fields.Datetime(
        string="Handed to Twilio at",
        copy=False,
        readonly=True,
        help="Committed just before the first call to Twilio. Without a Message SID, the "
        "outcome of that call is unknown: Twilio is asked for the message before any resend.",
    )
    twilio_attempt_count = fields.Integer(string="Twilio Attempts", copy=False, readonly=True)

    _sql_constraints = [
        ("twilio_sid_unique", "unique(twilio_sid)", "A Twilio message belongs to one SMS."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("company_id") and vals.get("mail_message_id"):
                company = self._twilio_company_of_message(vals["mail_message_id"])
                if company:
                    vals["company_id"] = company.id
        return super().create(vals_list)

    @api.model
    def _twilio_company_of_message(self, message_id):
        """The company of the record an SMS is about, when that record has one."""
        message = self.env["mail.message"].sudo().browse(message_id)
        if not message.model or not message.res_id or message.model not in self.env:
            return self.env["res.company"]
        field = self.env[message.model]._fields.get("company_id")
        if not field or field.type != "many2one" or field.comodel_name != "res.company":
            return self.env["res.company"]
        return self.env[message.model].sudo().browse(message.res_id).exists().company_id

    # ------------------------------------------------------------------ sending

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        twilio = self.filtered(lambda sms: (sms.company_id or self.env.company)._twilio_enabled())
        if twilio:
            twilio._twilio_queue()
        others = self - twilio
        if others:
            return super(SmsSms, others)._send(
                unlink_failed=unlink_failed,
                unlink_sent=unlink_sent,
                raise_exception=raise_exception,
            )
        return None

    def _twilio_queue(self):
        """Refuse what cannot be sent, queue one background job per SMS for the rest."""
        for sms in self:
            refusal = sms._twilio_check_recipient()
            if refusal:
                sms._twilio_fail(*refusal)
                continue
            sms._update_sms_state_and_trackers("process")
            sms._twilio_delay()._twilio_send()
        self.mail_message_id._notify_message_notification_update()

    def _twilio_delay(self):
        self.ensure_one()
        return self.with_delay(
            identity_key=f"sms_twilio_send:{self.uuid}",
            max_retries=const.MAX_SEND_ATTEMPTS + 2,
            description=_("Send SMS to %(number)s through Twilio", number=self.number),
        )

    def _twilio_check_recipient(self):
        """Normalise the number to E.164; ``(state, failure_type, reason)`` when refused."""
        self.ensure_one()
        if not self.number:
            return "error", "sms_number_missing", _("The SMS has no phone number.")
        country = (
            self.partner_id.country_id or self.company_id.country_id or self.env.company.country_id
        )
        try:
            e164 = self.env["res.partner"]._phone_format(
                number=self.number, country=country, raise_exception=True
            )
        except UserError as error:
            return (
                "error",
                "sms_number_format",
                _(
                    "%(number)s cannot receive an SMS: %(reason)s",
                    number=self.number,
                    reason=str(error),
                ),
            )
        if e164 != self.number:
            self.number = e164
        if self.env["phone.blacklist"].sudo().search_count([("number", "=", e164)], limit=1):
            return (
                "canceled",
                "sms_blacklist",
                _(
                    "%(number)s opted out of SMS (replied STOP): nothing is sent to it.",
                    number=e164,
                ),
            )
        return None

    def _twilio_send(self):
        """Job: hand this SMS to Twilio, never twice, however often the job is retried.

        The SMS row is locked and marked (``twilio_send_started_at``, attempt count) in a
        cursor of its own, committed before Twilio is called: the mark survives a job rolled
        back for a retry. A later attempt that finds the mark but no Message SID does not know
        whether Twilio created the message (the answer was lost: timeout, dropped connection,
        5xx), so it asks Twilio first (``find_message``) and sends only if Twilio has no such
        message. A Message SID, stored by the job or by a status callback (its URL names the
        SMS), ends every later attempt at once. A transaction-level advisory lock keeps two
        attempts of one SMS from talking to Twilio at the same moment (the second is retried
        later, without counting). Permanent refusals end the job (no retry);
        temporary failures raise ``RetryableJobError`` with Twilio's ``Retry-After`` or the
        channel's backoff.
        """
        self.ensure_one()
        self.env.flush_all()
        # Held until this job's transaction ends: a second attempt running at the same moment
        # (a job the runner believed lost) would find the mark but not yet the message.
        self.env.cr.execute(
            "SELECT pg_try_advisory_xact_lock(%s, %s)", [const.ADVISORY_LOCK_NAMESPACE, self.id]
        )
        if not self.env.cr.fetchone()[0]:
            raise RetryableJobError(
                _("Another attempt is sending this SMS right now."), seconds=60, ignore_retry=True
            )
        with self._twilio_own_env() as own:
            earlier_attempt = own._twilio_claim()
        if earlier_attempt is None:
            return _("Nothing to send.")
        sms = self.sudo()
        company = sms.company_id or self.env.company
        settled = not earlier_attempt  # no earlier call whose outcome is unknown
        try:
            client = company._twilio_client()
            sender = company._twilio_sender(sms.number)
            result = None
            if earlier_attempt:
                result = client.find_message(
                    sms.number,
                    sms.body,
                    created_after=earlier_attempt.replace(tzinfo=UTC)
                    - timedelta(seconds=const.CLOCK_SKEW_SECONDS),
                    exclude_sids=set(sms._twilio_known_sids()),
                )
                settled = True
            if result is None:
                result = client.send_message(
                    sms.number,
                    sms.body,
                    status_callback=sms._twilio_status_callback_url(),
                    **sender,
                )
        except UserError as error:
            with self._twilio_own_env() as own:
                own._twilio_fail("error", "sms_acc", str(error), forget_attempt=settled)
            return str(error)
        except TwilioPermanentError as error:
            with self._twilio_own_env() as own:
                own._twilio_fail_from_twilio(error, forget_attempt=settled)
            return str(error)
        except TwilioTemporaryError as error:
            # Twilio answered 4xx (429): nothing was created, the mark can go.
            unambiguous = settled and error.status is not None and error.status < 500
            with self._twilio_own_env() as own:
                own._twilio_note_temporary(error, forget_attempt=unambiguous)
            raise RetryableJobError(error.user_message, seconds=error.retry_after) from error
        with self._twilio_own_env() as own:
            own._twilio_accepted(result)
        return _("Twilio message %(sid)s", sid=result.sid)

    @contextmanager
    def _twilio_own_env(self):
        """This SMS (sudo) in a cursor of its own, committed on exit; the job's env reloads."""
        with self.env.registry.cursor() as cr:
            yield self.with_env(self.env(cr=cr, su=True))
        self.env.invalidate_all()

    def _twilio_claim(self):
        """Lock the SMS and mark an attempt; None when there is nothing (more) to send.

        Returns the time of an earlier attempt whose outcome is unknown, or False.
        """
        self.ensure_one()
        self.env.cr.execute(
            "SELECT id FROM sms_sms WHERE id = %s FOR UPDATE", [self.id]
        )  # a concurrent attempt waits here, then sees this one's mark
        if not self.env.cr.rowcount:
            return None
        self.invalidate_recordset()
        if self.state != "process" or self.twilio_sid or self.to_delete:
            return None
        earlier_attempt = self.twilio_send_started_at
        if self.twilio_attempt_count >= const.MAX_SEND_ATTEMPTS:
            reason = _(
                "Twilio could not be reached after %(count)s attempts.",
                count=self.twilio_attempt_count,
            )
            if earlier_attempt:
                reason += " " + _("Check Twilio's message log before sending it again.")
            self._twilio_fail("error", "sms_server", reason)
            return None
        refusal = self._twilio_check_recipient()
        if refusal:
            self._twilio_fail(*refusal)
            return None
        self.write(
            {
                "twilio_send_started_at": earlier_attempt or fields.Datetime.now(),
                "twilio_attempt_count": self.twilio_attempt_count + 1,
            }
        )
        return earlier_attempt

    def _twilio_known_sids(self):
        """Twilio messages already matched to other SMS to the same number."""
        return (
            self.sudo()
            .search(
                [("number", "=", self.number), ("twilio_sid", "!=", False), ("id", "!=", self.id)]
            )
            .mapped("twilio_sid")
        )

    def _twilio_status_callback_url(self):
        # The SMS's uuid lets a callback settle it even before its Message SID is stored.
        return "{}?{}".format(
            url_join(self.get_base_url(), const.STATUS_ROUTE), url_encode({"sms": self.uuid})
        )

    def _twilio_accepted(self, result):
        self.ensure_one()
        self.write({"twilio_sid": result.sid, "twilio_failure_reason": False})
        self._twilio_apply_status(result.status, result.error_code)

    def _twilio_note_temporary(self, error, forget_attempt=False):
        self.ensure_one()
        vals = {"twilio_failure_reason": error.user_message}
        if forget_attempt:
            vals["twilio_send_started_at"] = False
        self.write(vals)
        _logger.info("SMS %s: Twilio temporary failure, will retry: %s", self.id, error)

    def _twilio_fail_from_twilio(self, error, forget_attempt=False):
        """Twilio refused the message: fail it with Twilio's code in plain words."""
        self.ensure_one()
        _logger.info("SMS %s: Twilio refused it: %s", self.id, error)
        failure_type = const.ERROR_FAILURE_TYPES.get(error.code, "unknown")
        if error.code == const.UNSUBSCRIBED_ERROR:
            self._twilio_blacklist(_("Twilio: the number unsubscribed (error 21610)."))
        self._twilio_fail(
            "error",
            failure_type,
            error.user_message,
            code=error.code,
            forget_attempt=forget_attempt,
        )

    def _twilio_fail(self, state, failure_type, reason, code=None, forget_attempt=False):
        """Set the SMS (and its notifications) failed or cancelled; say why in the chatter."""
        self.ensure_one()
        vals = {
            "state": state,
            "failure_type": failure_type,
            "twilio_failure_reason": reason,
            "twilio_error_code": code or 0,
        }
        if forget_attempt:
            vals["twilio_send_started_at"] = False
        self.write(vals)
        self.sms_tracker_id._action_update_from_sms_state(
            state,
            failure_type=NOTIFICATION_FAILURE_TYPES.get(failure_type, failure_type),
            failure_reason=reason,
        )
        self.mail_message_id._notify_message_notification_update()
        self._twilio_post_on_record(
            _("SMS to %(number)s not sent: %(reason)s", number=self.number or "-", reason=reason)
            if state == "canceled" or not self.twilio_sid
            else _(
                "SMS to %(number)s not delivered: %(reason)s",
                number=self.number,
                reason=reason,
            )
        )

    def _twilio_blacklist(self, reason):
        if self.number:
            self.env["phone.blacklist"].sudo()._add([self.number], message=reason)

    # ------------------------------------------------------------------ receipts

    def _twilio_apply_status(self, status, error_code=None):
        """Move the SMS forward to what Twilio says; a late or repeated status changes nothing.

        Returns whether the SMS changed.
        """
        self.ensure_one()
        new_state = const.STATUS_TO_SMS_STATE.get(status)
        if not new_state:
            return False
        rank = const.SMS_STATE_RANK
        if rank.get(self.state, 0) >= rank["sent"] or rank[new_state] < rank.get(self.state, 0):
            return False
        if new_state == "error":
            error_code = error_code or None
            reason = const.ERROR_MESSAGES.get(error_code) or (
                const.GENERIC_PERMANENT_MESSAGE
                % {
                    "code": error_code or "-",
                    "message": _("the message was %(status)s", status=status),
                }
            )
            self.twilio_status = status
            if error_code == const.UNSUBSCRIBED_ERROR:
                self._twilio_blacklist(_("Twilio: the number unsubscribed (error 21610)."))
            failure_type = const.ERROR_FAILURE_TYPES.get(error_code, "unknown")
            self._twilio_fail(new_state, failure_type, reason, code=error_code)
            return True
        order = const.STATUS_ORDER
        if new_state == self.state and order.get(status, 0) <= order.get(self.twilio_status, -1):
            return False
        changed = new_state != self.state
        self.write({"twilio_status": status, "state": new_state, "failure_type": False})
        if changed:
            self.sms_tracker_id._action_update_from_sms_state(new_state)
            self.mail_message_id._notify_message_notification_update()
        return changed

    @api.model
    def _twilio_find(self, message_sid, sms_uuid=None):
        """The SMS of a status callback: by Message SID, else by the uuid in the callback URL."""
        sms = self.browse()
        if message_sid:
            sms = self.search([("twilio_sid", "=", message_sid)], limit=1)
        if not sms and sms_uuid:
            sms = self.search([("uuid", "=", sms_uuid)], limit=1)
            if sms.twilio_sid and sms.twilio_sid != message_sid:
                return self.browse()
            if sms and message_sid:
                sms.twilio_sid = message_sid
        return sms

    # ------------------------------------------------------------------ helpers

    def _twilio_record(self):
        """The record this SMS is about (its chatter), else its partner, else None."""
        self.ensure_one()
        message = self.mail_message_id.sudo()
        if message.model and message.res_id and message.model in self.env:
            record = self.env[message.model].sudo().browse(message.res_id).exists()
            if record and hasattr(record, "message_post"):
                return record
        return self.partner_id.sudo() or None

    def _twilio_post_on_record(self, body):
        record = self._twilio_record()
        if record:
            record.message_post(
                body=body, message_type="notification", subtype_xmlid="mail.mt_note"
            )

    def _twilio_reset(self):
        """Before a person resends: forget a finished Twilio message, keep an unknown one."""
        for sms in self.filtered(lambda s: s.twilio_sid or s.twilio_attempt_count):
            vals = {
                "twilio_sid": False,
                "twilio_status": False,
                "twilio_error_code": 0,
                "twilio_failure_reason": False,
                "twilio_attempt_count": 0,
            }
            if sms.twilio_sid:
                vals["twilio_send_started_at"] = False
            sms.write(vals)

    def action_set_outgoing(self):
        self._twilio_reset()
        return super().action_set_outgoing()

    def resend_failed(self):
        self.filtered(lambda sms: sms.state == "error" and not sms.to_delete)._twilio_reset()
        return super().resend_failed()
