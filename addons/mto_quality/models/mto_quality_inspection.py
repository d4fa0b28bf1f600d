from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from .mto_quality_checklist import ITEM_KINDS

INSPECTION_STATES = [
    ("todo", "To Inspect"),
    ("passed", "Passed"),
    ("failed", "Failed"),
    ("deviation", "Accepted with Deviation"),
    ("scrapped", "Scrapped"),
]
# A piece in one of these states may be delivered.
DELIVERABLE = ("passed", "deviation")


class MtoQualityInspection(models.Model):
    """One check of one piece when it reaches the retailer."""

    _name = "mto.quality.inspection"
    _description = "Quality Inspection"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    piece_id = fields.Many2one(
        "mto.piece", required=True, readonly=True, index=True, ondelete="cascade"
    )
    product_id = fields.Many2one(related="piece_id.product_id", store=True)
    categ_id = fields.Many2one(
        related="piece_id.product_id.categ_id", store=True, string="Product Category"
    )
    purchase_id = fields.Many2one(related="piece_id.purchase_id", store=True)
    manufacturer_id = fields.Many2one(related="piece_id.manufacturer_id", store=True)
    company_id = fields.Many2one(related="piece_id.company_id", store=True, index=True)
    move_id = fields.Many2one(
        "stock.move",
        string="Receipt Move",
        readonly=True,
        help="The physical move that brought the piece in.",
    )
    picking_id = fields.Many2one(related="move_id.picking_id", store=True)
    checklist_id = fields.Many2one("mto.quality.checklist", readonly=True)
    previous_id = fields.Many2one(
        "mto.quality.inspection",
        string="Previous Attempt",
        readonly=True,
        help="The failed inspection this one follows.",
    )
    attempt = fields.Integer(readonly=True, default=1)
    state = fields.Selection(
        INSPECTION_STATES, default="todo", required=True, readonly=True, tracking=True, index=True
    )
    line_ids = fields.One2many("mto.quality.inspection.line", "inspection_id", string="Items")
    defect_ids = fields.One2many("mto.quality.defect", "inspection_id", string="Defects")
    note = fields.Text()
    decision_reason = fields.Text(readonly=True, tracking=True)
    decided_by_id = fields.Many2one("res.users", string="Decided by", readonly=True)
    decided_on = fields.Datetime(readonly=True)
    # Reporting
    first_pass_yield = fields.Float(
        compute="_compute_reporting",
        store=True,
        aggregator="avg",
        string="First-Pass Yield (%)",
        help="100 for a piece that passed at its first attempt, 0 otherwise: averaged, the "
        "first-pass yield.",
    )
    first_pass = fields.Boolean(
        compute="_compute_reporting", store=True, help="Passed at its first attempt."
    )
    days_lost = fields.Float(
        compute="_compute_reporting",
        store=True,
        help="Days between this failed inspection and the next one.",
    )
    next_ids = fields.One2many("mto.quality.inspection", "previous_id", string="Next Attempts")
    next_id = fields.Many2one(
        "mto.quality.inspection", compute="_compute_next_id", string="Next Attempt"
    )

    _sql_constraints = [
        ("name_unique", "unique(name)", "An inspection reference is unique."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("mto.quality.inspection")
        return super().create(vals_list)

    @api.depends("state", "attempt", "decided_on", "next_ids.create_date")
    def _compute_reporting(self):
        for inspection in self:
            inspection.first_pass = inspection.attempt == 1 and inspection.state == "passed"
            inspection.first_pass_yield = 100.0 if inspection.first_pass else 0.0
            following = inspection.next_ids[:1]
            inspection.days_lost = (
                max((following.create_date - inspection.decided_on).total_seconds(), 0) / 86400
                if inspection.state == "failed" and following.create_date and inspection.decided_on
                else 0.0
            )

    @api.depends("next_ids")
    def _compute_next_id(self):
        for inspection in self:
            inspection.next_id = inspection.next_ids[:1]

    # ------------------------------------------------------------------ creation

    @api.model
    def _prepare_inspection_vals(self, piece, move=None, previous=None):
        checklist = piece.product_id.product_tmpl_id._mto_quality_checklist()
        move = move or (previous.move_id if previous else self.env["stock.move"])
        return {
            "piece_id": piece.id,
            "move_id": move.id,
            "checklist_id": checklist.id,
            "previous_id": previous.id if previous else False,
            "attempt": previous.attempt + 1 if previous else 1,
            "line_ids": [
                fields.Command.create(item._prepare_inspection_line_vals())
                for item in checklist.item_ids
            ],
        }

    @api.model
    def _create_for_pieces(self, pieces, move=None):
        """Inspections for pieces that arrived, unless one is already open or decided."""
        vals = []
        for piece in pieces:
            latest = piece.mto_inspection_id
            if latest and latest.state != "failed":
                continue  # already inspected or waiting for inspection
            vals.append(self._prepare_inspection_vals(piece, move=move, previous=latest or None))
        return self.create(vals)

    # ------------------------------------------------------------------ decisions

    def _ensure_undecided(self):
        """Raise unless every inspection still waits for its decision."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        for inspection in self:
            if inspection.state != "todo":
                raise UserError(
                    _(
                        "%(name)s is already decided (%(state)s).",
                        name=inspection.name,
                        state=labels[inspection.state],
                    )
                )

    def _missing_answers(self):
        self.ensure_one()
        return self.line_ids.filtered(lambda line: line.required and not line.answered)

    def _decide(self, state, message, reason=None):
        self.write(
            {
                "state": state,
                "decided_by_id": self.env.user.id,
                "decided_on": fields.Datetime.now(),
                "decision_reason": reason,
            }
        )
        for inspection in self:
            inspection.message_post(body=message)

    def action_pass(self):
        self._ensure_undecided()
        for inspection in self:
            missing = inspection._missing_answers()
            if missing:
                raise UserError(
                    _(
                        "%(name)s cannot be approved yet: answer %(items)s.",
                        name=inspection.name,
                        items=", ".join(missing.mapped("name")),
                    )
                )
            failed = inspection.line_ids.filtered(lambda line: line.result == "fail")
            if failed:
                raise UserError(
                    _(
                        "%(name)s has failed items (%(items)s): fail the inspection "
                        "or ask a quality manager to accept a deviation.",
                        name=inspection.name,
                        items=", ".join(failed.mapped("name")),
                    )
                )
        self._decide("passed", _("Inspection passed."))
        self._notify_order_passed()
        return True

    def _notify_order_passed(self):
        """Once every piece of an order passed, tell whoever listens (the customer's text
        message, where the Twilio bridge is installed)."""
        for order in self.purchase_id:
            pieces = order.sudo().mto_piece_ids
            if all(piece.quality_state in DELIVERABLE for piece in pieces):
                order._mto_on_quality_passed()

    def action_fail(self):
        """The piece goes back to its manufacturer for rework, with the defects."""
        self._ensure_undecided()
        for inspection in self:
            failed = inspection.line_ids.filtered(lambda line: line.result == "fail")
            if not (failed or inspection.defect_ids):
                raise UserError(
                    _(
                        "%(name)s: record the defect (a failed item or a defect) "
                        "before failing the inspection.",
                        name=inspection.name,
                    )
                )
            for line in failed.filtered(lambda line: not line.defect_ids):
                self.env["mto.quality.defect"].create(
                    {
                        "inspection_id": inspection.id,
                        "line_id": line.id,
                        "type_id": self.env.ref("mto_quality.defect_type_other").id,
                        "severity": "major",
                        "description": line._describe_result(),
                        "photo_ids": [fields.Command.set(line.photo_ids.ids)],
                    }
                )
        self._decide("failed", _("Inspection failed: back to the manufacturer for rework."))
        for inspection in self:
            inspection._send_back_for_rework()
        return True

    def _defects_html(self):
        self.ensure_one()
        severities = dict(
            self.env["mto.quality.defect"]._fields["severity"]._description_selection(self.env)
        )
        rows = Markup("").join(
            Markup("<li><strong>%s</strong> (%s): %s</li>")
            % (
                defect.type_id.name,
                severities[defect.severity],
                defect.description,
            )
            for defect in self.defect_ids
        )
        return Markup("<ul>%s</ul>") % rows

    def _send_back_for_rework(self):
        """Rework: the purchase order goes to Rework and the manufacturer sees the defects."""
        self.ensure_one()
        order = self.purchase_id.sudo()
        summary = Markup("<p>%s</p>%s") % (
            _(
                "Piece %(code)s failed quality control (%(name)s):",
                code=self.piece_id.code,
                name=self.name,
            ),
            self._defects_html(),
        )
        if order.mto_state == "completed":
            order.action_mto_rework(reason=summary)
        photos = self.defect_ids.photo_ids | self.line_ids.photo_ids
        order.message_post(
            body=summary,
            partner_ids=order.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=[(photo.name, photo.raw) for photo in photos],
        )

    def _ensure_quality_manager(self):
        """Raise unless the user is a quality manager."""
        if not self.env.user.has_group("mto_quality.group_quality_manager"):
            raise AccessError(_("Only a quality manager can take this decision."))

    def action_accept_deviation(self, reason):
        self._ensure_quality_manager()
        self._ensure_undecided()
        if not (reason or "").strip():
            raise UserError(_("Say why the piece is accepted with a deviation."))
        self._decide(
            "deviation",
            Markup("%s<br/>%s")
            % (_("Accepted with a deviation by %(user)s.", user=self.env.user.name), reason),
            reason=reason,
        )
        return True

    def action_scrap(self, reason):
        self._ensure_quality_manager()
        self._ensure_undecided()
        if not (reason or "").strip():
            raise UserError(_("Say why the piece is scrapped."))
        self._decide(
            "scrapped",
            Markup("%s<br/>%s")
            % (_("Piece scrapped by %(user)s.", user=self.env.user.name), reason),
            reason=reason,
        )
        return True

    def action_open_decision_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Quality Manager Decision"),
            "res_model": "mto.quality.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_inspection_id": self.id},
        }


class MtoQualityInspectionLine(models.Model):
    """One checklist item of one inspection, with the controller's answer."""

    _name = "mto.quality.inspection.line"
    _description = "Inspection Item"
    _order = "sequence, id"

    inspection_id = fields.Many2one(
        "mto.quality.inspection", required=True, ondelete="cascade", index=True
    )
    inspection_state = fields.Selection(related="inspection_id.state")
    item_id = fields.Many2one("mto.quality.checklist.item", readonly=True)
    sequence = fields.Integer(readonly=True)
    name = fields.Char(required=True, readonly=True)
    kind = fields.Selection(ITEM_KINDS, required=True, readonly=True)
    required = fields.Boolean(readonly=True)
    target = fields.Float(readonly=True, digits="Product Unit of Measure")
    tolerance = fields.Float(readonly=True, digits="Product Unit of Measure")
    uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    pass_fail = fields.Selection([("pass", "Pass"), ("fail", "Fail")], string="Pass/Fail")
    measured_value = fields.Float(digits="Product Unit of Measure")
    measured = fields.Boolean(help="A value was measured (0 can be a real measure).")
    observation = fields.Text()
    photo_ids = fields.Many2many("ir.attachment", string="Photos")
    result = fields.Selection(
        [("pass", "Pass"), ("fail", "Fail")], compute="_compute_result", store=True
    )
    answered = fields.Boolean(compute="_compute_result", store=True)
    recorded_by_id = fields.Many2one("res.users", readonly=True)
    recorded_on = fields.Datetime(readonly=True)
    defect_ids = fields.One2many("mto.quality.defect", "line_id")

    @api.depends(
        "kind",
        "pass_fail",
        "measured",
        "measured_value",
        "target",
        "tolerance",
        "observation",
        "photo_ids",
    )
    def _compute_result(self):
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for line in self:
            result, answered = False, False
            if line.kind == "pass_fail":
                result, answered = line.pass_fail or False, bool(line.pass_fail)
            elif line.kind == "measurement" and line.measured:
                deviation = abs(line.measured_value - line.target)
                within = float_compare(deviation, line.tolerance, precision_digits=precision) <= 0
                result, answered = ("pass" if within else "fail"), True
            elif line.kind == "photo":
                answered = bool(line.photo_ids)
                result = "pass" if answered else False
            elif line.kind == "text":
                answered = bool((line.observation or "").strip())
                result = "pass" if answered else False
            line.result, line.answered = result, answered

    @api.onchange("measured_value")
    def _onchange_measured_value(self):
        if self.kind == "measurement":
            self.measured = True

    def _describe_result(self):
        self.ensure_one()
        if self.kind == "measurement":
            return _(
                "%(item)s measured %(value)s %(unit)s, expected %(target)s +/- %(tol)s",
                item=self.name,
                value=self.measured_value,
                unit=self.uom_id.name or "",
                target=self.target,
                tol=self.tolerance,
            )
        return _("%(item)s failed", item=self.name) + (
            f": {self.observation}" if self.observation else ""
        )

    ANSWER_FIELDS = ("pass_fail", "measured_value", "measured", "observation", "photo_ids")

    def write(self, vals):
        answers = set(self.ANSWER_FIELDS).intersection(vals)
        if answers:
            decided = self.filtered(lambda line: line.inspection_id.state != "todo")
            if decided and not self.env.user.has_group("mto_quality.group_quality_manager"):
                raise AccessError(
                    _("The inspection is decided: only a quality manager may change its results.")
                )
            if "measured_value" in vals and "measured" not in vals:
                vals = dict(vals, measured=True)
            vals = dict(vals, recorded_by_id=self.env.user.id, recorded_on=fields.Datetime.now())
            before = {line.id: line._describe_answer() for line in decided}
        res = super().write(vals)
        if answers:
            for line in decided:
                line.inspection_id.message_post(
                    body=Markup("%s<br/>%s &rarr; %s")
                    % (
                        _("%(user)s changed a decided result:", user=self.env.user.name),
                        escape(before[line.id]),
                        escape(line._describe_answer()),
                    )
                )
        return res

    def _describe_answer(self):
        self.ensure_one()
        if self.kind == "measurement":
            return f"{self.name}: {self.measured_value:g} {self.uom_id.name or ''}".strip()
        if self.kind == "pass_fail":
            return f"{self.name}: {self.pass_fail or '-'}"
        if self.kind == "photo":
            return f"{self.name}: {len(self.photo_ids)} photo(s)"
        return f"{self.name}: {self.observation or '-'}"
