"""Benchmark: the manufacturer portal's order list against Odoo's own /my/purchase list.

One manufacturer gets 100 orders, then 10,000; for each size both pages are requested by
the manufacturer's portal user from a real Odoo server, and the server's own figures (SQL
queries, SQL time, other time, from its request log) are compared. Run by `make bench`.
The database is the benchmark's own and is changed (orders are committed).
"""

import re
import statistics
import sys
import time

import requests
from common import bench_arguments, bulk_environment, one_process_server, request_figures

import odoo
from odoo import Command
from odoo.tools import config

PAGES = ("/my/production", "/my/purchase")
REPEAT = 7


def parse_args():
    parser = bench_arguments(__doc__, server=True)
    parser.add_argument("--sizes", default="100,10000")
    return parser.parse_args()


def prepare(registry, target, state):
    """Bring the manufacturer to `target` orders (committed); return the portal login."""
    with registry.cursor() as cr:
        env = bulk_environment(cr)
        if not state:
            manufacturer = env["res.partner"].create(
                {"name": "Bench Manufacturer", "is_manufacturer": True, "is_company": True}
            )
            person = env["res.partner"].create(
                {
                    "name": "Bench Workshop User",
                    "parent_id": manufacturer.id,
                    "email": "bench@workshop.example",
                }
            )
            env["res.users"].with_context(no_reset_password=True).create(
                {
                    "login": "bench-workshop",
                    "password": "bench-workshop",
                    "partner_id": person.id,
                    "groups_id": [Command.set(env.ref("base.group_portal").ids)],
                }
            )
            product = env["product.product"].create(
                {"name": "Bench Table", "type": "consu", "mto_mode": "made_to_order"}
            )
            state.update(manufacturer=manufacturer.id, product=product.id, count=0)
        missing = target - state["count"]
        states = ["awaiting", "accepted", "in_production", "completed", "rework"]
        for start in range(0, missing, 500):
            env["purchase.order"].create(
                [
                    {
                        "partner_id": state["manufacturer"],
                        "state": "purchase",
                        "mto_state": states[(start + i) % len(states)],
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": state["product"],
                                    "product_qty": 1,
                                    "price_unit": 1000,
                                }
                            )
                        ],
                    }
                    for i in range(min(500, missing - start))
                ]
            )
            cr.commit()
        # As autovacuum would after such a load: without statistics the planner guesses one
        # row and both pages get plans no live database would use.
        cr.execute("ANALYZE purchase_order, purchase_order_line, res_partner, mail_followers")
        state["count"] = target


def measure(server_cmd, database, log_path):
    with one_process_server(server_cmd, database, log_path) as base:
        session = requests.Session()
        login_page = session.get(f"{base}/web/login", timeout=30).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', login_page).group(1)
        session.post(
            f"{base}/web/login",
            timeout=30,
            data={"login": "bench-workshop", "password": "bench-workshop", "csrf_token": token},
        )
        walls = {page: [] for page in PAGES}
        for _ in range(REPEAT):
            for page in PAGES:  # interleaved: machine noise hits both pages alike
                start = time.perf_counter()
                response = session.get(base + page, timeout=120)
                walls[page].append(time.perf_counter() - start)
                if response.status_code != 200 or "/web/login" in response.url:
                    raise SystemExit(f"{page} answered {response.status_code} {response.url}")
    figures = request_figures(log_path, {page: page for page in PAGES})
    # The first request of each page warms caches (templates, assets): leave it out.
    return {
        page: (
            statistics.median(figures[page]["queries"][1:]),
            statistics.median(figures[page]["server"][1:]),
            statistics.median(walls[page][1:]),
        )
        for page in PAGES
    }


def main():
    args = parse_args()
    config.parse_config([*args.odoo_args.split(), "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    server_cmd = [*args.odoo_bin.split(), *args.odoo_args.split()]
    state = {}
    print(
        "portal list: one manufacturer, median over "
        f"{REPEAT - 1} requests after a warm-up, server figures from Odoo's request log"
    )
    print(f"{'orders':>7} {'page':<15} {'queries':>8} {'server s':>9} {'wall s':>7}")
    rows = {}
    for size in [int(x) for x in args.sizes.split(",")]:
        prepare(registry, size, state)
        result = measure(server_cmd, args.database, f"/tmp/bench-portal-{size}.log")
        rows[size] = result
        for page, (queries, server, wall) in result.items():
            print(f"{size:>7} {page:<15} {queries:>8.0f} {server:>9.3f} {wall:>7.3f}", flush=True)
        ours, odoos = result["/my/production"], result["/my/purchase"]
        print(
            f"{size:>7} ratio production/purchase: queries {ours[0] / odoos[0]:.2f}, "
            f"server time {ours[1] / odoos[1]:.2f}"
        )
    sizes = sorted(rows)
    if len(sizes) >= 2:
        small, large = rows[sizes[0]]["/my/production"], rows[sizes[-1]]["/my/production"]
        print(
            f"/my/production queries at {sizes[0]} and {sizes[-1]} orders: "
            f"{small[0]:.0f} and {large[0]:.0f}"
            + (" (constant)" if small[0] == large[0] else " (GROWS)")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
