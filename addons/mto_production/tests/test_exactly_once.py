from psycopg2 import IntegrityError, errors

from odoo import api, sql_db
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MtoProductionCase


@tagged("post_install", "-at_install")
class TestExactlyOnce(MtoProductionCase):
    def test_payment_notified_twice_buys_once(self):
        order = self._sell((self.table, 1))
        self._pay(order)
        order._mto_procure_paid_lines()
        order.order_line._action_launch_stock_rule()
        self.env["sale.order"]._cron_mto_procure_paid_orders()
        self.assertEqual(len(self._purchase_orders(order).order_line), 1)

    def test_two_lines_of_the_same_product_keep_their_own_purchase_line(self):
        order = self._sell((self.table, 1), (self.table, 1))
        self._pay(order)
        lines = self._purchase_orders(order).order_line
        self.assertEqual(len(lines), 2)
        self.assertEqual(lines.mto_sale_line_id, order.order_line)

    def test_database_refuses_a_second_purchase_line(self):
        order = self._sell((self.table, 1))
        self._pay(order)
        line = self._purchase_orders(order).order_line
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            line.copy({"order_id": line.order_id.id, "mto_sale_line_id": line.mto_sale_line_id.id})


@tagged("post_install", "-at_install")
class TestExactlyOnceRace(MtoProductionCase):
    """Two real transactions race to order the same paid line from its manufacturer.

    The race needs what a test transaction cannot give: data other connections see, and
    transactions that commit. It uses cursors of its own and cleans up after itself.
    """

    # pylint: disable=invalid-commit

    def _committed(self):
        """A cursor on its own connection: what it commits, other transactions see."""
        return sql_db.db_connect(self.env.cr.dbname).cursor()

    def test_two_transactions_racing_yield_one_purchase_line(self):
        uid = self.env.uid
        # The race needs committed data: build it outside the test transaction, remove it after.
        with self._committed() as cr:
            env = api.Environment(cr, uid, {"tracking_disable": True})
            manufacturer = env["res.partner"].create(
                {"name": "Race Workshop", "is_manufacturer": True}
            )
            product = env["product.product"].create(
                {
                    "name": "Race Table",
                    "type": "consu",
                    "is_storable": True,
                    "mto_mode": "made_to_order",
                    "list_price": 100,
                    "seller_ids": [(0, 0, {"partner_id": manufacturer.id, "price": 50})],
                }
            )
            order = env["sale.order"].create(
                {
                    "partner_id": env["res.partner"].create({"name": "Race Customer"}).id,
                    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
                }
            )
            order.action_confirm()
            self.assertFalse(order.mto_purchase_ids, "Unpaid: nothing ordered yet")
            order.mto_released = True  # paid: both transactions will try to order the line
            cr.commit()
            order_id, product_id, partner_id = order.id, product.id, manufacturer.id

        # Two transactions start at the same moment (a payment webhook notified twice, two
        # users confirming): both see the line not yet ordered.
        cr1, cr2 = self._committed(), self._committed()
        try:
            orders = [
                api.Environment(cr, uid, {})["sale.order"].browse(order_id) for cr in (cr1, cr2)
            ]
            for order in orders:
                self.assertFalse(order.order_line.mto_procurement)
            orders[0]._mto_procure_paid_lines()
            cr1.commit()
            # The second one, working from its older snapshot, is stopped by the row lock...
            with mute_logger("odoo.sql_db"), self.assertRaises(errors.SerializationFailure):
                orders[1]._mto_procure_paid_lines()
                orders[1].env.flush_all()
            cr2.rollback()
            # ... and when retried (as Odoo retries a request), it finds the line ordered.
            orders[1].env.invalidate_all()
            orders[1]._mto_procure_paid_lines()
            cr2.commit()
            cr1.execute(
                """SELECT count(*) FROM purchase_order_line pol
                     JOIN sale_order_line sol ON sol.id = pol.mto_sale_line_id
                    WHERE sol.order_id = %s AND pol.state != 'cancel'""",
                [order_id],
            )
            self.assertEqual(
                cr1.fetchone()[0], 1, "Exactly one purchase line for the paid sales line"
            )
        finally:
            for cursor in (cr1, cr2):
                cursor.close()
            with self._committed() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
                purchases = env["purchase.order"].search([("mto_sale_id", "=", order_id)])
                purchases.button_cancel()
                purchases.unlink()
                order = env["sale.order"].browse(order_id)
                order._action_cancel()
                order.unlink()
                env["product.product"].browse(product_id).action_archive()
                env["res.partner"].browse(partner_id).action_archive()
                cr.commit()
