from markupsafe import Markup
from psycopg2 import errors as pg_errors

from odoo import _, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

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


# One model in two files on purpose: the made-to-order fields and checklist in purchase_order.py,
# the production state machine here (each file under 500 lines).
class PurchaseOrder(models.Model):
    """The production steps of a made-to-order ``purchase.order``: validate, accept, decline,
    start, complete, rework, reassign, each under a row lock and logged in the chatter."""

    _inherit = "purchase.order"  # pylint: disable=consider-merging-classes-inherited

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
