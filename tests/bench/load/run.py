"""Benchmark: Odoo's workers under load, the suite against stock Odoo in the same run.

`make bench ARGS=load` (python3 tools/suite.py bench load [--quick] [--scale 0.2]...):
1. copies the benchmark's database (the demo story, installed once by tools/suite.py) and its
   files into a database of this run (dropped at the end unless --keep);
2. generates data there (prepare.py): manufacturers with portal users, back-office users,
   thousands of manufacturer orders in every production state, quotations to sell;
3. starts Odoo in multi-process mode: HTTP workers, the gevent (websocket) process on its own
   port, a cron thread, the queue_job runner (texts are queued jobs);
4. runs the load (driver.py: locust, headless, loopback only), bounded in time and requests;
5. prints requests per second and p50/p95/p99 per kind of request, every HTTP 5xx and
   server error, the ratios against stock Odoo's equivalents, PostgreSQL concurrency errors
   from the server's log (retried by Odoo, or given up), and the invariants checked in the
   database after the jobs drained.
Exit code 1 when a 5xx/server error or a broken invariant was seen.
"""

import hashlib
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote

import psycopg2

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the benchmarks' common module
from common import (  # noqa: E402
    bench_arguments,
    free_port,
    logged_request,
    start_server,
    stop_server,
)

RETRY = re.compile(r"odoo\.service\.model: (\w+), (\d+) tries left")
GAVE_UP = re.compile(r"odoo\.service\.model: (\w+), maximum number of tries reached")
# (suite's kind of request, stock Odoo's equivalent measured in the same run)
RATIOS = (
    ("portal: /my/production", "stock: /my/purchase"),
    ("bo: confirm made-to-order", "stock: confirm MTO + Buy"),
)


def parse_args():
    parser = bench_arguments(__doc__, server=True, database="the demo database to copy")
    parser.add_argument("--quick", action="store_true", help="a smaller, shorter run")
    parser.add_argument("--scale", type=float, help="share of the generated data (default 1)")
    parser.add_argument("--run-time", type=float, help="seconds of load (default 180)")
    parser.add_argument("--max-requests", type=int, help="stop after as many requests")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--http-port", type=int, default=os.environ.get("SUITE_LOAD_HTTP_PORT") or free_port()
    )
    parser.add_argument(
        "--gevent-port",
        type=int,
        default=os.environ.get("SUITE_LOAD_GEVENT_PORT") or free_port(),
    )
    parser.add_argument("--keep", action="store_true", help="keep the run's database")
    args = parser.parse_args()
    scale = args.scale if args.scale is not None else (0.2 if args.quick else 1.0)
    args.scale = scale
    args.run_time = args.run_time or (60 if args.quick else 180)
    args.max_requests = args.max_requests or (3000 if args.quick else 15000)
    return args


def say(message):
    print(f"[load] {message}", flush=True)


def option(argv, *names):
    for index, value in enumerate(argv):
        if value in names and index + 1 < len(argv):
            return argv[index + 1]
        for name in names:
            if value.startswith(name + "="):
                return value.split("=", 1)[1]
    return None


def connect(odoo_argv, dbname):
    return psycopg2.connect(
        dbname=dbname,
        host=option(odoo_argv, "--db_host"),
        port=option(odoo_argv, "--db_port"),
        user=option(odoo_argv, "--db_user", "-r"),
        password=option(odoo_argv, "--db_password", "-w"),
    )


def copy_database(odoo_argv, source, target):
    conn = connect(odoo_argv, "postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cr.execute(f'CREATE DATABASE "{target}" WITH TEMPLATE "{source}"')
        cr.execute(f"COMMENT ON DATABASE \"{target}\" IS 'furniture-suite load benchmark run'")
    conn.close()
    data_dir = Path(option(odoo_argv, "--data-dir", "-D"))
    shutil.rmtree(data_dir / "filestore" / target, ignore_errors=True)
    if (data_dir / "filestore" / source).is_dir():
        shutil.copytree(data_dir / "filestore" / source, data_dir / "filestore" / target)


def drop_database(odoo_argv, target):
    conn = connect(odoo_argv, "postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [target]
        )
        cr.execute(f'DROP DATABASE IF EXISTS "{target}"')
    conn.close()
    shutil.rmtree(
        Path(option(odoo_argv, "--data-dir", "-D")) / "filestore" / target, ignore_errors=True
    )


def start_multi_process_server(args, odoo_argv, db, log_path):
    env = dict(
        os.environ,
        # queue_job's runner: as in production, jobs start over HTTP on this server's port.
        ODOO_QUEUE_JOB_CHANNELS="root:2,root.sms_twilio:1",
        ODOO_QUEUE_JOB_PORT=str(args.http_port),
        ODOO_QUEUE_JOB_HOST="127.0.0.1",
    )
    cmd = [
        *shlex.split(args.odoo_bin),
        *odoo_argv,
        "-d",
        db,
        "--db-filter",
        f"^{db}$",
        "--load",
        "base,web,queue_job,web_service_unavailable",
        "--workers",
        str(args.workers),
        "--max-cron-threads",
        "1",
        "--http-port",
        str(args.http_port),
        "--gevent-port",
        str(args.gevent_port),
        "--limit-time-real",
        "600",
        "--limit-time-cpu",
        "300",
        "--log-handler",
        "werkzeug:INFO",
        "--logfile",
        str(log_path),
    ]
    return start_server(cmd, log_path, f"http://127.0.0.1:{args.http_port}/web/health", env=env)


def wait_for_jobs(conn, seconds):
    """Let the runner finish what the load queued (texts), at most `seconds`."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM queue_job WHERE state IN ('pending', 'enqueued', 'started')"
            )
            if not cr.fetchone()[0]:
                return
        time.sleep(2)


INVARIANTS = (
    (
        "one purchase line per sales line",
        """SELECT count(*) FROM (
               SELECT mto_sale_line_id FROM purchase_order_line
                WHERE mto_sale_line_id IS NOT NULL AND state != 'cancel'
                GROUP BY mto_sale_line_id HAVING count(*) > 1) d""",
    ),
    (
        "every paid made-to-order line ordered from its manufacturer",
        """SELECT count(*) FROM sale_order_line sol
             JOIN sale_order so ON so.id = sol.order_id
             JOIN product_product pp ON pp.id = sol.product_id
             JOIN product_template pt ON pt.id = pp.product_tmpl_id
            WHERE so.state = 'sale' AND pt.mto_mode = 'made_to_order'
              AND sol.mto_procurement IS NULL
              AND EXISTS (SELECT 1 FROM account_move_line aml
                            JOIN sale_order_line_invoice_rel r ON r.invoice_line_id = aml.id
                            JOIN account_move am ON am.id = aml.move_id
                           WHERE r.order_line_id = sol.id
                             AND am.payment_state IN ('paid', 'in_payment'))""",
    ),
    (
        "one charge per invoice (payments of a Stripe transaction)",
        """SELECT count(*) FROM (
               SELECT payment_transaction_id FROM account_payment
                WHERE payment_transaction_id IS NOT NULL
                GROUP BY payment_transaction_id HAVING count(*) > 1) d""",
    ),
    (
        "one charge per invoice (payments per invoice)",
        """SELECT count(*) FROM (
               SELECT invoice_id FROM account_move__account_payment
                GROUP BY invoice_id HAVING count(*) > 1) d""",
    ),
    (
        "one Stripe event recorded per event id",
        """SELECT count(*) FROM (
               SELECT event_id FROM payment_stripe_event
                GROUP BY event_id HAVING count(*) > 1) d""",
    ),
    (
        "one text per stage (same message to the same number about the same record)",
        """SELECT count(*) FROM (
               SELECT m.model, m.res_id, s.number, s.body FROM sms_sms s
                 JOIN mail_message m ON m.id = s.mail_message_id
                GROUP BY m.model, m.res_id, s.number, s.body HAVING count(*) > 1) d""",
    ),
    (
        "one inspection per received piece",
        """SELECT count(*) FROM (
               SELECT piece_id FROM mto_quality_inspection
                WHERE previous_id IS NULL
                GROUP BY piece_id HAVING count(*) > 1) d""",
    ),
    (
        "every received piece has its inspection",
        """SELECT count(*) FROM mto_piece p
             JOIN purchase_order_line pol ON pol.id = p.purchase_line_id
            WHERE pol.qty_received >= pol.product_qty AND pol.product_qty > 0
              AND NOT EXISTS (SELECT 1 FROM mto_quality_inspection i WHERE i.piece_id = p.id)""",
    ),
    (
        "no job stuck (pending, enqueued or started after the drain)",
        "SELECT count(*) FROM queue_job WHERE state IN ('pending', 'enqueued', 'started')",
    ),
    ("no job failed", "SELECT count(*) FROM queue_job WHERE state = 'failed'"),
)


def invariants(conn):
    broken = []
    print("\ninvariants after the run")
    for label, query in INVARIANTS:
        with conn.cursor() as cr:
            try:
                cr.execute(query)
                bad = cr.fetchone()[0]
            except psycopg2.Error as error:
                conn.rollback()
                bad = f"query failed: {error.pgerror or error}".strip()
        ok = bad == 0
        print(f"  {'ok ' if ok else 'BAD'} {label}: {bad}")
        if not ok:
            broken.append(label)
    return broken


def counts(conn):
    queries = {
        "sales orders confirmed": "SELECT count(*) FROM sale_order WHERE state = 'sale'",
        "manufacturer orders": "SELECT count(*) FROM purchase_order WHERE mto_state IS NOT NULL",
        "pieces received": """SELECT count(*) FROM mto_piece p JOIN purchase_order_line l
                               ON l.id = p.purchase_line_id WHERE l.qty_received > 0""",
        "inspections passed": "SELECT count(*) FROM mto_quality_inspection WHERE state = 'passed'",
        "Stripe events": "SELECT count(*) FROM payment_stripe_event",
        "texts": "SELECT count(*) FROM sms_sms",
        "jobs done": "SELECT count(*) FROM queue_job WHERE state = 'done'",
    }
    out = {}
    for label, query in queries.items():
        with conn.cursor() as cr:
            cr.execute(query)
            out[label] = cr.fetchone()[0]
    return out


# The kind of request the driver puts first in the query string (the pages ignore it).
KIND = re.compile(r"\?kind=([^&]+)")


def log_figures(log_path):
    retries, gave_up, errors = {}, {}, []
    pages = {}
    with open(log_path, errors="replace") as log:
        for line in log:
            request = logged_request(line)
            if request and request.status == 200:
                kind = KIND.match(request.query)
                key = unquote(kind.group(1)) if kind else request.path
                pages.setdefault(key, []).append((request.queries, request.seconds))
            match = RETRY.search(line)
            if match:
                retries[match.group(1)] = retries.get(match.group(1), 0) + 1
            match = GAVE_UP.search(line)
            if match:
                gave_up[match.group(1)] = gave_up.get(match.group(1), 0) + 1
            if " ERROR " in line or " CRITICAL " in line:
                errors.append(line.strip()[:240])
    return retries, gave_up, errors, pages


def report(args, results, log_path, before, after):
    print(
        f"\nload: {args.makers} manufacturers' portal users, {args.staff} back-office users, "
        f"Stripe and Twilio; {args.workers} HTTP workers + gevent + cron + queue_job runner"
    )
    print(
        f"{results['requests']} requests in {results['elapsed']:.0f} s: "
        f"{results['rps']:.1f} requests/s, {results['failures']} failed"
    )
    print(
        f"\n{'kind of request':<38} {'count':>6} {'req/s':>6} {'p50 s':>7} {'p95 s':>7} "
        f"{'p99 s':>7} {'fail':>5}"
    )
    for name, kind in sorted(results["kinds"].items()):
        print(
            f"{name:<38} {kind['count']:>6} {kind['rps']:>6.2f} {kind['p50']:>7.3f} "
            f"{kind['p95']:>7.3f} {kind['p99']:>7.3f} {kind['failures']:>5}"
        )
    print("\nsuite / stock Odoo, same load, same run, as the users saw it (p50 and p95)")
    for suite, stock in RATIOS:
        a, b = results["kinds"].get(suite), results["kinds"].get(stock)
        if a and b and b["p50"] and b["p95"]:
            print(
                f"  {suite} / {stock}: x{a['p50'] / b['p50']:.2f} (p50), "
                f"x{a['p95'] / b['p95']:.2f} (p95)"
            )
        else:
            print(f"  {suite} / {stock}: not measured (too few requests)")
    errors = results["server_errors"]
    print(f"\nHTTP 5xx and server errors: {len(errors)}")
    for error in errors[:50]:
        print(f"  {error['status']} {error['kind']} {error['url']}: {error['body']}")
    if results["errors"]:
        print("failed requests (by kind and reason)")
        for error in results["errors"]:
            print(f"  {error['count']:>5} {error['name']}: {error['error']}")
    if results["refused"]:
        print("refused with a clear message to the user (business rules, concurrent clicks)")
        for kind, messages in results["refused"].items():
            for message, count in messages.items():
                print(f"  {count:>5} {kind}: {message}")
    retries, gave_up, log_errors, pages = log_figures(log_path)
    print(
        "\nsuite / stock Odoo, server side (Odoo's request log: time in the worker, without "
        "the wait for a free worker; median, and queries)"
    )
    for suite, stock in RATIOS:
        a, b = pages.get(suite), pages.get(stock)
        if a and b:
            (q1, t1), (q2, t2) = (
                (statistics.median(q for q, _t in x), statistics.median(t for _q, t in x))
                for x in (a, b)
            )
            print(
                f"  {suite} {t1:.3f} s {q1:.0f} queries ({len(a)}) / {stock} {t2:.3f} s "
                f"{q2:.0f} queries ({len(b)}): x{t1 / t2:.2f} time, x{q1 / q2:.2f} queries"
            )
        else:
            print(f"  {suite} / {stock}: not measured")
    print(
        f"\nPostgreSQL concurrency errors in the server's log: "
        f"{sum(retries.values())} retried by Odoo {retries or ''}, "
        f"{sum(gave_up.values())} given up after its retries {gave_up or ''}"
    )
    print(f"ERROR lines in the server's log: {len(log_errors)}")
    for line in log_errors[:20]:
        print(f"  {line}")
    print(
        f"Stripe webhook pairs sent: {results['webhook_pairs']}; texts received by Twilio: "
        f"{results['texts']}, status callbacks sent: {results['callbacks']}; jobs not done "
        f"after the drain: {results.get('jobs_left')}"
    )
    if results.get("twilio_violations"):
        print(f"Twilio requests outside Twilio's spec: {results['twilio_violations'][:5]}")
    print("\nwhat the run did: " + ", ".join(f"{k} {after[k] - before[k]:+d}" for k in after))
    return bool(errors) or bool(gave_up)


def plan_path(odoo_argv, data_db):
    return Path(option(odoo_argv, "--data-dir", "-D")) / f"{data_db}.load-plan.json"


def prepare_data(args, odoo_argv, python):
    """The demo story plus the generated data, made once per scale and kept as a database
    of its own (a template: each run works on a copy). Made again when the generator or the
    suite's modules in the demo database changed."""
    data_db = f"{args.database}_data_{round(args.scale * 1000)}"
    conn = connect(odoo_argv, args.database)
    with conn.cursor() as cr:
        cr.execute("SELECT max(write_date)::text FROM ir_module_module")
        modules_stamp = cr.fetchone()[0]
    conn.close()
    stamp = hashlib.sha256((HERE / "prepare.py").read_bytes() + modules_stamp.encode()).hexdigest()[
        :16
    ]
    comment = f"furniture-suite load benchmark data {stamp}"
    conn = connect(odoo_argv, "postgres")
    with conn.cursor() as cr:
        cr.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [data_db],
        )
        row = cr.fetchone()
    conn.close()
    if row and row[0] == comment and plan_path(odoo_argv, data_db).is_file():
        say(f"generated data: {data_db} (made earlier)")
        return data_db
    say(f"generating the data into {data_db} (once per scale; minutes)")
    copy_database(odoo_argv, args.database, data_db)
    base_url = f"http://127.0.0.1:{args.http_port}"
    try:
        subprocess.run(
            [
                python,
                HERE / "prepare.py",
                "--database",
                data_db,
                "--odoo-args",
                args.odoo_args,
                "--manufacturers",
                str(args.makers),
                "--orders",
                str(max(500, round(5000 * args.scale))),
                "--quotations",
                str(max(100, round(500 * args.scale))),
                "--stock-quotations",
                str(max(50, round(250 * args.scale))),
                "--base-url",
                base_url,
                "--plan",
                plan_path(odoo_argv, data_db),
            ],
            check=True,
        )
    except BaseException:
        drop_database(odoo_argv, data_db)
        raise
    conn = connect(odoo_argv, "postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'COMMENT ON DATABASE "{data_db}" IS %s', [comment])
    conn.close()
    return data_db


def main():
    args = parse_args()
    odoo_argv = shlex.split(args.odoo_args)
    args.makers = max(5, round(50 * args.scale)) if args.scale < 1 else 50
    args.staff = 10
    run_db = f"{args.database}_run"
    workdir = Path(tempfile.mkdtemp(prefix="load-bench-"))
    log_path = workdir / "odoo.log"
    plan = workdir / "plan.json"
    results_path = workdir / "results.json"
    python = shlex.split(args.odoo_bin)[0]
    started = time.perf_counter()
    data_db = prepare_data(args, odoo_argv, python)
    say(f"copying {data_db} into {run_db}; Odoo's log: {log_path}")
    copy_database(odoo_argv, data_db, run_db)
    shutil.copy(plan_path(odoo_argv, data_db), plan)
    server = None
    failed = True
    try:
        base_url = f"http://127.0.0.1:{args.http_port}"
        conn = connect(odoo_argv, run_db)
        with conn, conn.cursor() as cr:  # the texts' status callbacks come back to this port
            cr.execute(
                "UPDATE ir_config_parameter SET value = %s WHERE key = 'web.base.url'", [base_url]
            )
        conn.close()
        server = start_multi_process_server(args, odoo_argv, run_db, log_path)
        say(f"Odoo up with {args.workers} workers after {time.perf_counter() - started:.0f} s")
        conn = connect(odoo_argv, run_db)
        conn.autocommit = True
        before = counts(conn)
        say(f"load for {args.run_time:.0f} s or {args.max_requests} requests")
        subprocess.run(
            [
                python,
                HERE / "driver.py",
                "--plan",
                plan,
                "--host",
                base_url,
                "--run-time",
                str(args.run_time),
                "--max-requests",
                str(args.max_requests),
                "--makers",
                str(args.makers),
                "--staff",
                str(args.staff),
                "--out",
                results_path,
                "--workers",
                str(args.workers),
            ],
            check=True,
        )
        wait_for_jobs(conn, 30)
        after = counts(conn)
        results = json.loads(results_path.read_text())
        failed = report(args, results, log_path, before, after)
        failed = bool(invariants(conn)) or failed
        conn.close()
    finally:
        if server:
            stop_server(server)
        if not args.keep:
            drop_database(odoo_argv, run_db)
    say(f"total {time.perf_counter() - started:.0f} s (Odoo's log kept in {log_path})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
