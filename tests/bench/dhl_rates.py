"""Benchmark: what a DHL Express rate costs the suite, uncached, from the rate cache, and for
an address DHL checked a moment ago, against Odoo's own fixed-price carrier on the same order.

DHL is a loopback stand-in that answers at once with answers the spec-checked fake DHL gave
(so the figures are the suite's own cost: building the request, the calendar, the cache, the
answer's reading, not DHL's). Each figure is the median of ``--repeat`` runs, with SQL queries
and requests sent to DHL per rate, the order's records already read (as when a checkout shows
the order before asking the rate). Runs in a database with ``delivery_dhl_express`` installed,
inside one transaction rolled back at the end.
"""

import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from common import bench_arguments

import odoo
from odoo import Command, api
from odoo.tools import config


def parse_args():
    parser = bench_arguments(__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    return parser.parse_args()


class StandIn(ThreadingHTTPServer):
    """Answers at once: the first request of each path is passed on to ``upstream`` (the
    spec-checked fake DHL) and its answer kept; every later one gets the kept answer."""

    daemon_threads = True

    def __init__(self, upstream):
        self.upstream = upstream
        self.answers = {}  # path -> (status, content type, body)
        self.count = 0
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    def _answer(self):
        self.server.count += 1
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = self.path.split("?")[0]
        if path not in self.server.answers:
            response = requests.request(
                self.command,
                self.server.upstream + self.path,
                headers={k: v for k, v in self.headers.items() if k.lower() != "host"},
                data=body or None,
                timeout=10,
            )
            self.server.answers[path] = (
                response.status_code,
                response.headers.get("Content-Type", "application/json"),
                response.content,
            )
        status, content_type, data = self.server.answers[path]
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


def measure(env, run, repeat, stand_in, before=None):
    times, queries, requests = [], [], []
    cr = env.cr
    for _i in range(repeat):
        if before:
            before()
        count, sent = cr.sql_log_count, stand_in.count if stand_in else 0
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
        queries.append(cr.sql_log_count - count)
        requests.append((stand_in.count if stand_in else 0) - sent)
    return statistics.median(times), statistics.median(queries), statistics.median(requests)


def main():
    args = parse_args()
    config.parse_config([*args.odoo_args.split(), "-d", args.database])
    # The suite's addons are importable once Odoo knows its addons path.
    from odoo.addons.delivery_dhl_express.tests.dhl_fake import (
        ACCOUNT_NUMBER,
        API_KEY,
        API_SECRET,
        DHLFake,
    )

    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        company = env.company
        company.partner_id.write(
            {"street": "12 rue de la Paix", "zip": "75002", "city": "Paris"}
            | {"country_id": env.ref("base.fr").id, "phone": "+33 1 00 00 00 00"}
        )
        client = env["res.partner"].create(
            {
                "name": "Luca Meier",
                "street": "Bahnhofstrasse 45",
                "zip": "8001",
                "city": "Zürich",
                "country_id": env.ref("base.ch").id,
                "phone": "+41 44 123 45 67",
            }
        )
        sofa = env["product.product"].create(
            {
                "name": "Three-seat sofa",
                "type": "consu",
                "list_price": 12400.0,
                "weight": 86.5,
                "packed_length": 220,
                "packed_width": 95,
                "packed_height": 80,
            }
        )
        product = env["product.product"].create({"name": "Shipping", "type": "service"})
        dhl = env["delivery.carrier"].create(
            {
                "name": "DHL Express (bench)",
                "delivery_type": "dhl_express",
                "product_id": product.id,
                "dhl_api_key": API_KEY,
                "dhl_api_secret": API_SECRET,
                "dhl_account_number": ACCOUNT_NUMBER,
                "dhl_timeout": 5,
            }
        )
        fixed = env["delivery.carrier"].create(
            {"name": "Fixed (Odoo)", "delivery_type": "fixed", "product_id": product.id}
        )
        order = env["sale.order"].create(
            {
                "partner_id": client.id,
                "order_line": [Command.create({"product_id": sofa.id, "product_uom_qty": 1})],
            }
        )
        Cache = env["dhl.express.rate.cache"]
        with DHLFake() as fake:
            stand_in = StandIn(fake.base_url)
            threading.Thread(target=stand_in.serve_forever, daemon=True).start()
            dhl.sudo().dhl_api_base_url = stand_in.base_url
            warm_up = dhl.rate_shipment(order)  # the stand-in keeps the fake's answers
            if not warm_up["success"] or fake.requests[-1].violations:
                raise SystemExit(f"no rate from the fake DHL: {warm_up['error_message']}")
        Cache.search([]).unlink()

        def forget_everything():
            Cache.search([]).unlink()

        def forget_rates_only():
            Cache.search([("result", "not like", "places")]).unlink()

        def rate():
            outcome = dhl.rate_shipment(order)
            if not outcome["success"]:
                raise SystemExit(f"rate failed: {outcome['error_message']}")

        rows = [
            (
                "Odoo fixed price",
                measure(env, lambda: fixed.rate_shipment(order), args.repeat, None),
            ),
            ("DHL uncached", measure(env, rate, args.repeat, stand_in, forget_everything)),
            ("DHL address known", measure(env, rate, args.repeat, stand_in, forget_rates_only)),
            ("DHL cache hit", measure(env, rate, args.repeat, stand_in)),
        ]
        stand_in.shutdown()
        cr.rollback()
    base = rows[0][1][0]
    print(f"dhl: one rate of a sofa Paris -> Zürich, median of {args.repeat}")
    print(f"{'case':<20} {'ms':>8} {'queries':>8} {'DHL requests':>13} {'x Odoo fixed':>13}")
    for name, (elapsed, queries, sent) in rows:
        print(
            f"{name:<20} {elapsed * 1000:>8.2f} {queries:>8.0f} {sent:>13.0f} "
            f"{elapsed / base:>13.2f}"
        )
    hit = dict(rows)["DHL cache hit"]
    if hit[2] or dict(rows)["DHL address known"][2] != 1:
        print("a cache hit asked DHL, or a known address was checked again", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
