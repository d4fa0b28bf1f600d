from datetime import timedelta
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.account_payment.models.payment_transaction import (
    PaymentTransaction as AccountPaymentTransaction,
)

from .common import MtoProductionCase


@tagged("post_install", "-at_install")
class TestMadeToOrder(MtoProductionCase):
    def test_unpaid_order_buys_nothing_until_paid(self):
        order = self._sell((self.table, 1))
        self.assertTrue(order.mto_awaiting_payment, "The order shows it waits for payment")
        self.assertFalse(self._purchase_orders(order), "Confirming an unpaid order buys nothing")

        self._pay(order)

        purchase = self._purchase_orders(order)
        self.assertEqual(len(purchase), 1)
        self.assertEqual(purchase.partner_id, self.workshop)
        self.assertEqual(purchase.mto_state, "to_validate")
        self.assertEqual(purchase.state, "draft", "Nothing is sent before validation")
        self.assertEqual(purchase.order_line.mto_sale_line_id, order.order_line)
        self.assertFalse(order.mto_awaiting_payment)

    def test_one_purchase_order_per_manufacturer_and_stock_lines_stay_standard(self):
        order = self._sell((self.table, 2), (self.sofa, 1), (self.side_table, 1), (self.lamp, 1))
        self._pay(order)

        purchases = self._purchase_orders(order)
        self.assertEqual(purchases.partner_id, self.workshop | self.other_workshop)
        table_po = purchases.filtered(lambda po: po.partner_id == self.workshop)
        self.assertEqual(
            table_po.order_line.product_id,
            self.table,
            "The side table is in stock and not customised: it ships from stock",
        )
        self.assertEqual(table_po.order_line.product_qty, 2)
        side_line = order.order_line.filtered(lambda line: line.product_id == self.side_table)
        self.assertEqual(side_line.mto_procurement, "stock")
        lamp_line = order.order_line.filtered(lambda line: line.product_id == self.lamp)
        self.assertFalse(
            lamp_line.mto_procurement, "A product without production mode is left to standard Odoo"
        )
        self.assertIn(self.lamp, order.picking_ids.move_ids.product_id)

    def test_customised_stock_product_goes_to_its_manufacturer(self):
        order = self._sell((self.side_table, 1), confirm=False)
        self._measure(order.order_line, width=75)
        order.action_confirm()
        self._pay(order)
        self.assertEqual(order.order_line.mto_procurement, "manufacturer")
        self.assertEqual(self._purchase_orders(order).order_line.product_id, self.side_table)

    def test_purchase_order_shows_a_reference_not_the_customer(self):
        order = self._sell((self.table, 1), (self.table, 1), confirm=False)
        order.client_order_ref = "Mrs Customer's flat"
        order.action_confirm()
        self._pay(order)
        purchase = self._purchase_orders(order)
        self.assertEqual(purchase.mto_customer_ref, order.name)
        self.assertFalse(purchase.dest_address_id)
        self.assertEqual(purchase.origin, order.name, "not the customer's own reference")
        shown = "".join(str(spec) for spec in purchase.order_line.mapped("mto_specification"))
        for private in ("Mrs Customer", "customer@example.com", "Private Lane"):
            self.assertNotIn(private, shown)

    def test_prepayment_share_releases_production(self):
        self.company.prepayment_percent = 0.3
        order = self._sell((self.table, 1))
        self.assertEqual(order.prepayment_percent, 0.3)
        invoice = order._create_invoices()
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move",
            active_ids=invoice.ids,
        ).create({"amount": invoice.amount_total * 0.2})._create_payments()
        self.assertFalse(self._purchase_orders(order), "20% paid, 30% required")
        self.env["account.payment.register"].with_context(
            active_model="account.move",
            active_ids=invoice.ids,
        ).create({"amount": invoice.amount_total * 0.1})._create_payments()
        self.assertTrue(self._purchase_orders(order), "30% paid: production starts")

    def test_payment_transaction_releases_production(self):
        order = self._sell((self.table, 1))
        provider = self.env.ref("payment.payment_provider_demo")
        provider.state = "test"
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                "amount": order.amount_total,
                "currency_id": order.currency_id.id,
                "partner_id": self.customer.id,
                "reference": f"{order.name}-test",
                "sale_order_ids": [(6, 0, order.ids)],
            }
        )
        tx._set_done()
        # The accounting side of a provider payment (journal, payment method lines) is not
        # what this test is about: stop the chain below the sales logic and the suite's hook.
        with patch.object(AccountPaymentTransaction, "_post_process", lambda self: None):
            tx._post_process()
        self.assertEqual(len(self._purchase_orders(order)), 1)

    def test_sales_manager_releases_unpaid_order_with_a_reason(self):
        order = self._sell((self.table, 1))
        with self.assertRaises(AccessError):
            order.with_user(self.salesman)._mto_release("Trusted customer")
        wizard_action = order.with_user(self.sales_manager).action_mto_release()
        wizard = (
            self.env[wizard_action["res_model"]]
            .with_user(self.sales_manager)
            .with_context(**wizard_action["context"])
            .create({"reason": "Trusted customer, pays on delivery"})
        )
        wizard.action_confirm()
        self.assertTrue(order.mto_released)
        self.assertTrue(self._purchase_orders(order))
        self.assertIn("Trusted customer, pays on delivery", order.message_ids[0].body)

    def test_out_of_range_measurement_is_refused(self):
        order = self._sell((self.table, 1), confirm=False)
        with self.assertRaisesRegex(ValidationError, "Width of Test Oak Table is 500.* 60.* 400"):
            self._measure(order.order_line, width=500)

    def test_validation_lists_what_is_missing(self):
        order = self._sell((self.table, 1))
        self._pay(order)
        purchase = self._purchase_orders(order)
        self.assertFalse(purchase.mto_checklist_done)
        with self.assertRaises(UserError) as refusal:
            purchase.with_user(self.sales_manager).action_mto_validate()
        message = str(refusal.exception)
        self.assertIn("Test Oak Table: Width given", message)
        self.assertIn("Test Oak Table: Test CAD attached", message)
        self.assertNotIn("Height", message, "Height is optional")
        self.assertEqual(purchase.mto_state, "to_validate")

        self._measure(order.order_line, width=220)
        self._attach(order.order_line, self.doc_cad)
        self.assertTrue(purchase.mto_checklist_done)
        with self.assertRaises(AccessError):
            purchase.with_user(self.salesman).action_mto_validate()
        purchase.with_user(self.sales_manager).action_mto_validate()
        self.assertEqual(purchase.mto_state, "awaiting")
        self.assertEqual(purchase.state, "sent")

    def test_standard_order_behaves_as_stock_odoo(self):
        order = self._sell((self.lamp, 2))
        self.assertFalse(order.mto_awaiting_payment)
        self.assertEqual(order.picking_ids.move_ids.product_uom_qty, 2)
        self.assertFalse(self.env["purchase.order"].search([("mto_sale_id", "=", order.id)]))

    def test_purchase_form_stays_editable_as_stock_odoo(self):
        """The Production tab shows the lines read-only without making the order's own lines
        read-only: a plain RFQ is edited, and its dates propagated, as in stock Odoo."""
        rfq = self.env["purchase.order"].create(
            {
                "partner_id": self.workshop.id,
                "order_line": [Command.create({"product_id": self.lamp.id, "product_qty": 1})],
            }
        )
        with Form(rfq) as form, form.order_line.edit(0) as line:
            line.product_id = self.side_table
            line.product_qty = 3
        self.assertEqual(rfq.order_line.product_id, self.side_table)
        self.assertEqual(rfq.order_line.product_qty, 3)
        rfq.button_confirm()
        new_date = rfq.date_planned + timedelta(days=2)
        with Form(rfq) as form:
            form.date_planned = new_date
        self.assertEqual(rfq.order_line.date_planned, new_date)
        self.assertEqual(rfq.picking_ids.date_deadline, new_date)
        # The same lines, read-only, on the Production tab of a manufacturer's order.
        self.assertEqual(rfq.mto_specification_line_ids, rfq.order_line)

    def test_salesperson_reads_the_order_and_its_progress_without_purchase_rights(self):
        order = self._sell((self.table, 1))
        order.user_id = self.salesman
        order.partner_id.user_id = self.salesman  # their client (private client books, if on)
        self._pay(order)
        as_salesman = order.with_user(self.salesman)
        as_salesman.invalidate_recordset()
        (values,) = as_salesman.read()  # every field the salesperson may read, as Odoo does
        self.assertNotIn("mto_purchase_ids", values, "purchase rights only")
        self.assertEqual(values["mto_purchase_count"], 1)
        self.assertIn("To Validate", values["mto_progress"])

    def test_purchase_and_stock_users_open_their_forms(self):
        """Production files show on purchase orders and products: people with only purchase
        or inventory rights still open those forms (read-only files)."""
        buyer = new_test_user(self.env, "mto_buyer", groups="purchase.group_purchase_user")
        storekeeper = new_test_user(self.env, "mto_storekeeper", groups="stock.group_stock_user")
        rfq = self.env["purchase.order"].create({"partner_id": self.workshop.id})
        rfq.invalidate_recordset()  # read as the buyer, not from the creator's cache
        Form(rfq.with_user(buyer)).save()
        Form(self.table.product_tmpl_id.with_user(storekeeper))
        with self.assertRaises(AccessError):
            self.env["mto.production.file"].with_user(buyer).create({"name": "x"})

    def test_plain_confirm_is_refused_on_manufacturer_orders(self):
        order = self._sell((self.table, 1))
        self._pay(order)
        with self.assertRaisesRegex(UserError, "confirmed when their manufacturer accepts"):
            self._purchase_orders(order).button_confirm()
