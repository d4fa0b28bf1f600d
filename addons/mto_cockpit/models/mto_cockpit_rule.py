from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.sql import create_index

from .const import COMMITTED_STATES, RULE_KINDS, SEVERITIES, THRESHOLD_UNITS


class MtoCockpitRule(models.Model):
    """What makes an operational exception, who owns it, when it escalates.

    Each kind has one detector, ``_detect_<kind>(limit)``, returning ``{record: (since,
    description)}`` for the records that break the rule now. A detector reads candidates only:
    rows selected by indexed state or date columns (partial indexes where healthy rows would
    otherwise be read), so its cost follows the number of problems, not of orders.
    """

    _name = "mto.cockpit.rule"
    _description = "Operations Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(RULE_KINDS, required=True, readonly=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    severity = fields.Selection(SEVERITIES, required=True, default="medium")
    threshold = fields.Integer(
        default=0, help="How long (or how many times) before the rule raises an exception."
    )
    threshold_unit = fields.Selection(THRESHOLD_UNITS, required=True, default="days")
    team_id = fields.Many2one(
        "crm.team",
        string="Owner Team",
        help="Its leader owns the exceptions unless an owner is set.",
    )
    user_id = fields.Many2one("res.users", string="Owner", help="Owns the rule's exceptions.")
    escalation_user_id = fields.Many2one(
        "res.users",
        string="Escalate to",
        help="Gets the exception when its owner did not act in time; default: the team leader.",
    )
    escalation_hours = fields.Integer(
        string="Escalate after (hours)",
        default=24,
        help="Hours the owner has before the exception goes to the escalation user; "
        "0 never escalates.",
    )
    note = fields.Text(string="What to do", translate=True)
    exception_ids = fields.One2many("mto.cockpit.exception", "rule_id")
    open_count = fields.Integer(compute="_compute_open_count", string="Open")

    _sql_constraints = [
        ("threshold_positive", "CHECK(threshold >= 0)", "A threshold cannot be negative."),
    ]

    @api.constrains("kind", "active")
    def _check_one_per_kind(self):
        for rule in self.filtered("active"):
            if self.search_count([("kind", "=", rule.kind), ("id", "!=", rule.id)]):
                raise ValidationError(self.env._("Only one active rule per kind: %s.", rule.name))

    def init(self):
        # Partial indexes: detection reads the rows in trouble, never the healthy ones.
        for name, table, column, where in (
            (
                "mto_cockpit_sol_undecided",
                "sale_order_line",
                "order_id",
                "state = 'sale' AND mto_procurement IS NULL AND display_type IS NULL",
            ),
            ("mto_cockpit_so_payment_exception", "sale_order", "id", "stripe_mto_exception"),
            ("mto_cockpit_tx_error", "payment_transaction", "last_state_change", "state = 'error'"),
            ("mto_cockpit_sms_error", "sms_sms", "write_date", "state = 'error'"),
            ("mto_cockpit_picking_ready", "stock_picking", "picking_type_id", "state = 'assigned'"),
            (
                "mto_cockpit_inspection_todo",
                "mto_quality_inspection",
                "create_date",
                "state = 'todo'",
            ),
        ):
            create_index(self.env.cr, name, table, [column], where=where)

    def _compute_open_count(self):
        counts = dict(
            self.env["mto.cockpit.exception"]._read_group(
                [("rule_id", "in", self.ids), ("state", "!=", "resolved")],
                ["rule_id"],
                ["__count"],
            )
        )
        for rule in self:
            rule.open_count = counts.get(rule, 0)

    # ------------------------------------------------------------------ detection

    def _limit(self):
        """The moment before which a case breaks the rule (for time thresholds)."""
        self.ensure_one()
        if self.threshold_unit == "count":
            return self.threshold
        if not self.threshold:
            return None  # at once: no date condition
        return fields.Datetime.now() - timedelta(**{self.threshold_unit: self.threshold})

    @api.model
    def _before(self, field, limit):
        """Domain of the records whose ``field`` is at or before ``limit`` (None: all)."""
        return [] if limit is None else [(field, "<=", limit)]

    def _detect(self):
        """``{record: (since, description)}``: what breaks the rule now."""
        self.ensure_one()
        detector = getattr(self, f"_detect_{self.kind}", None)
        if detector is None:
            raise UserError(self.env._("No detection for rule %s.", self.name))
        return detector(self._limit())

    def _detect_paid_not_procured(self, limit):
        # Candidates: lines of confirmed orders not yet decided (made-to-order products are
        # decided at payment), through a partial index; payment is checked on those only.
        self.env["sale.order.line"].flush_model(
            ["state", "mto_procurement", "display_type", "product_id"]
        )
        self.env["product.template"].flush_model(["mto_mode"])
        self.env.cr.execute(
            """
            SELECT DISTINCT sol.order_id
              FROM sale_order_line sol
              JOIN product_product pp ON pp.id = sol.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE sol.state = 'sale' AND sol.mto_procurement IS NULL
               AND sol.display_type IS NULL AND pt.mto_mode IS NOT NULL
            """
        )
        orders = self.env["sale.order"].browse(r[0] for r in self.env.cr.fetchall())
        found = {}
        for order in orders.filtered(
            lambda o: limit is None or (o.date_order and o.date_order <= limit)
        ):
            if not order._mto_held_lines() or not order._mto_is_released():
                continue
            since = order._mto_cockpit_paid_on()
            if limit is None or since <= limit:
                found[order] = (
                    since,
                    self.env._(
                        "%(order)s is paid and none of its made-to-order lines was ordered.",
                        order=order.name,
                    ),
                )
        return found

    def _detect_production_state(self, state, limit, message):
        orders = self.env["purchase.order"].search(
            [("mto_state", "=", state), *self._before("mto_state_since", limit)]
        )
        return {
            order: (
                order.mto_state_since,
                message % {"order": order.name, "partner": order.partner_id.name},
            )
            for order in orders
        }

    def _detect_awaiting_manufacturer(self, limit):
        return self._detect_production_state(
            "awaiting", limit, self.env._("%(partner)s has not answered %(order)s.")
        )

    def _detect_rework_stuck(self, limit):
        return self._detect_production_state(
            "rework", limit, self.env._("%(order)s is still in rework at %(partner)s.")
        )

    def _detect_completion_overdue(self, limit):
        # The threshold is a grace period after the expected completion date.
        day = fields.Date.to_date(limit) if limit else fields.Date.today()
        orders = self.env["purchase.order"].search(
            [("mto_state", "in", COMMITTED_STATES), ("mto_expected_date", "<", day)]
        )
        return {
            order: (
                fields.Datetime.to_datetime(order.mto_expected_date),
                self.env._(
                    "%(partner)s expected to complete %(order)s on %(date)s.",
                    partner=order.partner_id.name,
                    order=order.name,
                    date=order.mto_expected_date,
                ),
            )
            for order in orders
        }

    def _detect_not_inspected(self, limit):
        inspections = self.env["mto.quality.inspection"].search(
            [("state", "=", "todo"), *self._before("create_date", limit)]
        )
        return {
            inspection: (
                inspection.create_date,
                self.env._(
                    "%(piece)s was received and waits for its inspection %(name)s.",
                    piece=inspection.piece_id.code,
                    name=inspection.name,
                ),
            )
            for inspection in inspections
        }

    def _detect_gate_blocked(self, limit):
        # Candidates: outgoing deliveries ready to go; the gate itself says which it blocks.
        # A delivery records no "ready since": the first detection dates the exception.
        pickings = self.env["stock.picking"].search(
            [("state", "=", "assigned"), ("picking_type_code", "=", "outgoing")]
        )
        found = {}
        for picking in pickings:
            try:
                picking.move_ids._mto_check_quality_gate()
            except UserError as blocked:
                found[picking] = (False, blocked.args[0])
        return found

    def _detect_dhl_unknown(self, limit):
        attempts = self.env["dhl.express.booking"].search(
            [("state", "=", "pending"), *self._before("create_date", limit)]
        )
        pickings = self.env["stock.picking"].browse(attempts.mapped("picking_res_id")).exists()
        found = {}
        for attempt in attempts:
            picking = pickings.filtered(lambda p, a=attempt: p.id == a.picking_res_id)
            if picking:
                found[picking] = (
                    attempt.create_date,
                    attempt._dhl_unknown_outcome_message(attempt.picking_name),
                )
        return found

    def _detect_payment_exception(self, limit):
        orders = self.env["sale.order"].search([("stripe_mto_exception", "=", True)])
        return {
            order: (
                False,  # the flag carries no date: the first detection dates it
                order.stripe_mto_exception_note
                or self.env._("Payment exception on %s.", order.name),
            )
            for order in orders
        }

    def _detect_refund_failed(self, limit):
        # A failed refund stays an error for good: it is settled when the order's payment
        # exception is resolved.
        refunds = self.env["payment.transaction"].search(
            [
                ("state", "=", "error"),
                ("operation", "=", "refund"),
                *self._before("last_state_change", limit),
            ]
        )
        found = {}
        for refund in refunds:
            orders = refund._stripe_mto_sale_orders()
            if orders and not any(orders.mapped("stripe_mto_exception")):
                continue
            found[refund] = (
                refund.last_state_change,
                refund.state_message or self.env._("Refund %s failed.", refund.reference),
            )
        return found

    def _detect_sms_failed(self, limit):
        texts = self.env["sms.sms"].search(
            [("state", "=", "error"), ("to_delete", "=", False), *self._before("write_date", limit)]
        )
        labels = dict(self.env["sms.sms"]._fields["failure_type"]._description_selection(self.env))
        return {
            sms: (
                sms.write_date,
                self.env._(
                    "The text to %(number)s was not delivered: %(reason)s",
                    number=sms.number or "-",
                    reason=sms.twilio_failure_reason or labels.get(sms.failure_type, "-"),
                ),
            )
            for sms in texts
        }

    def _detect_job_failed(self, limit):
        jobs = self.env["queue.job"].search(
            [("state", "=", "failed"), *self._before("date_created", limit)]
        )
        return {
            job: (
                job.date_done or job.date_started or job.date_created,
                self.env._(
                    "%(job)s failed: %(error)s",
                    job=job.name or job.func_string,
                    error=job.exc_message or job.exc_name or "-",
                ),
            )
            for job in jobs
        }

    def _detect_webhook_refused(self, limit):
        counters = self.env["mto.cockpit.webhook.refusal"].search(
            [("refused_count", ">=", max(limit, 1))]
        )
        return {
            counter: (
                counter.first_refused_on,
                self.env._(
                    "%(count)s %(provider)s webhooks refused in a row: check the webhook secret.",
                    count=counter.refused_count,
                    provider=dict(counter._fields["provider"].selection)[counter.provider],
                ),
            )
            for counter in counters
        }

    # ------------------------------------------------------------------ running

    def _owner(self):
        self.ensure_one()
        return self.user_id or self.team_id.user_id or self.env.ref("base.user_admin")

    def _escalation_user(self):
        self.ensure_one()
        return self.escalation_user_id or self.team_id.user_id

    def _run(self):
        """Open an exception for each new case, refresh the open ones, resolve the others."""
        Exception_ = self.env["mto.cockpit.exception"]
        for rule in self:
            found = rule._detect()
            open_exceptions = Exception_.search(
                [("rule_id", "=", rule.id), ("state", "!=", "resolved")]
            )
            by_record = {(e.res_model, e.res_id): e for e in open_exceptions}
            vals_list = []
            for record, (since, description) in found.items():
                current = by_record.pop((record._name, record.id), None)
                if current:
                    if current.name != description:
                        current.name = description
                    continue
                vals_list.append(rule._prepare_exception_vals(record, since, description))
            Exception_._mto_upsert(vals_list)
            gone = Exception_.browse(e.id for e in by_record.values())
            gone._mto_resolve(self.env._("The cause is gone."))
        return True

    def _prepare_exception_vals(self, record, since, description):
        self.ensure_one()
        return {
            "rule_id": self.id,
            "res_model": record._name,
            "res_id": record.id,
            "name": description,
            "since": since or fields.Datetime.now(),
            "user_id": self._owner().id,
            "team_id": self.team_id.id,
        }

    @api.model
    def _cron_detect(self):
        self.search([])._run()
        self.env["mto.cockpit.exception"]._mto_escalate()

    def action_run(self):
        self._run()
        return self.action_open_exceptions()

    def action_open_exceptions(self):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "mto_cockpit.action_mto_cockpit_exception"
        )
        action["domain"] = [("rule_id", "in", self.ids)]
        return action
