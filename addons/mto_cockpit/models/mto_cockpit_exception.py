import logging
from datetime import timedelta

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import mute_logger

from .const import EXCEPTION_STATES, SEVERITIES

_logger = logging.getLogger(__name__)


class MtoCockpitException(models.Model):
    """Something in the flow that needs a person: one per rule and record while it lasts.

    Opened, refreshed and resolved by the rules' cron (``mto.cockpit.rule._run``); a person
    acknowledges it (it stops escalating) or resolves it by hand; the rule resolves it by
    itself once its cause is gone.
    """

    _name = "mto.cockpit.exception"
    _description = "Operational Exception"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_rank, severity_rank desc, since, id"

    name = fields.Text(string="Description", required=True, readonly=True)
    rule_id = fields.Many2one(
        "mto.cockpit.rule", required=True, readonly=True, ondelete="cascade", index=True
    )
    kind = fields.Selection(related="rule_id.kind", store=True)
    severity = fields.Selection(related="rule_id.severity", store=True)
    severity_rank = fields.Integer(compute="_compute_ranks", store=True)
    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True
    )
    record_ref = fields.Reference(
        selection="_selection_record_ref", compute="_compute_record_ref", string="Record"
    )
    record_name = fields.Char(compute="_compute_record_ref", string="Concerns")
    since = fields.Datetime(required=True, readonly=True, help="When the problem began.")
    detected_on = fields.Datetime(readonly=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", string="Owner", tracking=True, index=True)
    team_id = fields.Many2one("crm.team", tracking=True, index=True)
    state = fields.Selection(
        EXCEPTION_STATES, default="open", required=True, readonly=True, tracking=True, index=True
    )
    state_rank = fields.Integer(compute="_compute_ranks", store=True)
    resolved_on = fields.Datetime(readonly=True)
    resolution = fields.Text(readonly=True)
    notified_on = fields.Datetime(readonly=True, help="The owner got an activity.")
    escalated_on = fields.Datetime(readonly=True)
    escalated_to_id = fields.Many2one("res.users", readonly=True)
    can_retry = fields.Boolean(compute="_compute_can_retry")

    def init(self):
        # One exception per rule and record while it is not resolved: running detection
        # twice, even in two workers at once, cannot open a second one.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS mto_cockpit_exception_one_open "
            "ON mto_cockpit_exception (rule_id, res_model, res_id) WHERE state != 'resolved'"
        )

    @api.model
    def _selection_record_ref(self):
        return [(model, model) for model in self.env.registry if not model.startswith("ir.")]

    @api.depends("state", "severity")
    def _compute_ranks(self):
        ranks = {key: index for index, (key, _label) in enumerate(SEVERITIES)}
        states = {key: index for index, (key, _label) in enumerate(EXCEPTION_STATES)}
        for exception in self:
            exception.severity_rank = ranks.get(exception.severity, 0)
            exception.state_rank = states.get(exception.state, 0)

    @api.depends("res_model", "res_id")
    def _compute_record_ref(self):
        for exception in self:
            record = exception._record()
            exception.record_ref = f"{record._name},{record.id}" if record else False
            exception.record_name = record.sudo().display_name if record else _("(deleted)")

    @api.depends("res_model")
    def _compute_can_retry(self):
        for exception in self:
            exception.can_retry = exception.res_model in ("queue.job", "sms.sms")

    def _record(self):
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env:
            return None
        return self.env[self.res_model].browse(self.res_id).exists() or None

    # ------------------------------------------------------------------ lifecycle

    @api.model
    def _mto_upsert(self, vals_list):
        """Create the exceptions that are not open yet; one already open is left alone."""
        created = self.browse()
        for vals in vals_list:
            try:
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    created |= self.create(vals)
            except psycopg2.errors.UniqueViolation:
                # another run opened it a moment ago
                _logger.info("Exception already open: %s", vals.get("name"))
        return created

    def _mto_resolve(self, reason):
        todo = self.filtered(lambda e: e.state != "resolved")
        if not todo:
            return
        todo.write(
            {"state": "resolved", "resolved_on": fields.Datetime.now(), "resolution": reason}
        )
        todo.activity_ids.action_feedback(feedback=reason)

    def action_acknowledge(self):
        self.filtered(lambda e: e.state == "open").write(
            {"state": "acknowledged", "user_id": self.env.user.id}
        )

    def action_resolve(self):
        self._mto_resolve(_("Resolved by %s.", self.env.user.name))

    def action_reopen(self):
        for exception in self.filtered(lambda e: e.state == "acknowledged"):
            exception.state = "open"

    def action_open_record(self):
        """The form where the problem is solved."""
        self.ensure_one()
        record = self._record()
        if record is None:
            raise UserError(_("The record of this exception no longer exists."))
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_retry(self):
        """Retry the call that failed: requeue the job, send the text again."""
        self.ensure_one()
        record = self._record()
        if record is None:
            raise UserError(_("The record of this exception no longer exists."))
        if record._name == "queue.job":
            record.requeue()
        elif record._name == "sms.sms":
            record.resend_failed()
        else:
            raise UserError(_("Nothing to retry here: open the record instead."))
        self.message_post(body=_("Retried by %s.", self.env.user.name))
        return True

    # ------------------------------------------------------------------ escalation

    @api.model
    def _mto_escalate(self):
        """An activity for the owner of each new exception; after the rule's delay, one for
        the escalation user (the team leader by default) when the owner did not act."""
        now = fields.Datetime.now()
        todo = self.env.ref("mail.mail_activity_data_todo")
        for exception in self.search([("state", "=", "open"), ("notified_on", "=", False)]):
            if exception.user_id:
                exception.activity_schedule(
                    act_type_xmlid="mail.mail_activity_data_todo",
                    summary=exception.rule_id.name,
                    note=exception.name,
                    user_id=exception.user_id.id,
                )
            exception.notified_on = now
        for exception in self.search(
            [("state", "=", "open"), ("notified_on", "!=", False), ("escalated_on", "=", False)]
        ):
            rule = exception.rule_id
            target = rule._escalation_user()
            if not rule.escalation_hours or not target or target == exception.user_id:
                continue
            if exception.notified_on + timedelta(hours=rule.escalation_hours) > now:
                continue
            exception.activity_schedule(
                activity_type_id=todo.id,
                summary=_("Escalated: %s", rule.name),
                note=exception.name,
                user_id=target.id,
            )
            exception.write({"escalated_on": now, "escalated_to_id": target.id})

    # ------------------------------------------------------------------ status

    @api.model
    def _mto_status(self):
        """What monitoring reads: the queue, open exceptions, providers' last success."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            """
            SELECT count(*) FILTER (WHERE state IN ('pending', 'enqueued', 'started')),
                   min(date_created) FILTER (WHERE state IN ('pending', 'enqueued')),
                   count(*) FILTER (WHERE state = 'failed')
              FROM queue_job
             WHERE state IN ('pending', 'enqueued', 'started', 'failed')
            """
        )
        depth, oldest, failed = cr.fetchone()
        now = fields.Datetime.now()
        by_severity = {key: 0 for key, _label in SEVERITIES}
        for severity, count in self._read_group(
            [("state", "!=", "resolved")], ["severity"], ["__count"]
        ):
            by_severity[severity or "medium"] = count
        return {
            "status": "ok",
            "time": fields.Datetime.to_string(now),
            "queue": {
                "depth": depth,
                "oldest_pending_age_seconds": int((now - oldest).total_seconds()) if oldest else 0,
                "failed": failed,
            },
            "exceptions": {
                "open_by_severity": by_severity,
                "open_total": sum(by_severity.values()),
            },
            "providers": self._mto_last_success(),
        }

    @api.model
    def _mto_last_success(self):
        """Last successful call per provider, as the modules record it (UTC), else null."""
        cr = self.env.cr
        queries = {
            # a payment Stripe confirmed, or a webhook event applied
            "stripe": """
                SELECT GREATEST(
                    (SELECT max(tx.last_state_change) FROM payment_transaction tx
                       JOIN payment_provider p ON p.id = tx.provider_id
                      WHERE p.code = 'stripe' AND tx.state = 'done'),
                    (SELECT max(create_date) FROM payment_stripe_event WHERE result = 'done'))
            """,
            # a text Twilio accepted (texts Odoo deleted once sent are not counted)
            "twilio": """
                SELECT max(twilio_send_started_at) FROM sms_sms WHERE twilio_sid IS NOT NULL
            """,
            # a shipment booked (rate answers are cached without a date of their own)
            "dhl_express": """
                SELECT max(write_date) FROM dhl_express_booking WHERE state = 'booked'
            """,
        }
        result = {}
        for provider, query in queries.items():
            cr.execute(query)
            value = cr.fetchone()[0]
            result[provider] = {"last_success": fields.Datetime.to_string(value) if value else None}
        return result

    # ------------------------------------------------------------------ digest

    @api.model
    def _cron_send_digest(self):
        """One e-mail per team listing its unresolved exceptions."""
        template = self.env.ref("mto_cockpit.mail_template_exception_digest")
        groups = self._read_group(
            [("state", "!=", "resolved"), ("team_id", "!=", False)], ["team_id"], ["__count"]
        )
        for team, _count in groups:
            if team.mto_cockpit_digest_recipients:
                template.send_mail(team.id, email_layout_xmlid="mail.mail_notification_light")
