from unittest.mock import patch

from odoo.tests import new_test_user, tagged

from .common import StripeMtoCase, trap_jobs


@tagged("post_install", "-at_install")
class TestDepositAndBalance(StripeMtoCase):
    def test_deposit_sets_the_prepayment_share(self):
        order = self._quotation()
        self.assertTrue(order.mto_has_deposit)
        self.assertEqual(order.prepayment_percent, 0.3)
        self.assertEqual(order._mto_prepayment_amount(), 1200)
        self.assertEqual(order._get_prepayment_required_amount(), 1200)
        order.prepayment_percent = 0.5
        self.assertEqual(order._mto_prepayment_amount(), 2000)
        self.fake.assert_clean()

    def test_deposit_production_balance_reconciliation(self):
        """The customer pays 30% by card with consent; production starts; the retailer
        invoices the balance, which is charged off-session and reconciled."""
        order, tx = self._pay_deposit()
        self.assertEqual(tx.state, "done")
        self.assertEqual(order.state, "sale")
        self.assertTrue(tx.token_id, "the card was saved with the customer's consent")
        # the deposit is a down-payment invoice, paid by the Stripe payment
        deposit_invoice = tx.invoice_ids
        self.assertEqual(len(deposit_invoice), 1)
        self.assertTrue(deposit_invoice.invoice_line_ids.sale_line_ids.is_downpayment)
        self.assertEqual(deposit_invoice.amount_total, 1200)
        self.assertIn(deposit_invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(tx.payment_id.amount, 1200)
        # the deposit counts as paid for production
        self.assertTrue(self._purchase_orders(order), "production started after the deposit")
        self.assertFalse(order.mto_awaiting_payment)

        action = order.action_mto_invoice_balance()
        balance = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(balance.state, "posted")
        self.assertEqual(balance.amount_total, 2800)
        charge = balance.transaction_ids
        self.assertEqual(charge.state, "done")
        self.assertEqual(charge.operation, "offline")
        self.assertIn(balance.payment_state, ("paid", "in_payment"))
        (request,) = [
            r
            for r in self.fake.requests_to("post", "/v1/payment_intents")
            if r.form.get("off_session") == "true"
        ]
        self.assertEqual(request.form["payment_method"], tx.token_id.stripe_payment_method)
        self.assertEqual(request.form["amount"], "280000")
        self.assertEqual(order._mto_price_difference(), 0)
        self.assertFalse(order.stripe_mto_exception)
        self.fake.assert_clean()

    def test_balance_is_charged_by_one_job_after_posting(self):
        """Nothing is charged inside the posting's transaction; posting again queues no
        second charge, and the job run twice charges once."""
        order, _tx = self._pay_deposit()
        with trap_jobs() as trap:
            balance = order.with_context(queue_job__no_delay=False)._mto_invoice_balance()
            self.assertFalse(balance.transaction_ids, "nothing charged while posting")
            balance.button_draft()
            balance.action_post()
            trap.assert_jobs_count(1, only=balance._stripe_mto_charge_balance)
            trap.perform_enqueued_jobs()
        self.assertEqual(balance.transaction_ids.state, "done")
        self.assertIn(balance.payment_state, ("paid", "in_payment"))
        balance._stripe_mto_charge_balance()  # the job again (a runner's retry)
        self.assertEqual(len(balance.transaction_ids), 1)
        charges = [
            r
            for r in self.fake.requests_to("post", "/v1/payment_intents")
            if r.form.get("off_session") == "true"
        ]
        self.assertEqual(len(charges), 1)
        self.fake.assert_clean()

    def test_declined_balance_sends_a_link_and_lists_the_order(self):
        order, _tx = self._pay_deposit()
        self.fake.decline_next("insufficient_funds")
        with patch.object(
            type(order), "_mto_payment_link_sent", autospec=True, return_value=True
        ) as sent:
            action = order.action_mto_invoice_balance()
        balance = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(balance.transaction_ids.state, "error")
        self.assertEqual(balance.payment_state, "not_paid")
        self.assertTrue(order.stripe_mto_exception)
        self.assertIn("insufficient funds", order.stripe_mto_exception_note)
        exceptions = self.env["sale.order"].search([("stripe_mto_exception", "=", True)])
        self.assertIn(order, exceptions)
        portal_url = balance.get_portal_url().split("?")[0]
        link_message = balance.message_ids.filtered(lambda m: portal_url in (m.body or ""))
        self.assertTrue(link_message)
        self.assertIn(self.customer, link_message.partner_ids)
        self.assertTrue(order.activity_ids)
        self.assertEqual(
            sent.call_args.args[1:],
            (2800, balance.get_base_url() + balance.get_portal_url(), balance),
            "the other channels (SMS) get the same link",
        )
        self.fake.assert_clean()

    def test_authentication_needed_sends_a_link(self):
        order, _tx = self._pay_deposit()
        self.fake.authentication_required_next()
        action = order.action_mto_invoice_balance()
        balance = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(balance.transaction_ids.state, "error")
        self.assertTrue(order.stripe_mto_exception)
        self.assertIn("confirm this payment", order.stripe_mto_exception_note)
        self.fake.assert_clean()

    def test_delivery_invoices_and_charges_the_balance(self):
        order = self._quotation((self.lamp, 2))
        order, tx = self._pay_deposit(order)
        self.assertFalse(order.invoice_ids - tx.invoice_ids, "nothing but the deposit yet")
        picking = order.picking_ids
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        # A warehouse user, with no sales, invoicing or payment rights, validates it.
        warehouse_user = new_test_user(
            self.env, login="mto_warehouse", groups="stock.group_stock_user"
        )
        picking.with_user(warehouse_user).button_validate()
        balance = order.invoice_ids - tx.invoice_ids
        self.assertEqual(balance.state, "posted")
        self.assertIn(balance.payment_state, ("paid", "in_payment"))
        self.assertEqual(balance.transaction_ids.token_id, tx.token_id)
        self.assertEqual(order._mto_price_difference(), 0)
        self.fake.assert_clean()

    def test_price_increase_is_charged_to_the_saved_card(self):
        order, tx = self._pay_deposit()
        order.action_mto_invoice_balance()
        order.order_line.price_unit = 4500
        self.assertEqual(order._mto_price_difference(), 500)
        order.action_mto_settle_difference()
        invoice = self.env["account.move"].search(
            [("stripe_mto_price_change_order_id", "=", order.id)]
        )
        self.assertEqual(invoice.amount_total, 500)
        extra = invoice.transaction_ids
        self.assertEqual(extra.state, "done")
        self.assertEqual(extra.token_id, tx.token_id)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(order._mto_price_difference(), 0)
        self.fake.assert_clean()

    def test_price_decrease_is_refunded_through_stripe(self):
        order, _tx = self._pay_deposit()
        order.action_mto_invoice_balance()
        order.order_line.price_unit = 3800
        self.assertEqual(order._mto_price_difference(), -200)
        order.action_mto_settle_difference()
        refund_tx = self.env["payment.transaction"].search([("operation", "=", "refund")])
        self.assertEqual(refund_tx.state, "done")
        self.assertEqual(refund_tx.amount, -200)
        (refund,) = self.fake.refunds.values()
        self.assertEqual(refund["amount"], 20000)
        credit_note = refund_tx.invoice_ids
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertIn(credit_note.payment_state, ("paid", "in_payment"))
        self.assertEqual(order._mto_price_difference(), 0)
        self.fake.assert_clean()

    def test_stripe_unreachable_retries_with_the_same_key(self):
        order, _tx = self._pay_deposit()
        self.fake.server_error_next()
        action = order.action_mto_invoice_balance()
        balance = self.env["account.move"].browse(action["res_id"])
        charge = balance.transaction_ids
        self.assertEqual(charge.state, "draft")
        self.assertFalse(order.stripe_mto_exception, "a temporary failure is not an exception")
        self.env["payment.transaction"]._cron_stripe_mto_retry_off_session()
        self.assertEqual(charge.state, "done")
        self.assertIn(balance.payment_state, ("paid", "in_payment"))
        attempts = [
            r.header("Idempotency-Key")
            for r in self.fake.requests_to("post", "/v1/payment_intents")
            if r.form.get("off_session") == "true"
        ]
        self.assertEqual(len(attempts), 2)
        self.assertEqual(len(set(attempts)), 1)
        self.fake.assert_clean()
