from odoo import _, fields, models

from odoo.addons.queue_job.job import identity_exact


class AccountMove(models.Model):
    _inherit = "account.move"

    stripe_mto_price_change_order_id = fields.Many2one(
        "sale.order",
        string="Price Change of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Invoice or credit note of a price changed after payment, settled through Stripe.",
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        if not self.env.context.get("stripe_mto_no_charge"):
            posted._stripe_mto_balance_invoices()._stripe_mto_enqueue_balance_charge()
        return posted

    def _stripe_mto_enqueue_balance_charge(self):
        """Charge each balance invoice in a job of its own, run once the posting is committed:
        a charge made at Stripe is never lost with a posting rolled back afterwards. One job
        per invoice while it waits (posting twice, a double click, queue nothing more). The
        job charges as superuser: whoever posted (a warehouse user validating the delivery)
        needs no payment or accounting rights."""
        for invoice in self:
            invoice.sudo().with_delay(
                identity_key=identity_exact,
                description=_("Charge the balance of %(invoice)s", invoice=invoice.name),
            )._stripe_mto_charge_balance()
            invoice.message_post(
                body=_("The balance will be charged to the card saved at the deposit."),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )

    def _stripe_mto_balance_invoices(self):
        """Posted balance invoices of orders with a deposit (not the deposit invoice itself,
        which its transaction pays)."""
        return self.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and not move.transaction_ids
                and not move.currency_id.is_zero(move.amount_residual)
                and any(not line.is_downpayment for line in move.invoice_line_ids.sale_line_ids)
                and len(move.invoice_line_ids.sale_line_ids.order_id) == 1
                and move.invoice_line_ids.sale_line_ids.order_id.mto_has_deposit
            )
        )

    def _stripe_mto_charge_balance(self):
        """Charge each balance invoice to the card saved at the deposit, off-session (the
        job queued at posting). Safe to run again: an invoice paid meanwhile, reset to draft,
        or with a charge already made or tried is no longer a balance to charge."""
        transactions = self.env["payment.transaction"]
        for invoice in self._stripe_mto_balance_invoices():
            order = invoice.invoice_line_ids.sale_line_ids.order_id
            invoice._stripe_mto_use_outstanding_payments(order)
            if invoice.currency_id.is_zero(invoice.amount_residual):
                continue
            token = order._stripe_mto_saved_token()
            if not token:
                order._stripe_mto_send_payment_link(invoice.amount_residual, invoice)
                order._stripe_mto_raise_exception(
                    _(
                        "No saved card to charge the balance of %(invoice)s: a payment link "
                        "was sent to the customer.",
                        invoice=invoice.name,
                    ),
                    summary=_("Balance not charged"),
                )
                continue
            transactions |= self.env["payment.transaction"]._stripe_mto_charge_token(
                token,
                invoice.amount_residual,
                invoice.currency_id,
                sale_orders=order,
                invoices=invoice,
            )
        return transactions

    def _stripe_mto_use_outstanding_payments(self, order):
        """Reconcile with this invoice the order's earlier Stripe payments not yet matched
        (an extra charged after a price change)."""
        self.ensure_one()
        lines = (
            order.sudo()
            .transaction_ids.filtered(
                lambda tx: tx.provider_code == "stripe" and tx.state == "done" and tx.payment_id
            )
            .payment_id.move_id.line_ids.filtered(
                lambda line: (
                    line.account_id
                    == self.line_ids.filtered(lambda aml: aml.display_type == "payment_term")[
                        :1
                    ].account_id
                    and not line.reconciled
                    and line.credit
                )
            )
        )
        for line in lines:
            self.js_assign_outstanding_line(line.id)
