"""What the benchmarks share: the arguments `tools/suite.py bench` passes each of them, the
order flow they time, and, for those that start Odoo's server themselves, a free port, the
server started and stopped, and the figures of werkzeug's request log (SQL queries and the
server's own time per request).

The benchmarks run as scripts: this folder is on their path (`from common import ...`).
"""

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import time
from contextlib import contextmanager
from typing import NamedTuple

import requests

# A request in werkzeug's log, with the figures Odoo adds: SQL queries, SQL time, other time.
REQUEST = re.compile(
    r'"(?P<method>GET|POST) (?P<path>[^ ?]+)(?P<query>\S*) HTTP/1.1" '
    r"(?P<status>\d+) - (?P<queries>\d+) (?P<sql>[\d.]+) (?P<other>[\d.]+)"
)


def bench_arguments(doc, *, server=False, database=None):
    """The parser of what tools/suite.py passes a benchmark (its database, Odoo's configuration
    arguments and, with `server`, the command that runs odoo-bin); the caller adds its own."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--database", required=True, help=database)
    parser.add_argument("--odoo-args", default="", help="odoo configuration arguments")
    if server:
        parser.add_argument(
            "--odoo-bin", required=True, help="python and odoo-bin, space-separated"
        )
    return parser


def bulk_environment(cr):
    """The superuser's environment, without the chatter's tracking: for loading bench data."""
    import odoo  # here: the load benchmark uses this module without Odoo

    return odoo.api.Environment(
        cr,
        odoo.SUPERUSER_ID,
        {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True},
    )


def confirm_and_pay(order):
    """Confirm the sales order, invoice it and pay the invoice in full."""
    order.action_confirm()
    invoice = order._create_invoices()
    invoice.action_post()
    order.env["account.payment.register"].with_context(
        active_model="account.move", active_ids=invoice.ids
    ).create({})._create_payments()


def time_and_queries(samples):
    """Median seconds and mean SQL queries of (seconds, queries) samples."""
    return (
        statistics.median(t for t, _q in samples),
        statistics.mean(q for _t, q in samples),
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(cmd, log_path, ready_url, **popen):
    """Start Odoo (`cmd`, in a process group of its own) and wait until `ready_url` answers;
    exit, the server stopped, when it stops or does not answer in two minutes."""
    server = subprocess.Popen(cmd, start_new_session=True, **popen)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise SystemExit(f"Odoo stopped at start: see {log_path}")
            try:
                if requests.get(ready_url, timeout=5).status_code == 200:
                    return server
            except requests.RequestException:  # not listening yet, or still loading
                pass
            time.sleep(0.5)
        raise SystemExit(f"Odoo did not answer in 2 minutes: see {log_path}")
    except BaseException:
        stop_server(server)
        raise


def stop_server(server):
    """Stop Odoo and the processes it started (its workers); killed after a minute."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@contextmanager
def one_process_server(server_cmd, database, log_path, port=0):
    """Odoo serving `database` in one process (no workers, no cron) on `port` (0: a free one),
    its log with werkzeug's request lines in `log_path`; yields its base URL once it answers."""
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "w") as log:
        server = start_server(
            [
                *server_cmd,
                "-d",
                database,
                "--http-port",
                str(port),
                "--workers",
                "0",
                "--max-cron-threads",
                "0",
                "--log-handler",
                "werkzeug:INFO",
            ],
            log_path,
            f"{base}/web/health",
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield base
    finally:
        stop_server(server)


class LoggedRequest(NamedTuple):
    method: str
    path: str  # without the query string
    query: str  # the query string with its "?", or ""
    status: int
    queries: int  # SQL queries
    seconds: float  # in the server: SQL time and other time


def logged_request(line):
    """The request a line of Odoo's log (werkzeug's request log) tells of, or None."""
    match = REQUEST.search(line)
    if not match:
        return None
    return LoggedRequest(
        match["method"],
        match["path"],
        match["query"],
        int(match["status"]),
        int(match["queries"]),
        float(match["sql"]) + float(match["other"]),
    )


def request_figures(log_path, names):
    """{name: {"queries": [SQL queries], "server": [seconds in the server]}} in the log's
    order, of the requests whose path (without the query string) `names` maps to a name."""
    figures = {name: {"queries": [], "server": []} for name in names.values()}
    with open(log_path, errors="replace") as log:
        for line in log:
            request = logged_request(line)
            name = request and names.get(request.path)
            if name:
                figures[name]["queries"].append(request.queries)
                figures[name]["server"].append(request.seconds)
    return figures
