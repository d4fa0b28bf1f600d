from odoo.exceptions import UserError
from odoo.modules.migration import load_script
from odoo.tests import new_test_user, tagged

from .common import MtoProductionCase

MIGRATION = "mto_production/migrations/18.0.1.1.0/post-migration.py"


def old_columns(cr, table, *columns):
    """Give ``table`` back the columns 18.0.1.0.0 had (a test's transaction drops them)."""
    for column in columns:
        cr.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} double precision")


@tagged("post_install", "-at_install")
class TestDeposit(MtoProductionCase):
    """Odoo's prepayment share is the share paid before production; below 100%, in a company
    taking deposits, it is a deposit whose balance is invoiced on delivery, whoever took the
    payment."""

    def _deliver(self, order):
        picking = order.picking_ids
        picking.move_ids.quantity = picking.move_ids.product_uom_qty
        picking.move_ids.picked = True
        warehouse_user = new_test_user(
            self.env, login="mto_deposit_warehouse", groups="stock.group_stock_user"
        )
        picking.with_user(warehouse_user).button_validate()

    def test_balance_is_invoiced_on_delivery(self):
        self.company.write({"mto_deposit": True, "prepayment_percent": 0.3})
        order = self._sell((self.lamp, 2))
        self.assertTrue(order.mto_has_deposit)
        self.assertEqual(
            order._mto_prepayment_amount(), order.currency_id.round(0.3 * order.amount_total)
        )
        self._deliver(order)
        self.assertEqual(order.invoice_ids.state, "posted")
        self.assertEqual(order.invoice_ids.amount_total, order.amount_total)

    def test_without_deposits_delivery_invoices_nothing(self):
        """Odoo's prepayment share alone (not a deposit) leaves invoicing as stock Odoo."""
        self.company.prepayment_percent = 0.3
        order = self._sell((self.lamp, 2))
        self.assertFalse(order.mto_has_deposit)
        self._deliver(order)
        self.assertFalse(order.invoice_ids)
        self.assertFalse(order._mto_balance_invoiceable())

    def test_invoice_balance_button(self):
        self.company.write({"mto_deposit": True, "prepayment_percent": 0.5})
        order = self._sell((self.lamp, 1))
        action = order.action_mto_invoice_balance()
        invoice = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(invoice.state, "posted")
        with self.assertRaisesRegex(UserError, "nothing left to invoice"):
            order.action_mto_invoice_balance()


@tagged("post_install", "-at_install")
class TestMigration(MtoProductionCase):
    """18.0.1.0.0's own share before production moves onto Odoo's, no due amount changing."""

    def _set(self, record, **values):
        assignments = ", ".join(f"{column} = %s" for column in values)
        self.env.cr.execute(
            f"UPDATE {record._table} SET {assignments} WHERE id = %s",
            [*values.values(), record.id],
        )

    def _due(self, order, old_share=None):
        """What Odoo asks the customer to pay (a payment link's amount: the prepayment of a
        quotation paid online, else what is left), and what is paid before production (with
        the old version's formula when ``old_share`` is given)."""
        order.invalidate_recordset()
        share = old_share if old_share is not None else order.prepayment_percent
        before_production = order.currency_id.round(order.amount_total * (share or 1.0))
        if old_share is None:
            self.assertEqual(before_production, order._mto_prepayment_amount())
        return order._get_default_payment_link_values()["amount"], before_production

    def test_migration_keeps_every_due_amount(self):
        cr = self.env.cr
        old_columns(cr, "sale_order", "mto_prepayment_percent")
        old_columns(cr, "res_company", "mto_prepayment_percent")
        # (order state, online payment, Odoo's share, made-to-order share)
        cases = [
            ("sale", False, 1.0, 0.3),  # paid by bank transfer, 30% before production
            ("sale", True, 0.5, 0.4),  # confirmed: Odoo no longer reads its share
            ("draft", True, 0.5, 1.0),  # to pay online, two shares: the customer's stays
            ("sent", True, 0.3, 0.3),  # to pay online, one share
            ("sent", False, 1.0, 0.4),  # confirmed by signature
            ("draft", False, 0.0, None),  # nothing set: the whole order
        ]
        orders = self.env["sale.order"]
        for state, online, share, mto_share in cases:
            order = self._sell((self.lamp, 3), confirm=False)
            self._set(
                order,
                state=state,
                require_payment=online,
                prepayment_percent=share,
                mto_prepayment_percent=mto_share,
            )
            orders |= order
        self._set(
            self.company,
            portal_confirmation_pay=False,
            prepayment_percent=1.0,
            mto_prepayment_percent=0.3,
        )
        before = [
            self._due(order, mto_share)
            for order, (*_unused, mto_share) in zip(orders, cases, strict=True)
        ]

        with self.assertLogs("mto_production_migration", "WARNING") as logs:
            load_script(MIGRATION, "mto_production_migration").migrate(cr, "18.0.1.0.0")
        self.env.invalidate_all()

        # The one order that cannot keep both shares keeps the customer's amount, and
        # production now waits for it; the log names it.
        conflict = orders[2]
        self.assertEqual(logs.output, [logs.output[0]])
        self.assertIn(conflict.name, logs.output[0])
        online_share = before[2][0]
        expected = [*before[:2], (online_share, online_share), *before[3:]]
        self.assertEqual([self._due(order) for order in orders], expected)
        self.assertEqual(self.company.prepayment_percent, 0.3, "the company's default too")
        self.assertEqual(
            self._sell((self.lamp, 1), confirm=False).prepayment_percent,
            0.3,
            "a new order asks for the same share before production as before",
        )
