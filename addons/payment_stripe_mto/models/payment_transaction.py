import logging

from odoo import Command, _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import str2bool

from . import const
from .stripe_request import (
    StripeAuthenticationRequired,
    StripeGatewayError,
    StripeTemporaryError,
    from_minor_units,
    to_minor_units,
)

_logger = logging.getLogger(__name__)


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    # ------------------------------------------------------------------ idempotency

    def _stripe_mto_idempotency_key(self, scope):
        """Key of a write at Stripe for this transaction: the same transaction (double click,
        reload, retried job) always sends the same key, so Stripe never does it twice. The
        database uuid keeps two databases on one Stripe account apart."""
        self.ensure_one()
        db_uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        return f"odoo-{db_uuid[:8]}-{self.reference}-{scope}"[: const.IDEMPOTENCY_KEY_MAX_LENGTH]

    def _stripe_mto_minor_amount(self, amount=None):
        self.ensure_one()
        return to_minor_units(abs(self.amount if amount is None else amount), self.currency_id.name)

    # ------------------------------------------------------------------ payment intents

    def _stripe_create_intent(self):
        """PaymentIntents go through our gateway (pinned version, idempotency keys,
        automatic payment methods); SetupIntents (validation) stay Odoo's."""
        if self.provider_code != "stripe" or self.operation == "validation":
            return super()._stripe_create_intent()
        if self.operation in ("online_token", "offline"):
            return self._stripe_mto_charge_off_session()
        provider = self.provider_id
        self._stripe_mto_capture_method()  # refused before anything is sent to Stripe
        customer = provider._stripe_mto_call(
            "create_customer",
            self.partner_email or None,
            self.partner_name,
            {"odoo_partner_id": str(self.partner_id.id)},
            idempotency_key=self._stripe_mto_idempotency_key("customer"),
        )
        intent = provider._stripe_mto_call(
            "create_payment_intent",
            **self._prepare_stripe_mto_payment_intent_vals(customer["id"]),
        )
        # Known from now on: an event about this intent finds the transaction even when it
        # arrives before the customer is back from the payment page.
        self.provider_reference = intent["id"]
        return intent

    def _stripe_mto_capture_method(self):
        """``"manual"`` with Odoo's "Capture Amount Manually" (authorise only), else ``None``
        (Stripe captures at once). A deposit is never only authorised: the hold would expire
        long before the piece is made."""
        self.ensure_one()
        manual = self.provider_id.capture_manually
        if manual and self.sale_order_ids.filtered("mto_has_deposit"):
            raise ValidationError(self.provider_id._stripe_mto_manual_capture_message())
        return "manual" if manual else None

    def _prepare_stripe_mto_payment_intent_vals(self, customer_id):
        """Arguments of ``StripeGateway.create_payment_intent`` for the checkout."""
        self.ensure_one()
        return {
            "capture_method": self._stripe_mto_capture_method(),
            "amount_minor": self._stripe_mto_minor_amount(),
            "currency": self.currency_id.name,
            "customer": customer_id,
            # ``tokenize`` is the customer's explicit consent ticked on the payment form.
            "save_for_later": bool(self.tokenize),
            "metadata": {"odoo_reference": self.reference},
            "description": self.reference,
            "idempotency_key": self._stripe_mto_idempotency_key("payment_intent"),
        }

    def _stripe_mto_charge_off_session(self):
        """Charge the saved card without the customer; a failure never raises: the
        transaction goes in error and the back office and the customer are told."""
        self.ensure_one()
        try:
            return self.provider_id._stripe_client().charge_off_session(
                self._stripe_mto_minor_amount(),
                self.currency_id.name,
                self.token_id.provider_ref,
                self.token_id.stripe_payment_method,
                metadata={"odoo_reference": self.reference},
                description=self.reference,
                idempotency_key=self._stripe_mto_idempotency_key("off_session"),
            )
        except StripeTemporaryError as error:
            # Stripe unreachable: the transaction stays a draft, and the retry job sends it
            # again with the same idempotency key, so it is never charged twice.
            _logger.warning("Off-session charge %s postponed: %s", self.reference, error.detail)
            return None
        except StripeGatewayError as error:
            _logger.warning("Off-session charge %s failed: %s", self.reference, error.detail)
            if isinstance(error, StripeAuthenticationRequired) and error.payment_intent_id:
                self.provider_reference = error.payment_intent_id
            self._set_error(error.user_message)
            self._stripe_mto_off_session_failed(error.user_message)
            return None

    def _stripe_mto_off_session_failed(self, reason):
        """The customer gets a payment link by e-mail, the order goes in the exception list."""
        for tx in self:
            document = tx.invoice_ids[:1] or tx.sale_order_ids[:1]
            orders = tx.sale_order_ids or tx.invoice_ids.invoice_line_ids.sale_line_ids.order_id
            if not document or not orders:
                continue
            orders[:1]._stripe_mto_send_payment_link(tx.amount, document)
            orders._stripe_mto_raise_exception(
                _(
                    "The automatic charge of %(amount)s (%(reference)s) failed: %(reason)s A "
                    "payment link was e-mailed to the customer.",
                    amount=tx.currency_id.format(tx.amount),
                    reference=tx.reference,
                    reason=reason,
                ),
                summary=_("Balance charge failed"),
            )

    @api.model
    def _stripe_mto_charge_token(self, token, amount, currency, *, sale_orders=None, invoices=None):
        """Create and send an off-session charge of ``amount`` on ``token``; return the tx."""
        sale_orders = sale_orders or self.env["sale.order"]
        invoices = invoices or self.env["account.move"]
        prefix = (invoices[:1] or sale_orders[:1]).name
        tx = self.sudo().create(
            {
                "provider_id": token.provider_id.id,
                "payment_method_id": token.payment_method_id.id,
                "reference": self._compute_reference(token.provider_id.code, prefix=prefix),
                "amount": amount,
                "currency_id": currency.id,
                "partner_id": token.partner_id.id,
                "token_id": token.id,
                "operation": "offline",
                "sale_order_ids": [Command.set(sale_orders.ids)],
                "invoice_ids": [Command.set(invoices.ids)],
            }
        )
        tx._send_payment_request()
        if tx.state == "done":
            tx._post_process()
        return tx

    @api.model
    def _cron_stripe_mto_retry_off_session(self):
        """Send again the off-session charges Stripe could not be reached for."""
        since = fields.Datetime.subtract(fields.Datetime.now(), hours=const.RETRY_WINDOW_HOURS)
        for tx in self.search(
            [
                ("provider_code", "=", "stripe"),
                ("operation", "=", "offline"),
                ("state", "=", "draft"),
                ("token_id", "!=", False),
                ("create_date", ">=", since),
            ]
        ):
            tx._send_payment_request()
            if tx.state == "done":
                tx._post_process()

    # ------------------------------------------------------------------ tokens

    def _stripe_tokenize_from_notification_data(self, notification_data):
        """PaymentIntents of current API versions have no ``charges``: read the customer and
        payment method from the intent itself."""
        if self.operation != "online_direct":
            return super()._stripe_tokenize_from_notification_data(notification_data)
        intent = notification_data.get("payment_intent") or {}
        method = intent.get("payment_method") or notification_data.get("payment_method")
        customer = intent.get("customer")
        method_id = method.get("id") if isinstance(method, dict) else method
        if not (customer and method_id):
            _logger.warning("%s: no customer or payment method to save", self.reference)
            return
        if not isinstance(method, dict):
            method = self._stripe_mto_saved_method(customer, method_id) or {"type": "card"}
        details = method.get(method.get("type")) or {}
        token = self.env["payment.token"].create(
            {
                "provider_id": self.provider_id.id,
                "payment_method_id": self.payment_method_id.id,
                "payment_details": details.get("last4"),
                "partner_id": self.partner_id.id,
                "provider_ref": customer,
                "stripe_payment_method": method_id,
            }
        )
        self.write({"token_id": token.id, "tokenize": False})

    def _stripe_mto_saved_method(self, customer, method_id):
        """The PaymentMethod ``method_id`` saved on Stripe's ``customer`` (a dict), or None."""
        self.ensure_one()
        saved = self.provider_id._stripe_mto_call("list_payment_methods", customer)
        return next((m for m in saved if m["id"] == method_id), None)

    # ------------------------------------------------------------------ refunds

    def _send_refund_request(self, amount_to_refund=None):
        if self.provider_code != "stripe":
            return super()._send_refund_request(amount_to_refund=amount_to_refund)
        return self._stripe_mto_refund(amount_to_refund or self.amount)

    def _stripe_mto_refundable(self):
        self.ensure_one()
        refunded = -sum(
            child.amount
            for child in self.child_transaction_ids
            if child.operation == "refund" and child.state in ("done", "pending", "draft")
        )
        return self.currency_id.round(self.amount - refunded)

    def _stripe_mto_refund(self, amount, invoices=None):
        """Refund ``amount`` of this payment at Stripe; return the refund transaction."""
        self.ensure_one()
        self._ensure_provider_is_not_disabled()
        refund_tx = self._create_child_transaction(
            amount,
            is_refund=True,
            invoice_ids=[Command.set((invoices or self.env["account.move"]).ids)],
        )
        refund_tx._log_sent_message()
        refund = self.provider_id._stripe_mto_call(
            "create_refund",
            self.provider_reference,
            self._stripe_mto_minor_amount(amount),
            metadata={"odoo_reference": refund_tx.reference},
            idempotency_key=refund_tx._stripe_mto_idempotency_key("refund"),
        )
        refund_tx._handle_notification_data(
            "stripe", {"reference": refund_tx.reference, "refund": refund}
        )
        if refund_tx.state == "done":
            refund_tx._post_process()
        return refund_tx

    def _stripe_mto_refund_from_charge(self, charge):
        """Record refunds made at Stripe (dashboard, dispute) that Odoo does not know yet."""
        self.ensure_one()
        refunded = from_minor_units(charge.get("amount_refunded") or 0, self.currency_id.name)
        known = -sum(
            child.amount
            for child in self.child_transaction_ids
            if child.operation == "refund" and child.state == "done"
        )
        missing = self.currency_id.round(float(refunded) - known)
        if self.currency_id.compare_amounts(missing, 0) <= 0:
            return self.env["payment.transaction"]
        refund_tx = self._create_child_transaction(missing, is_refund=True)
        refund_tx.provider_reference = charge.get("id")
        refund_tx._set_done()
        refund_tx._post_process()
        return refund_tx

    # ------------------------------------------------------------------ post-processing

    def _post_process(self):
        # A deposit is invoiced the Odoo way, a down-payment invoice reconciled with the
        # payment, even without the "automatic invoice" setting.
        auto_invoice = str2bool(
            self.env["ir.config_parameter"].sudo().get_param("sale.automatic_invoice")
        )
        if not auto_invoice:
            deposits = self.filtered(
                lambda tx: (
                    tx.state == "done"
                    and tx.provider_code == "stripe"
                    and tx.operation in ("online_direct", "online_token", "offline")
                    and not tx.invoice_ids
                    and not tx.is_post_processed
                    and tx.sale_order_ids.filtered("mto_has_deposit")
                )
            )
            for tx in deposits:
                tx._check_amount_and_confirm_order()
                tx._invoice_sale_orders()
        return super()._post_process()

    def _invoice_sale_orders(self):
        # A transaction paying invoices already (a balance charge) is not invoiced again.
        return super(
            PaymentTransaction, self.filtered(lambda tx: not tx.invoice_ids)
        )._invoice_sale_orders()

    def _stripe_mto_sale_orders(self):
        self.ensure_one()
        tx = self.source_transaction_id or self
        return tx.sale_order_ids or tx.invoice_ids.invoice_line_ids.sale_line_ids.order_id

    def _stripe_mto_check_intent(self, intent):
        """The PaymentIntent applied to this transaction must be the one made for it: the id
        stored when it was created (if it was), our reference in its metadata, held by no
        other transaction, for this amount in this currency. A return URL or an intent made
        elsewhere on the same Stripe account (dashboard, another database) pays nothing."""
        self.ensure_one()
        intent_id = intent.get("id")
        reference = (intent.get("metadata") or {}).get("odoo_reference")
        if (
            not intent_id
            or reference != self.reference
            or (self.provider_reference and intent_id != self.provider_reference)
        ):
            raise ValidationError(_("PaymentIntent %s is not for this payment.", intent_id))
        family = self | self.source_transaction_id | self.child_transaction_ids
        if self.search_count(
            [
                ("provider_code", "=", "stripe"),
                ("provider_reference", "=", intent_id),
                ("operation", "!=", "refund"),
                ("id", "not in", family.ids),
            ],
            limit=1,
        ):
            raise ValidationError(_("PaymentIntent %s already settled another payment.", intent_id))
        self._stripe_mto_check_amount(intent)

    def _stripe_mto_check_amount(self, intent):
        """The intent Stripe reports must be for this transaction's amount and currency."""
        self.ensure_one()
        if (
            intent.get("amount") != self._stripe_mto_minor_amount()
            or (intent.get("currency") or "").upper() != self.currency_id.name
        ):
            raise ValidationError(
                _(
                    "Stripe reported %(amount)s %(currency)s for %(reference)s.",
                    amount=intent.get("amount"),
                    currency=(intent.get("currency") or "").upper(),
                    reference=self.reference,
                )
            )

    # ------------------------------------------------------------------ webhook events

    @api.model
    def _stripe_mto_providers_domain(self, providers):
        """Transactions of ``providers`` only: an event signed with one Stripe account's
        secret speaks for that account's payments (and so its company's), never another's."""
        return [("provider_code", "=", "stripe"), ("provider_id", "in", providers.ids)]

    @api.model
    def _stripe_mto_find_by_intent(self, intent, providers):
        """The transaction of ``providers`` a PaymentIntent was created for (our reference in
        its metadata)."""
        reference = (intent.get("metadata") or {}).get("odoo_reference")
        if reference:
            tx = self.search(
                [*self._stripe_mto_providers_domain(providers), ("reference", "=", reference)]
            )
            if tx:
                return tx
        return self._stripe_mto_find_by_intent_id(intent.get("id"), providers)

    @api.model
    def _stripe_mto_find_by_intent_id(self, intent_id, providers):
        tx = self.search(
            [
                *self._stripe_mto_providers_domain(providers),
                ("provider_reference", "=", intent_id),
                ("operation", "!=", "refund"),
            ],
            limit=1,
        )
        if not intent_id or not tx:
            raise ValidationError(_("No transaction matches PaymentIntent %s.", intent_id))
        return tx

    def _stripe_mto_apply_intent(self, intent):
        """Bring the transaction to the intent's status (Odoo's Stripe status mapping).

        Odoo's state machine refuses moves back from a final state, so a late
        ``payment_failed`` or ``canceled`` cannot undo a success already recorded.
        """
        self.ensure_one()
        self._stripe_mto_check_intent(intent)
        was_error = self.state == "error"
        self._handle_notification_data(
            "stripe",
            {
                "reference": self.reference,
                "payment_intent": intent,
                "payment_method": intent.get("payment_method"),
            },
        )
        if self.state == "done" and not self.is_post_processed:
            # Production waits for this: do not leave it to the next cron run.
            self._post_process()
        elif (
            self.state == "error"
            and not was_error
            and self.operation in ("offline", "online_token")
        ):
            self._stripe_mto_off_session_failed(self.state_message or "")

    @api.model
    def _stripe_mto_find_refund(self, refund, providers):
        """The refund transaction of ``providers`` of a Stripe Refund (its id is the
        transaction's reference at Stripe; our reference is in its metadata)."""
        reference = (refund.get("metadata") or {}).get("odoo_reference")
        domain = [*self._stripe_mto_providers_domain(providers), ("operation", "=", "refund")]
        tx = self.search(
            [*domain, ("reference", "=", reference)]
            if reference
            else [*domain, ("provider_reference", "=", refund.get("id"))],
            limit=1,
        )
        if not tx:
            raise ValidationError(_("No refund matches Stripe refund %s.", refund.get("id")))
        return tx

    def _stripe_mto_apply_refund_update(self, refund):
        """A refund Stripe could not complete (the card closed, the bank refused): the money
        did not go back. The back office must refund the customer another way and reverse the
        refund recorded in accounting, so the order goes to the exception list."""
        self.ensure_one()
        if refund.get("status") not in ("failed", "canceled"):
            return
        # As Odoo's Stripe does for a refund that did not go through, done included.
        self._set_error(_("Stripe could not complete the refund."), extra_allowed_states=("done",))
        reason = _(
            "Stripe could not complete the refund of %(amount)s (%(reference)s): %(reason)s. "
            "The customer did not get this money back: refund them another way and reverse "
            "the refund recorded in accounting.",
            amount=self.currency_id.format(abs(self.amount)),
            reference=self.reference,
            reason=refund.get("failure_reason") or refund.get("status"),
        )
        orders = self._stripe_mto_sale_orders()
        if orders:
            orders._stripe_mto_raise_exception(reason, summary=_("Refund failed"))
        else:
            _logger.warning(reason)

    @api.model
    def _stripe_mto_find_validation(self, setup_intent, providers):
        """The validation transaction of ``providers`` (card saved without a payment) of a
        SetupIntent: Odoo sends its reference as the intent's description."""
        domain = [*self._stripe_mto_providers_domain(providers), ("operation", "=", "validation")]
        tx = self.search([*domain, ("reference", "=", setup_intent.get("description"))], limit=1)
        tx = tx or self.search([*domain, ("provider_reference", "=", setup_intent.get("id"))])
        if not setup_intent.get("id") or len(tx) != 1:
            raise ValidationError(
                _("No card registration matches SetupIntent %s.", setup_intent.get("id"))
            )
        return tx

    def _stripe_mto_apply_setup_intent(self, setup_intent):
        """The card was saved at Stripe: save the token in Odoo, as Odoo's return from the
        validation page does (the customer may never come back to that page)."""
        self.ensure_one()
        if self.state == "done":
            return
        method = setup_intent.get("payment_method")
        if isinstance(method, str):
            method = self._stripe_mto_saved_method(setup_intent.get("customer"), method)
            if method is None:
                raise ValidationError(
                    _("The card of SetupIntent %s is not saved at Stripe.", setup_intent.get("id"))
                )
        self._handle_notification_data(
            "stripe",
            {
                "reference": self.reference,
                "setup_intent": dict(setup_intent, payment_method=method),
                "payment_method": method,
            },
        )

    def _stripe_mto_alert_dispute(self, dispute):
        """A customer disputed a payment: the order's people must answer at Stripe in time."""
        self.ensure_one()
        orders = self._stripe_mto_sale_orders()
        amount = from_minor_units(dispute.get("amount") or 0, self.currency_id.name)
        reason = _(
            "The customer disputed %(amount)s of %(reference)s at their bank (reason: "
            "%(reason)s). Answer with evidence in the Stripe dashboard before the deadline.",
            amount=self.currency_id.format(float(amount)),
            reference=self.reference,
            reason=dispute.get("reason") or _("unknown"),
        )
        if orders:
            orders._stripe_mto_raise_exception(reason, summary=_("Payment disputed"))
        else:
            _logger.warning(reason)
