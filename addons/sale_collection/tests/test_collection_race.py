import threading

from psycopg2 import errors

from odoo import api, sql_db
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCollectionRace(TransactionCase):
    """Two clients confirm the last piece of an edition at the same moment.

    The race needs what a test transaction cannot give: data other connections see, and
    transactions that commit. It uses cursors of its own and cleans up after itself.
    """

    # pylint: disable=invalid-commit

    def _committed(self):
        return sql_db.db_connect(self.env.cr.dbname).cursor()

    def test_two_confirmations_of_the_last_piece_sell_it_once(self):
        uid = self.env.uid
        with self._committed() as cr:
            env = api.Environment(cr, uid, {"tracking_disable": True})
            product = env["product.product"].create({"name": "Race Cabinet", "type": "consu"})
            collection = env["sale.collection"].create(
                {
                    "name": "Race Edition",
                    "access": "open",
                    "product_tmpl_ids": [(6, 0, product.product_tmpl_id.ids)],
                    "quantity_cap": 1,
                }
            )
            partner = env["res.partner"].create({"name": "Race Client"})
            order_ids = [
                env["sale.order"]
                .create(
                    {
                        "partner_id": partner.id,
                        "order_line": [(0, 0, {"product_id": product.id})],
                    }
                )
                .id
                for _i in range(2)
            ]
            cr.commit()
            ids = {"product": product.id, "collection": collection.id, "partner": partner.id}

        cr1, cr2 = self._committed(), self._committed()
        outcome = {}
        try:
            env1 = api.Environment(cr1, uid, {})
            env2 = api.Environment(cr2, uid, {})
            # Both transactions start: each sees the last piece still free.
            for env in (env1, env2):
                self.assertEqual(
                    env["sale.collection"].browse(ids["collection"]).quantity_remaining, 1
                )
            env1["sale.order"].browse(order_ids[0]).action_confirm()
            env1.flush_all()

            def confirm_second():
                try:
                    env2["sale.order"].browse(order_ids[1]).action_confirm()
                    env2.flush_all()
                    outcome["second"] = "confirmed"
                except errors.SerializationFailure:
                    outcome["second"] = "serialization failure"

            # The second confirmation waits on the edition's row lock...
            second = threading.Thread(target=confirm_second)
            with mute_logger("odoo.sql_db"):
                second.start()
                second.join(timeout=1)
                self.assertTrue(second.is_alive(), "The second confirmation waits for the first")
                cr1.commit()
                second.join(timeout=30)
            # ... then cannot serialise, and Odoo retries it, as it retries a request.
            self.assertEqual(outcome.get("second"), "serialization failure")
            cr2.rollback()
            env2.invalidate_all()
            with self.assertRaisesRegex(UserError, "Race Edition is sold out"):
                env2["sale.order"].browse(order_ids[1]).action_confirm()
            cr2.rollback()
            cr1.execute(
                "SELECT array_agg(state ORDER BY id) FROM sale_order WHERE id IN %s",
                [tuple(order_ids)],
            )
            self.assertEqual(cr1.fetchone()[0], ["sale", "draft"])
        finally:
            for cursor in (cr1, cr2):
                cursor.rollback()
                cursor.close()
            with self._committed() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
                orders = env["sale.order"].browse(order_ids)
                orders._action_cancel()
                orders.unlink()
                env["sale.collection"].browse(ids["collection"]).unlink()
                # Archived when a cancelled delivery still names them.
                env["product.product"].browse(ids["product"]).active = False
                env["res.partner"].browse(ids["partner"]).active = False
                cr.commit()
