"""Benchmark: the storefront API's catalogue and quote at 100 and 5,000 products, against
Odoo's own /shop page on the same products.

For each size, a real Odoo server answers `GET /api/v1/catalogue/products` (a page of 24,
prices from the French price list with taxes), `GET /api/v1/catalogue/products/{id}` and
`POST /api/v1/quote` (a made-to-order piece with its measurement), and `/shop` when
`website_sale` can be installed in the benchmark's database (it is tried once). Figures
come from the server's own request log (SQL queries and time per request), wall times from
the client: median and 95th percentile over the requests after a warm-up. Run by
`make bench ARGS=api`. The database is the benchmark's own and is changed (products are
committed).
"""

import math
import statistics
import subprocess
import sys
import time

import requests
from common import bench_arguments, bulk_environment, one_process_server, request_figures

import odoo
from odoo import Command
from odoo.tools import config

REPEAT = 21
CATALOGUE = "/api/v1/catalogue/products?country=FR&page_size=24&sort=name"


def parse_args():
    parser = bench_arguments(__doc__, server=True)
    parser.add_argument("--sizes", default="100,5000")
    parser.add_argument("--http-port", type=int, default=0, help="0: any free port")
    return parser.parse_args()


def prepare(registry, target, state):
    """Bring the catalogue to ``target`` products (committed); return the API key."""
    with registry.cursor() as cr:
        env = bulk_environment(cr)
        if "count" not in state:
            workshop = env["res.partner"].create(
                {"name": "Bench Workshop", "is_manufacturer": True, "is_company": True}
            )
            cm = env.ref("uom.product_uom_cm")
            category = env["product.category"].create({"name": "Bench Tables"})
            env["mto.measurement.type"].create(
                {
                    "name": "Width",
                    "code": "width",
                    "categ_id": category.id,
                    "uom_id": cm.id,
                    "min_value": 60,
                    "max_value": 400,
                }
            )
            tax = env["account.tax"].create(
                {"name": "Bench VAT 20%", "amount": 20, "type_tax_use": "sale"}
            )
            key = env["storefront.api.key"].create(
                {"name": "Bench storefront", "rate_limit": 1_000_000}
            )
            env.ref(
                "storefront_api.fastapi_endpoint_storefront"
            ).storefront_ip_rate_limit = 1_000_000
            state.update(
                workshop=workshop.id,
                category=category.id,
                tax=tax.id,
                key=key._storefront_generate(),
                count=0,
            )
        missing = target - state["count"]
        for start in range(0, missing, 500):
            products = env["product.product"].create(
                [
                    {
                        "name": f"Bench Piece {state['count'] + start + i:05d}",
                        "type": "consu",
                        "is_storable": True,
                        "categ_id": state["category"],
                        "list_price": 500 + (start + i) % 1000,
                        "mto_mode": "made_to_order" if (start + i) % 2 else False,
                        "taxes_id": [Command.set([state["tax"]])],
                        "storefront_width": 120,
                        "storefront_depth": 60,
                        "seller_ids": [
                            Command.create({"partner_id": state["workshop"], "delay": 30})
                        ],
                        **({"is_published": True} if state.get("website") else {}),
                    }
                    for i in range(min(500, missing - start))
                ]
            )
            state.setdefault("quoted", products.filtered("mto_mode")[:1].id)
            cr.commit()
        if state.get("website"):
            env["product.template"].search([("name", "like", "Bench Piece")]).is_published = True
        cr.execute("ANALYZE product_template, product_product, stock_quant, ir_attachment")
        cr.commit()
        state["count"] = target
        state["detail"] = env["product.product"].browse(state["quoted"]).product_tmpl_id.id


def try_website_sale(server_cmd, database):
    """Install website_sale in the benchmark's database for /shop; False when it cannot."""
    result = subprocess.run(
        [*server_cmd, "-d", database, "-i", "website_sale", "--stop-after-init", "--no-http"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        print("website_sale could not be installed: no /shop comparison", flush=True)
        print(result.stdout[-2000:] + result.stderr[-2000:], flush=True)
        return False
    return True


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def measure(server_cmd, database, state, log_path, with_shop, port=0):
    headers = {"X-API-Key": state["key"]}
    quote = {"product_id": state["quoted"], "measurements": [{"code": "width", "value": 180}]}
    calls = {
        "catalogue": ("GET", CATALOGUE, None),
        "product": ("GET", f"/api/v1/catalogue/products/{state['detail']}?country=FR", None),
        "quote": ("POST", "/api/v1/quote", quote),
    }
    if with_shop:
        calls["/shop"] = ("GET", "/shop", None)
    walls = {name: [] for name in calls}
    with one_process_server(server_cmd, database, log_path, port) as base:
        session = requests.Session()
        for _ in range(REPEAT):
            for name, (method, path, body) in calls.items():  # interleaved
                start = time.perf_counter()
                response = session.request(
                    method, base + path, json=body, headers=headers, timeout=120
                )
                walls[name].append(time.perf_counter() - start)
                if response.status_code != 200:
                    raise SystemExit(f"{name} answered {response.status_code}: {response.text}")
    by_path = {path.split("?")[0]: name for name, (_m, path, _b) in calls.items()}
    figures = request_figures(log_path, by_path)
    result = {}
    for name in calls:
        # The first request of each warms caches (the FastAPI app, templates): left out.
        queries = figures[name]["queries"][1:]
        server = figures[name]["server"][1:]
        wall = walls[name][1:]
        result[name] = {
            "queries": statistics.median(queries) if queries else float("nan"),
            "server": statistics.median(server) if server else float("nan"),
            "p50": statistics.median(wall),
            "p95": percentile(wall, 0.95),
        }
    return result


def main():
    args = parse_args()
    config.parse_config([*args.odoo_args.split(), "-d", args.database])
    server_cmd = [*args.odoo_bin.split(), *args.odoo_args.split()]
    with_shop = try_website_sale(server_cmd, args.database)
    registry = odoo.modules.registry.Registry(args.database)
    state = {"website": with_shop}
    print(
        f"storefront API: median and p95 over {REPEAT - 1} requests after a warm-up; "
        "queries and server time from Odoo's request log"
    )
    print(f"{'products':>8} {'call':<10} {'queries':>8} {'server s':>9} {'p50 s':>7} {'p95 s':>7}")
    rows = {}
    for size in [int(x) for x in args.sizes.split(",")]:
        prepare(registry, size, state)
        log_path = f"/tmp/bench-api-{size}.log"
        result = measure(server_cmd, args.database, state, log_path, with_shop, args.http_port)
        rows[size] = result
        for name, row in result.items():
            print(
                f"{size:>8} {name:<10} {row['queries']:>8.0f} {row['server']:>9.3f} "
                f"{row['p50']:>7.3f} {row['p95']:>7.3f}",
                flush=True,
            )
        if with_shop:
            ours, shop = result["catalogue"], result["/shop"]
            print(
                f"{size:>8} ratio catalogue / shop: queries {ours['queries'] / shop['queries']:.2f}"
                f", server time {ours['server'] / shop['server']:.2f}, "
                f"p95 {ours['p95'] / shop['p95']:.2f}",
                flush=True,
            )
    sizes = sorted(rows)
    if len(sizes) >= 2:
        for name in ("catalogue", "product", "quote"):
            small, large = rows[sizes[0]][name]["queries"], rows[sizes[-1]][name]["queries"]
            print(
                f"{name} queries at {sizes[0]} and {sizes[-1]} products: {small:.0f} and "
                f"{large:.0f}" + (" (constant)" if small == large else " (GROWS)")
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
