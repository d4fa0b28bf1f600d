from markupsafe import Markup, escape
from psycopg2 import errors as pg_errors

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

MTO_STATES = [
    ("to_validate", "To Validate"),
    ("awaiting", "Awaiting Manufacturer"),
    ("accepted", "Accepted"),
    ("in_production", "In Production"),
    ("completed", "Completed"),
    ("declined", "Declined"),
    ("rework", "Rework"),
]

# step: (states it may come from, state it leads to, what a user is told from another state)
MTO_TRANSITIONS = {
    "validate": (
        ("to_validate",),
        "awaiting",
        _lt("%(order)s is %(state)s: it cannot be validated now."),
    ),
    "accept": (
        ("awaiting",),
        "accepted",
        _lt("%(order)s is %(state)s: it cannot be accepted now."),
    ),
    "decline": (
        ("awaiting",),
        "declined",
        _lt("%(order)s is %(state)s: it cannot be declined now."),
    ),
    "start": (
        ("accepted",),
        "in_production",
        _lt("%(order)s is %(state)s: it cannot be started now."),
    ),
    "complete": (
        ("in_production", "rework"),
        "completed",
        _lt("%(order)s is %(state)s: it cannot be completed now."),
    ),
    "rework": (
        ("completed",),
        "rework",
        _lt("%(order)s is %(state)s: it cannot be sent back for rework now."),
    ),
    "reassign": (
        ("declined", "to_validate"),
        "to_validate",
        _lt("%(order)s is %(state)s: it cannot be given to another manufacturer now."),
    ),
}
# The manufacturer gives or changes the expected completion date while making the pieces.
MTO_EXPECTED_DATE_STATES = ("accepted", "in_production", "rework")
MTO_EXPECTED_DATE_REFUSAL = _lt(
    "%(order)s is %(state)s: its expected completion date cannot be changed now."
)


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    mto_state = fields.Selection(
        MTO_STATES,
        string="Production State",
        index=True,
        copy=False,
        readonly=True,
        tracking=True,
    )
    # Back office only: a sales order's display name (as the ORM computes it for a many2one,
    # as superuser) carries the customer's name; a manufacturer sees ``mto_customer_ref``.
    mto_sale_id = fields.Many2one(
        "sale.order",
        string="Made for",
        index="btree_not_null",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    mto_customer_ref = fields.Char(
        compute="_compute_mto_customer_ref",
        string="Customer Reference",
        help="The reference a manufacturer sees instead of the customer's contact details.",
    )
    mto_requested_date = fields.Datetime(string="Requested Delivery", copy=False, index=True)
    mto_expected_date = fields.Date(
        string="Expected Completion",
        tracking=True,
        copy=False,
        help="When the manufacturer expects the pieces to be finished.",
    )
    mto_is_late = fields.Boolean(compute="_compute_mto_is_late", search="_search_mto_is_late")
    mto_manager_note = fields.Html(
        string="Message for the Manufacturer",
        copy=False,
        help="Sent to the manufacturer with the order when it is validated.",
    )
    mto_decline_reason = fields.Text(string="Decline Reason", readonly=True, copy=False)
    mto_own_file_ids = fields.One2many(
        "mto.production.file", "purchase_id", string="Files for the Manufacturer"
    )
    mto_file_ids = fields.Many2many(
        "mto.production.file", compute="_compute_mto_file_ids", string="Production Files"
    )
    # The lines again, read-only, for the Production tab: a second ``order_line`` in the form
    # would make the editable one read-only for the form's clients (and Odoo's own tests).
    mto_specification_line_ids = fields.One2many(
        related="order_line", string="Specification Lines", readonly=True
    )
    mto_checklist = fields.Html(compute="_compute_mto_checklist", sanitize=False)
    mto_checklist_done = fields.Boolean(compute="_compute_mto_checklist")
    mto_piece_ids = fields.One2many("mto.piece", "purchase_id", string="Pieces")
    mto_piece_count = fields.Integer(compute="_compute_mto_piece_count")
    mto_change_request_ids = fields.One2many(
        "mto.change.request", "purchase_id", string="Change Requests"
    )
    mto_pending_change_count = fields.Integer(compute="_compute_mto_pending_change_count")

    @api.depends("mto_sale_id.name")
    def _compute_mto_customer_ref(self):
        # The reference is what the manufacturer may know of the sales order, so it is read
        # for whoever reads the purchase order (a portal user cannot read sales orders).
        for order in self:
            order.mto_customer_ref = order.sudo().mto_sale_id.name or False

    @api.depends("mto_requested_date", "mto_expected_date", "mto_state")
    def _compute_mto_is_late(self):
        now = fields.Datetime.now()
        for order in self:
            due = order.mto_requested_date
            order.mto_is_late = bool(
                due and due < now and order.mto_state not in (False, "completed")
            )

    def _search_mto_is_late(self, operator, value):
        late = [
            ("mto_requested_date", "<", fields.Datetime.now()),
            ("mto_state", "not in", (False, "completed")),
        ]
        positive = (operator == "=") == bool(value)
        if positive:
            return late
        return [
            "|",
            "|",
            ("mto_requested_date", "=", False),
            ("mto_requested_date", ">=", fields.Datetime.now()),
            ("mto_state", "in", (False, "completed")),
        ]

    @api.depends(
        "order_line.mto_sale_line_id.mto_file_ids",
        "mto_own_file_ids",
        "order_line.product_id.product_tmpl_id.mto_file_ids",
    )
    def _compute_mto_file_ids(self):
        for order in self:
            lines = order.order_line
            order.mto_file_ids = (
                lines.mto_sale_line_id.mto_file_ids
                | lines.product_id.product_tmpl_id.mto_file_ids
                | order.mto_own_file_ids
            )

    def _compute_mto_piece_count(self):
        for order in self:
            order.mto_piece_count = len(order.mto_piece_ids)

    @api.depends("mto_change_request_ids.state")
    def _compute_mto_pending_change_count(self):
        for order in self:
            order.mto_pending_change_count = len(
                order.mto_change_request_ids.filtered(lambda r: r.state == "pending")
            )

    # ------------------------------------------------------------------ checklist

    def _mto_checklist_items(self):
        """[(done, text)]: what a manager checks before the order goes to the manufacturer."""
        self.ensure_one()
        items = []
        partner = self.partner_id
        items.append(
            (
                partner.is_manufacturer,
                _("%(partner)s is a manufacturer", partner=partner.display_name),
            )
        )
        lines = self.order_line.filtered(lambda line: not line.display_type and line.product_qty)
        items.append((bool(lines), _("The order has at least one line to make")))
        files = self.mto_file_ids
        for line in lines:
            product = line.product_id
            sale_line = line.mto_sale_line_id
            given = {m.type_id: m.value for m in sale_line.mto_measurement_ids}
            for kind in product.categ_id.mto_measurement_type_ids.filtered("required"):
                items.append(
                    (
                        bool(given.get(kind)),
                        _(
                            "%(product)s: %(measure)s given",
                            product=product.display_name,
                            measure=kind.name,
                        ),
                    )
                )
            for custom in sale_line.product_custom_attribute_value_ids:
                items.append(
                    (
                        bool(custom.custom_value),
                        _(
                            "%(product)s: %(attribute)s specified",
                            product=product.display_name,
                            attribute=custom.custom_product_template_attribute_value_id.display_name,
                        ),
                    )
                )
            line_files = files.filtered(
                lambda f, line=line: (
                    f.purchase_id == self
                    or f.sale_line_id == line.mto_sale_line_id
                    or f.product_tmpl_id == line.product_id.product_tmpl_id
                )
            )
            for doc_type in product.categ_id.mto_document_type_ids:
                items.append(
                    (
                        doc_type in line_files.document_type_id,
                        _(
                            "%(product)s: %(document)s attached",
                            product=product.display_name,
                            document=doc_type.name,
                        ),
                    )
                )
        return items

    @api.depends(
        "partner_id.is_manufacturer",
        "order_line.product_qty",
        "mto_file_ids",
        "order_line.mto_sale_line_id.mto_measurement_ids.value",
        "order_line.mto_sale_line_id.product_custom_attribute_value_ids.custom_value",
    )
    def _compute_mto_checklist(self):
        for order in self:
            if not order.mto_state:
                order.mto_checklist = False
                order.mto_checklist_done = False
                continue
            items = order._mto_checklist_items()
            order.mto_checklist_done = all(done for done, _text in items)
            order.mto_checklist = Markup('<ul class="list-unstyled o_mto_checklist">%s</ul>') % (
                Markup("").join(
                    Markup('<li class="%s"><i class="fa %s"/> %s</li>')
                    % (
                        "text-success" if done else "text-danger",
                        "fa-check" if done else "fa-times",
                        escape(text),
                    )
                    for done, text in items
                )
            )

    # ------------------------------------------------------------------ transitions

    def _mto_lock(self):
        """Lock the order for a state change; a concurrent change gets a clear message."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM purchase_order WHERE id IN %s FOR UPDATE NOWAIT",
                    [tuple(self.ids)],
                )
        except pg_errors.LockNotAvailable:
            raise UserError(
                _(
                    "Someone else is changing %(order)s right now. Reload the page and try again.",
                    order=", ".join(self.mapped("name")),
                )
            ) from None
        self.invalidate_recordset(["mto_state"])

    def _mto_can(self, step):
        """Whether the order's production state allows ``step`` now: a step of
        ``MTO_TRANSITIONS``, or ``"expected_date"`` (the manufacturer gives its expected
        completion date). The portal offers what this allows."""
        self.ensure_one()
        if step == "expected_date":
            return self.mto_state in MTO_EXPECTED_DATE_STATES
        return self.mto_state in MTO_TRANSITIONS[step][0]

    def _mto_refusal(self, step):
        """Why ``step`` cannot be taken in the order's state, in the user's language."""
        self.ensure_one()
        labels = dict(self._fields["mto_state"]._description_selection(self.env))
        template = (
            MTO_EXPECTED_DATE_REFUSAL if step == "expected_date" else MTO_TRANSITIONS[step][2]
        )
        return self.env._(template) % {
            "order": self.name,
            "state": labels.get(self.mto_state) or _("not a manufacturer order"),
        }

    def _mto_transition(self, step, message, on_transition=None):
        """Move each order along ``step`` of ``MTO_TRANSITIONS``.

        Checks the current state under a row lock (a second click, a second user or a replayed
        request gets a clear error, not a second transition), runs ``on_transition(order)``
        (the step's own work, an ``_mto_on_<step>`` method other modules extend), then moves
        the state and logs who did what in the chatter.
        """
        target = MTO_TRANSITIONS[step][1]
        for order in self:
            order._mto_lock()
            if not order._mto_can(step):
                raise UserError(order._mto_refusal(step))
            if on_transition:
                on_transition(order)
            order.mto_state = target
            order._mto_notify(message)
        return True

    def _mto_notify(self, message):
        """Log a production step in the chatter; followers (the back office) are notified."""
        self.ensure_one()
        self.sudo().message_post(
            body=message,
            subtype_xmlid="mto_production.mt_production_update",
            author_id=self.env.user.partner_id.id,
        )

    def write(self, vals):
        if "origin" in vals and not self.env.context.get("mto_keep_origin"):
            # Procurement appends "<order> - <customer's reference>"; a manufacturer sees only
            # the order's number.
            for order in self.filtered("mto_sale_id"):
                super(PurchaseOrder, order.with_context(mto_keep_origin=True)).write(
                    dict(vals, origin=order.mto_sale_id.name)
                )
            others = self.filtered(lambda o: not o.mto_sale_id)
            return super(PurchaseOrder, others).write(vals) if others else True
        return super().write(vals)

    def button_confirm(self):
        if not self.env.context.get("mto_accepting") and any(self.mapped("mto_state")):
            raise UserError(
                _(
                    "Made-to-order orders are confirmed when their manufacturer accepts them: "
                    "use Validate & Send, then Accepted by Manufacturer."
                )
            )
        return super().button_confirm()

    def action_mto_validate(self):
        """Validate & send: only validators, only with a complete checklist."""
        if not (self.env.su or self.env.user.has_group("mto_production.group_mto_validator")):
            raise AccessError(_("Only a sales manager can validate an order for a manufacturer."))
        for order in self:
            missing = [text for done, text in order._mto_checklist_items() if not done]
            if missing:
                raise UserError(
                    _(
                        "%(order)s cannot be sent to %(partner)s yet. Missing:\n%(missing)s",
                        order=order.name,
                        partner=order.partner_id.display_name,
                        missing="\n".join(f"- {text}" for text in missing),
                    )
                )
        return self._mto_transition(
            "validate",
            _("Validated and sent to the manufacturer."),
            on_transition=lambda order: order._mto_on_validate(),
        )

    def _mto_on_validate(self):
        if self.state == "draft":
            self.state = "sent"
        self.message_subscribe(partner_ids=self.partner_id.ids)
        body = Markup("<p>%s</p>") % _(
            "A new order awaits you: %(order)s (reference %(ref)s).",
            order=self.name,
            ref=self.mto_customer_ref or "-",
        )
        if self.mto_manager_note:
            body += self.mto_manager_note
        self.sudo().message_post(
            body=body,
            partner_ids=self.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )

    def action_mto_accept(self):
        return self._mto_transition(
            "accept",
            _("The manufacturer accepted the order."),
            on_transition=lambda order: order._mto_on_accept(),
        )

    def _mto_on_accept(self):
        self.sudo().with_context(mto_accepting=True).button_confirm()
        self.env["mto.piece"].sudo()._mto_create_for(self.order_line)

    def action_mto_decline(self):
        self.ensure_one()
        return self.env["mto.reason.wizard"]._mto_open(self, "decline")

    def _mto_decline(self, reason):
        return self._mto_transition(
            "decline",
            Markup("%s<br/>%s")
            % (_("The manufacturer declined the order."), _("Reason: %(reason)s", reason=reason)),
            on_transition=lambda order: order._mto_on_decline(reason),
        )

    def _mto_on_decline(self, reason):
        self.mto_decline_reason = reason

    def action_mto_start(self):
        return self._mto_transition("start", _("Production started."))

    def action_mto_complete(self):
        return self._mto_transition(
            "complete",
            _("Production completed."),
            on_transition=lambda order: order._mto_on_complete(),
        )

    def _mto_on_complete(self):
        """The manufacturer finished the pieces (the quality module plans their inspection)."""

    def _mto_on_quality_passed(self):
        """Hook: every piece of the order passed quality control (called by the quality
        module; the SMS bridge texts the customer)."""

    def action_mto_rework(self, reason=None):
        message = _("Sent back for rework.")
        if reason:
            message = Markup("%s<br/>%s") % (message, reason)
        return self._mto_transition("rework", message)

    def _mto_reassign(self, manufacturer):
        """Give a declined (or not yet sent) order to another manufacturer."""
        if not manufacturer.is_manufacturer:
            raise UserError(
                _("%(partner)s is not a manufacturer.", partner=manufacturer.display_name)
            )
        return self._mto_transition(
            "reassign",
            _(
                "Reassigned from %(old)s to %(new)s.",
                old=self.partner_id.display_name,
                new=manufacturer.display_name,
            ),
            on_transition=lambda order: order._mto_on_reassign(manufacturer),
        )

    def _mto_on_reassign(self, manufacturer):
        # Every follower of the previous manufacturer (its company and each of its people, who
        # may have followed by writing in the chat) loses the order.
        old_commercial = self.partner_id.commercial_partner_id
        leaving = self.message_partner_ids.filtered(
            lambda p: p.commercial_partner_id == old_commercial
        )
        self.message_unsubscribe(partner_ids=leaving.ids)
        self.write({"partner_id": manufacturer.id, "state": "draft", "mto_decline_reason": False})

    def _mto_back_to_validation(self, reason):
        """The customer's specification changed before acceptance: validate again."""
        for order in self.filtered(
            lambda o: o.mto_state in ("awaiting", "declined", "to_validate")
        ):
            order._mto_lock()
            was = order.mto_state
            order.write({"mto_state": "to_validate", "state": "draft"})
            if was != "to_validate":
                order._mto_notify(
                    Markup("%s<br/>%s")
                    % (_("Back to validation: the customer's order changed."), reason)
                )
            else:
                order._mto_notify(reason)

    def _mto_withdraw_lines(self, purchase_lines):
        """Withdraw lines the manufacturer has not accepted; cancel the order if none is left."""
        self.ensure_one()
        self._mto_lock()
        names = ", ".join(purchase_lines.product_id.mapped("display_name"))
        remaining = self.order_line.filtered(lambda pol: not pol.display_type) - purchase_lines
        if remaining:
            purchase_lines.sudo().unlink()
            message = _("Withdrawn, the customer cancelled: %(products)s.", products=names)
        else:
            self.sudo().button_cancel()
            message = _("Cancelled: the customer cancelled %(products)s.", products=names)
        self._mto_notify(message)
        if self.mto_sale_id:
            self.mto_sale_id.message_post(
                body=_(
                    "%(order)s (%(partner)s): %(message)s",
                    order=self.name,
                    partner=self.partner_id.display_name,
                    message=message,
                )
            )

    def action_view_mto_pieces(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("mto_production.action_mto_piece")
        action["domain"] = [("purchase_id", "=", self.id)]
        return action

    def action_print_mto_labels(self):
        self.ensure_one()
        if not self.mto_piece_ids:
            raise UserError(
                _(
                    "%(order)s has no piece codes yet: they are created when the "
                    "manufacturer accepts the order.",
                    order=self.name,
                )
            )
        return self.env.ref("mto_production.action_report_mto_piece_labels").report_action(self)
