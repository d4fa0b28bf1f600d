from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

# Who may settle a price difference after payment (also the groups of the view's button).
MTO_SETTLE_GROUPS = ("sales_team.group_sale_manager", "account.group_account_invoice")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    mto_released = fields.Boolean(
        string="Released to Production",
        readonly=True,
        copy=False,
        help="A sales manager released the made-to-order lines before full payment.",
    )
    mto_amount_paid = fields.Monetary(compute="_compute_mto_amount_paid", string="Amount Paid")
    mto_purchase_ids = fields.One2many(
        "purchase.order",
        "mto_sale_id",
        string="Manufacturer Orders",
        readonly=True,
        groups="purchase.group_purchase_user",
    )
    mto_purchase_count = fields.Integer(compute="_compute_mto_purchase_count")
    mto_awaiting_payment = fields.Boolean(
        compute="_compute_mto_awaiting_payment",
        help="Made-to-order lines wait for payment before they are ordered.",
    )
    mto_has_difference = fields.Boolean(
        compute="_compute_mto_amount_paid",
        help="The total changed after payment: a payment link or a credit note is due.",
    )
    mto_progress = fields.Char(compute="_compute_mto_purchase_count", string="Production")
    mto_has_deposit = fields.Boolean(
        string="Deposit",
        compute="_compute_mto_has_deposit",
        help="The prepayment is a deposit: the balance is invoiced later.",
    )

    @api.depends("company_id.mto_deposit", "prepayment_percent")
    def _compute_mto_has_deposit(self):
        for order in self:
            order.mto_has_deposit = order.company_id.mto_deposit and (
                0 < order.prepayment_percent < 1
            )

    @api.depends("transaction_ids.state", "invoice_ids.amount_residual", "invoice_ids.state")
    def _compute_mto_amount_paid(self):
        for order in self:
            paid = order._mto_get_amount_paid()
            order.mto_amount_paid = paid
            order.mto_has_difference = bool(paid) and not order.currency_id.is_zero(
                order._mto_price_difference(paid)
            )

    @api.depends("mto_purchase_ids.mto_state")
    def _compute_mto_purchase_count(self):
        labels = dict(
            self.env["purchase.order"]._fields["mto_state"]._description_selection(self.env)
        )
        for order in self:
            # Salespeople see the progress without purchase rights.
            orders = order.sudo().mto_purchase_ids.filtered(lambda po: po.state != "cancel")
            order.mto_purchase_count = len(orders)
            counts = {}
            for po in orders:
                counts[po.mto_state] = counts.get(po.mto_state, 0) + 1
            order.mto_progress = ", ".join(
                f"{count} {labels.get(state, state)}" for state, count in counts.items()
            )

    @api.depends("order_line.mto_procurement", "state")
    def _compute_mto_awaiting_payment(self):
        for order in self:
            order.mto_awaiting_payment = order.state == "sale" and bool(order._mto_held_lines())

    # ------------------------------------------------------------------ payment

    def _mto_get_amount_paid(self):
        """Money received for the order, whichever provider took it.

        Payments through Odoo's payment providers (transactions) and payments registered on
        the order's invoices are both counted, the larger of the two, since a transaction
        that paid an invoice shows in both.
        """
        self.ensure_one()
        by_transactions = sum(
            tx.currency_id._convert(
                tx.amount, self.currency_id, self.company_id, fields.Date.today()
            )
            for tx in self.sudo().transaction_ids
            if tx.state == "done"
        )
        by_invoices = 0.0
        for move in self.sudo().invoice_ids.filtered(lambda m: m.state == "posted"):
            paid = move.amount_total - move.amount_residual
            sign = -1 if move.move_type == "out_refund" else 1
            by_invoices += sign * move.currency_id._convert(
                paid, self.currency_id, self.company_id, fields.Date.today()
            )
        return max(by_transactions, by_invoices)

    def _mto_prepayment_amount(self):
        """What is paid before the made-to-order lines go to the manufacturers: Odoo's
        prepayment share of the total (all of it when no share is set), whether the customer
        pays online or not."""
        self.ensure_one()
        return self.currency_id.round(self.amount_total * (self.prepayment_percent or 1.0))

    def _mto_payment_reached(self):
        self.ensure_one()
        required = self._mto_prepayment_amount()
        return self.currency_id.compare_amounts(self._mto_get_amount_paid(), required) >= 0

    def _mto_is_released(self):
        self.ensure_one()
        return self.mto_released or self._mto_payment_reached()

    def _mto_held_lines(self):
        return self.order_line.filtered(
            lambda line: (
                line.state == "sale"
                and line.product_id.mto_mode
                and not line.mto_procurement
                and not line.display_type
            )
        )

    def _mto_procure_paid_lines(self):
        """Order from the manufacturers the lines of orders that are now paid."""
        for order in self.filtered(lambda o: o.state == "sale"):
            held = order._mto_held_lines()
            if held and order._mto_is_released():
                held._action_launch_stock_rule()

    @api.model
    def _cron_mto_procure_paid_orders(self):
        """Safety net for payments that reached an order by a path no hook saw."""
        orders = self.search(
            [
                ("state", "=", "sale"),
                ("order_line.mto_mode", "!=", False),
                ("order_line.mto_procurement", "=", False),
            ]
        )
        orders._mto_procure_paid_lines()

    def action_confirm(self):
        res = super().action_confirm()
        self._mto_procure_paid_lines()
        return res

    def action_mto_release(self):
        """Open the wizard asking a sales manager why production starts before payment."""
        self.ensure_one()
        return self.env["mto.reason.wizard"]._mto_open(self, "release")

    def _mto_release(self, reason):
        if not (self.env.su or self.env.user.has_group("sales_team.group_sale_manager")):
            raise AccessError(_("Only a sales manager can release an unpaid order to production."))
        for order in self:
            order.mto_released = True
            order.message_post(
                body=Markup("%s<br/>%s")
                % (
                    _(
                        "Released to production before payment by %(user)s.",
                        user=self.env.user.name,
                    ),
                    _("Reason: %(reason)s", reason=reason),
                )
            )
        self._mto_procure_paid_lines()

    # ------------------------------------------------------------------ balance

    def _mto_balance_invoiceable(self):
        return self.filtered(
            lambda order: (
                order.state == "sale"
                and order.mto_has_deposit
                and order.invoice_status == "to invoice"
            )
        )

    def action_mto_invoice_balance(self):
        """The retailer invoices the balance now (a payment provider holding the customer's
        card may charge it when the invoice is posted)."""
        self.ensure_one()
        invoices = self._mto_invoice_balance()
        if not invoices:
            raise UserError(_("%(order)s has nothing left to invoice.", order=self.name))
        return invoices._get_records_action(name=_("Balance Invoice"))

    def _mto_invoice_balance(self):
        """Invoice and post what orders with a deposit still have to invoice."""
        orders = self._mto_balance_invoiceable()
        if not orders:
            return self.env["account.move"]
        invoices = orders.with_context(raise_if_nothing_to_invoice=False)._create_invoices(
            final=True
        )
        invoices.action_post()
        return invoices

    # ------------------------------------------------------------------ purchase orders

    def _prepare_mto_purchase_order_vals(self):
        """Values of a manufacturer's purchase order made for this sales order."""
        self.ensure_one()
        return {
            # The order's number only: the customer's own reference may name the customer.
            "origin": self.name,
            "mto_state": "to_validate",
            "mto_sale_id": self.id,
            "mto_requested_date": self.commitment_date or self.expected_date,
        }

    # ------------------------------------------------------------------ price changes

    def _mto_price_difference(self, paid=None):
        """What the customer still owes (positive) or was overpaid (negative); `paid` when the
        caller already has it."""
        self.ensure_one()
        if paid is None:
            paid = self._mto_get_amount_paid()
        return self.currency_id.round(self.amount_total - paid)

    def _mto_notify_price_difference(self):
        """The price changed after payment: tell the salesperson how to settle it."""
        for order in self.filtered(lambda o: o.state == "sale"):
            paid = order._mto_get_amount_paid()
            difference = order._mto_price_difference(paid)
            if not paid or order.currency_id.is_zero(difference):
                continue
            amount = order.currency_id.format(abs(difference))
            note = (
                _("The customer owes %(amount)s more: send a payment link.", amount=amount)
                if difference > 0
                else _("The customer paid %(amount)s too much: issue a credit note.", amount=amount)
            )
            order.message_post(body=note)
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                note=note,
                summary=_("Settle the price difference"),
                user_id=(order.user_id or self.env.user).id,
            )

    def _mto_payment_link_sent(self, amount, link, document):
        """Hook: the customer of the order was e-mailed ``link`` to pay ``amount`` (of
        ``document``: the order or one of its invoices) because a charge failed or needs them.
        Other channels add theirs here (the SMS module texts the link)."""
        return True

    def _get_default_payment_link_values(self):
        values = super()._get_default_payment_link_values()
        paid = self._mto_get_amount_paid() if self.state == "sale" else 0.0
        if self.currency_id.compare_amounts(paid, self.amount_paid) > 0:
            # Paid on invoices rather than online: the link asks only for what is still due.
            due = max(self._mto_price_difference(paid), 0.0)
            values.update(amount=due, amount_max=due, amount_paid=paid)
        return values

    def _mto_check_settle_rights(self):
        """Settling a price difference (a payment link, a credit note; a charge or a refund of
        the customer's card where a payment module does it) is for sales managers and
        billing people: never a salesperson alone, a customer or a manufacturer, whatever
        route they call it from."""
        user = self.env.user
        if not self.env.su and not any(user.has_group(group) for group in MTO_SETTLE_GROUPS):
            raise AccessError(
                _("Only sales managers and billing users settle a price difference after payment.")
            )

    def action_mto_settle_difference(self):
        """The Odoo way: a payment link for a balance due, a credit note for an overpayment
        (never an edit of a posted invoice)."""
        self._mto_check_settle_rights()
        self.ensure_one()
        difference = self._mto_price_difference()
        if self.currency_id.is_zero(difference):
            raise UserError(_("%(order)s is settled: nothing to pay or refund.", order=self.name))
        if difference > 0:
            return {
                "type": "ir.actions.act_window",
                "name": _("Payment Link"),
                "res_model": "payment.link.wizard",
                "view_mode": "form",
                "target": "new",
                "context": {
                    "active_model": self._name,
                    "active_id": self.id,
                    "default_amount": difference,
                },
            }
        invoice = self.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        )[-1:]
        if not invoice:
            raise UserError(_("%(order)s has no posted invoice to credit.", order=self.name))
        return {
            "type": "ir.actions.act_window",
            "name": _("Credit Note of %(amount)s", amount=self.currency_id.format(-difference)),
            "res_model": "account.move.reversal",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": "account.move", "active_ids": invoice.ids},
        }

    def action_view_mto_purchase(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mto_production.action_mto_production_queue"
        )
        action["domain"] = [("mto_sale_id", "=", self.id)]
        action["context"] = {}
        return action

    def _action_cancel(self):
        lines = self.order_line.filtered("mto_purchase_line_ids")
        res = super()._action_cancel()
        lines._mto_cancel_production()
        return res
