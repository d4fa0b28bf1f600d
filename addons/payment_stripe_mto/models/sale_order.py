import logging

from odoo import Command, _, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    stripe_mto_exception = fields.Boolean(
        string="Payment Exception",
        copy=False,
        tracking=True,
        help="A balance charge failed, needs the customer, or a payment is disputed: "
        "the back office follows it up.",
    )
    stripe_mto_exception_note = fields.Text(string="Payment Exception Reason", copy=False)

    def _mto_get_amount_paid(self):
        paid = super()._mto_get_amount_paid()
        # Price changes settled through Stripe: an invoice of the extra (counted once paid)
        # or a credit note of the overpayment (counted once issued).
        for move in (
            self.env["account.move"]
            .sudo()
            .search([("stripe_mto_price_change_order_id", "=", self.id), ("state", "=", "posted")])
        ):
            if move.move_type == "out_refund":
                amount = -move.amount_total
            else:
                amount = move.amount_total - move.amount_residual
            paid += move.currency_id._convert(
                amount, self.currency_id, self.company_id, fields.Date.today()
            )
        return paid

    # ------------------------------------------------------------------ saved card

    def _stripe_mto_saved_token(self):
        """The card the customer agreed to save for this order's later charges."""
        self.ensure_one()
        transactions = self.sudo().transaction_ids.filtered(
            lambda tx: tx.provider_code == "stripe" and tx.state == "done" and tx.token_id.active
        )
        return transactions.sorted("id")[-1:].token_id

    # ------------------------------------------------------------------ exceptions

    def _stripe_mto_raise_exception(self, reason, *, summary=None):
        """Put the orders in the back office's exception list and give someone the task."""
        for order in self:
            order.write({"stripe_mto_exception": True, "stripe_mto_exception_note": reason})
            order.message_post(body=reason)
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary or _("Payment exception"),
                note=reason,
                user_id=(order.user_id or self.env.ref("base.user_admin")).id,
            )

    def action_stripe_mto_resolve_exception(self):
        self.write({"stripe_mto_exception": False, "stripe_mto_exception_note": False})

    def _stripe_mto_send_payment_link(self, amount, document=None):
        """E-mail the customer the portal page where they pay ``amount`` themselves
        (``document``: the invoice, or the order)."""
        document = (document or self).sudo()
        link = document.get_base_url() + document.get_portal_url()
        document.message_post(
            body=_(
                "We could not charge %(amount)s to your saved card. Please pay securely "
                "here: %(link)s",
                amount=document.currency_id.format(amount),
                link=link,
            ),
            partner_ids=document.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self._mto_payment_link_sent(amount, link, document)
        return link

    # ------------------------------------------------------------------ price changes

    def action_mto_settle_difference(self):
        """Through Stripe when the order was paid with it: charge the saved card for the
        extra, or refund the overpayment onto the card, each reconciled in accounting.
        Otherwise the made-to-order way (payment link, credit note). The charge and the
        refund run as superuser: the rights are checked first."""
        self._mto_check_settle_rights()
        self.ensure_one()
        difference = self._mto_price_difference()
        stripe_done = self.sudo().transaction_ids.filtered(
            lambda tx: tx.provider_code == "stripe" and tx.state == "done"
        )
        if self.currency_id.is_zero(difference) or not stripe_done:
            return super().action_mto_settle_difference()
        if difference > 0:
            token = self._stripe_mto_saved_token()
            if not token:
                return super().action_mto_settle_difference()
            invoice = self._stripe_mto_create_price_change_move(difference, "out_invoice")
            tx = self.env["payment.transaction"]._stripe_mto_charge_token(
                token, difference, self.currency_id, invoices=invoice
            )
        else:
            tx = self._stripe_mto_refund(-difference)
        return tx._get_records_action(name=_("Stripe Transaction"))

    def _stripe_mto_refund(self, amount):
        """Refund ``amount`` of the Stripe payments onto the card, against a credit note."""
        self.ensure_one()
        sources = (
            self.sudo()
            .transaction_ids.filtered(
                lambda tx: tx.provider_code == "stripe" and tx.state == "done" and tx.amount > 0
            )
            .sorted("id", reverse=True)
        )
        source = next((tx for tx in sources if tx._stripe_mto_refundable() >= amount), None)
        if source is None:
            raise UserError(
                _(
                    "No single Stripe payment of %(order)s covers a refund of %(amount)s.",
                    order=self.name,
                    amount=self.currency_id.format(amount),
                )
            )
        credit_note = self._stripe_mto_create_price_change_move(amount, "out_refund")
        refund_tx = source._stripe_mto_refund(amount, invoices=credit_note)
        return refund_tx

    def _prepare_stripe_mto_price_change_move_vals(self, amount, move_type):
        """An invoice (``out_invoice``) of a price increase or a credit note (``out_refund``)
        of a decrease, settled through Stripe."""
        self.ensure_one()
        line = self.order_line.filtered(
            lambda sol: not sol.display_type and not sol.is_downpayment
        )[:1]
        account = line.product_id.product_tmpl_id._get_product_accounts()["income"]
        return {
            "move_type": move_type,
            "partner_id": self.partner_invoice_id.id,
            "currency_id": self.currency_id.id,
            "company_id": self.company_id.id,
            "invoice_origin": self.name,
            # Not linked to the order's lines: what was delivered does not change, only the
            # price; the order reads it through this field (see _mto_get_amount_paid).
            "stripe_mto_price_change_order_id": self.id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": _("Price change on %(order)s", order=self.name),
                        "quantity": 1,
                        "price_unit": amount,
                        "account_id": account.id,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }

    def _stripe_mto_create_price_change_move(self, amount, move_type):
        move = (
            self.env["account.move"]
            .sudo()
            .with_context(stripe_mto_no_charge=True)
            .create(self._prepare_stripe_mto_price_change_move_vals(amount, move_type))
        )
        move.with_context(stripe_mto_no_charge=True).action_post()
        return move
