"""Benchmarks of the suite against stock Odoo 18, measured in the same run.

Run with `make bench` (python3 tools/suite.py bench [--orders N] [--lines 1,20]). It works in
a database with the suite installed, inside one transaction that is rolled back at the end.

made-to-order: confirm and pay N sales orders of k made-to-order lines each
  - stock Odoo: products on the warehouse's own "Replenish on Order (MTO)" + "Buy" routes,
    no production mode (what Odoo does without the suite: it buys at confirmation);
  - suite: the same products in made-to-order mode (it buys at payment, with validation).
Prints wall time and SQL queries per order for each, and the ratios suite / stock.
"""

import sys
import time

from common import bench_arguments, confirm_and_pay, time_and_queries

import odoo
from odoo import Command, api
from odoo.tools import config


def parse_args():
    parser = bench_arguments(__doc__)
    parser.add_argument("--orders", type=int, default=20, help="orders per scenario")
    parser.add_argument("--lines", default="1,20", help="lines per order, comma-separated")
    return parser.parse_args()


class MadeToOrderBench:
    def __init__(self, env, lines):
        self.env = env
        self.lines = lines
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        self.routes = warehouse._mto_production_routes()
        self.manufacturer = env["res.partner"].create(
            {"name": "Bench Workshop", "is_manufacturer": True}
        )
        self.customer = env["res.partner"].create({"name": "Bench Customer"})
        self.stock_products = self._products("stock", {"route_ids": [Command.set(self.routes.ids)]})
        self.suite_products = self._products("suite", {"mto_mode": "made_to_order"})

    def _products(self, prefix, vals):
        return self.env["product.product"].create(
            [
                {
                    "name": f"Bench {prefix} piece {index}",
                    "type": "consu",
                    "is_storable": True,
                    "list_price": 1000,
                    "seller_ids": [
                        Command.create({"partner_id": self.manufacturer.id, "price": 400})
                    ],
                    **vals,
                }
                for index in range(self.lines)
            ]
        )

    def one_order(self, products):
        """Confirm and pay one order; return (seconds, queries)."""
        env = self.env
        order = env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": 1}) for p in products
                ],
            }
        )
        env.flush_all()
        cr = env.cr
        queries = cr.sql_log_count
        start = time.perf_counter()
        confirm_and_pay(order)
        env.flush_all()
        elapsed = time.perf_counter() - start
        purchase_lines = env["purchase.order.line"].search_count(
            [("move_dest_ids.sale_line_id.order_id", "=", order.id)]
        ) or env["purchase.order.line"].search_count([("mto_sale_line_id.order_id", "=", order.id)])
        assert purchase_lines == len(products), (purchase_lines, len(products))
        return elapsed, cr.sql_log_count - queries

    def run(self, orders):
        results = {"stock": [], "suite": []}
        self.one_order(self.stock_products)  # warm-up: caches, prefetch, sequences
        self.one_order(self.suite_products)
        for _ in range(orders):  # interleaved, so that machine noise hits both alike
            results["stock"].append(self.one_order(self.stock_products))
            results["suite"].append(self.one_order(self.suite_products))
        return results


def main():
    args = parse_args()
    config.parse_config([*args.odoo_args.split(), "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    print(
        f"made-to-order: confirm + pay {args.orders} orders per scenario, "
        "median wall time and mean SQL queries per order"
    )
    print(
        f"{'k':>3} {'stock s':>9} {'suite s':>9} {'ratio':>6} {'stock q':>8} {'suite q':>8} "
        f"{'ratio':>6}"
    )
    per_line = {}
    for lines in [int(x) for x in args.lines.split(",")]:
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
            results = MadeToOrderBench(env, lines).run(args.orders)
            cr.rollback()
        stock_t, stock_q = time_and_queries(results["stock"])
        suite_t, suite_q = time_and_queries(results["suite"])
        per_line[lines] = (stock_q, suite_q)
        print(
            f"{lines:>3} {stock_t:>9.3f} {suite_t:>9.3f} {suite_t / stock_t:>6.2f} "
            f"{stock_q:>8.0f} {suite_q:>8.0f} {suite_q / stock_q:>6.2f}",
            flush=True,
        )
    if len(per_line) >= 2:
        (k1, (s1, u1)), (k2, (s2, u2)) = (
            sorted(per_line.items())[:1] + sorted(per_line.items())[-1:]
        )
        stock_slope = (s2 - s1) / (k2 - k1)
        suite_slope = (u2 - u1) / (k2 - k1)
        print(
            f"queries per added line: stock {stock_slope:.1f}, suite {suite_slope:.1f} "
            f"(ratio {suite_slope / stock_slope:.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
