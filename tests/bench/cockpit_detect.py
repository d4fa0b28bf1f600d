"""Benchmark: the operations cockpit's detection at 100 and 10,000 healthy orders.

The same few problem cases (a manufacturer that has not answered, a piece in rework too long,
a failed text, a payment exception) sit among 100, then 10,000 healthy made-to-order orders
(paid, ordered from the manufacturer, completed). Detection of every rule runs after a
warm-up; SQL queries and wall time per run are printed for each size, with the ratio
10,000 / 100: the detection reads candidates only, so the ratio stays near 1. Healthy orders
are copies of one order made through the real flow, written by SQL to load fast. Runs in a
database with the suite installed, inside one transaction that is rolled back at the end.
"""

import sys
import time
from datetime import timedelta

from common import bench_arguments, confirm_and_pay, time_and_queries

import odoo
from odoo import Command, api, fields
from odoo.tools import SQL, config

REPEAT = 7


def parse_args():
    parser = bench_arguments(__doc__)
    parser.add_argument("--sizes", default="100,10000")
    return parser.parse_args()


def columns(cr, table, skip):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "ORDER BY ordinal_position",
        [table],
    )
    return [name for (name,) in cr.fetchall() if name not in skip]


class CockpitBench:
    def __init__(self, env):
        self.env = env
        self.manufacturer = env["res.partner"].create(
            {"name": "Bench Workshop", "is_manufacturer": True, "is_company": True}
        )
        self.customer = env["res.partner"].create({"name": "Bench Customer"})
        self.product = env["product.product"].create(
            {
                "name": "Bench Table",
                "type": "consu",
                "list_price": 1000,
                "mto_mode": "made_to_order",
                "seller_ids": [Command.create({"partner_id": self.manufacturer.id, "price": 400})],
            }
        )
        self.template = self._order("completed")
        self.healthy = 1
        # The problems, the same at every size
        late = self._order("awaiting")
        rework = self._order("rework")
        self._move_back(late.mto_purchase_ids, days=9)
        self._move_back(rework.mto_purchase_ids, days=15)
        self._order("completed")._stripe_mto_raise_exception("Bench: balance declined")
        env["sms.sms"].create({"number": "+33600000001", "body": "Bench", "state": "error"})
        self.healthy += 1

    def _order(self, stage):
        env = self.env
        order = env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )
        confirm_and_pay(order)
        purchase = order.mto_purchase_ids
        purchase.action_mto_validate()
        if stage == "awaiting":
            return order
        purchase.action_mto_accept()
        purchase.action_mto_start()
        purchase.action_mto_complete()
        if stage == "rework":
            purchase.action_mto_rework("Bench")
        return order

    def _move_back(self, purchases, **delta):
        purchases.flush_recordset()
        self.env.cr.execute(
            "UPDATE purchase_order SET mto_state_since = %s WHERE id IN %s",
            [fields.Datetime.now() - timedelta(**delta), tuple(purchases.ids)],
        )
        purchases.invalidate_recordset()

    def grow(self, target):
        """Copy the healthy order (sales order, lines, manufacturer order, lines) by SQL."""
        missing = target - self.healthy
        if missing <= 0:
            return
        cr = self.env.cr
        self.env.flush_all()
        so_cols = columns(cr, "sale_order", {"id", "name"})
        sol_cols = columns(cr, "sale_order_line", {"id", "order_id"})
        po_cols = columns(cr, "purchase_order", {"id", "name", "mto_sale_id"})
        pol_cols = columns(cr, "purchase_order_line", {"id", "order_id", "mto_sale_line_id"})
        purchase = self.template.mto_purchase_ids

        def ident(names, prefix=""):
            return SQL(", ").join(SQL(prefix + "%s", SQL.identifier(n)) for n in names)

        cr.execute(
            SQL(
                """
                WITH so AS (
                    INSERT INTO sale_order (name, %(so_cols)s)
                    SELECT 'BENCH-' || g, %(so_src)s
                      FROM sale_order t, generate_series(1, %(n)s) g WHERE t.id = %(so)s
                    RETURNING id
                ), sol AS (
                    INSERT INTO sale_order_line (order_id, %(sol_cols)s)
                    SELECT so.id, %(sol_src)s FROM so, sale_order_line t WHERE t.order_id = %(so)s
                    RETURNING id, order_id
                ), po AS (
                    INSERT INTO purchase_order (name, mto_sale_id, %(po_cols)s)
                    SELECT 'PBENCH-' || so.id, so.id, %(po_src)s
                      FROM so, purchase_order t WHERE t.id = %(po)s
                    RETURNING id, mto_sale_id
                )
                INSERT INTO purchase_order_line (order_id, mto_sale_line_id, %(pol_cols)s)
                SELECT po.id, sol.id, %(pol_src)s
                  FROM po JOIN sol ON sol.order_id = po.mto_sale_id, purchase_order_line t
                 WHERE t.order_id = %(po)s
                """,
                so_cols=ident(so_cols),
                so_src=ident(so_cols, "t."),
                sol_cols=ident(sol_cols),
                sol_src=ident(sol_cols, "t."),
                po_cols=ident(po_cols),
                po_src=ident(po_cols, "t."),
                pol_cols=ident(pol_cols),
                pol_src=ident(pol_cols, "t."),
                n=missing,
                so=self.template.id,
                po=purchase.id,
            )
        )
        cr.execute("ANALYZE sale_order, sale_order_line, purchase_order, purchase_order_line")
        self.healthy = target

    def detect_once(self):
        env = self.env
        cr = env.cr
        env.invalidate_all()
        queries = cr.sql_log_count
        start = time.perf_counter()
        env["mto.cockpit.rule"]._cron_detect()
        env.flush_all()
        return time.perf_counter() - start, cr.sql_log_count - queries

    def run(self):
        self.detect_once()  # opens the exceptions; later runs are the cron's usual case
        samples = [self.detect_once() for _ in range(REPEAT)]
        opened = self.env["mto.cockpit.exception"].search_count([("state", "!=", "resolved")])
        self.env.cr.execute("SELECT count(*) FROM sale_order WHERE state = 'sale'")
        assert self.env.cr.fetchone()[0] >= self.healthy, "the healthy orders are missing"
        return (*time_and_queries(samples), opened)


def main():
    args = parse_args()
    config.parse_config([*args.odoo_args.split(), "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    sizes = [int(x) for x in args.sizes.split(",")]
    print("cockpit: one detection run of every rule (the cron), median of", REPEAT)
    print(f"{'orders':>7} {'ms':>9} {'queries':>8} {'open exceptions':>16}")
    results = {}
    with registry.cursor() as cr:
        env = api.Environment(
            cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True}
        )
        bench = CockpitBench(env)
        for size in sizes:
            bench.grow(size)
            elapsed, queries, opened = bench.run()
            results[size] = (elapsed, queries, opened)
            print(f"{size:>7} {elapsed * 1000:>9.1f} {queries:>8.0f} {opened:>16}", flush=True)
        cr.rollback()
    small, large = results[min(sizes)], results[max(sizes)]
    print(
        f"ratio {max(sizes)} / {min(sizes)} orders: time {large[0] / small[0]:.2f}, "
        f"queries {large[1] / small[1]:.2f}"
    )
    if small[2] != large[2]:
        print("the healthy orders opened exceptions: detection is wrong", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
