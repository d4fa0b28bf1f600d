"""The load of `make bench ARGS=load`: locust, headless, as a library, on loopback only.

Run by run.py against the Odoo server it started. Users, all at once:
- manufacturers' portal users (one per manufacturer) on the suite's portal routes: the
  order list (and Odoo's own /my/purchase, the stock equivalent, in the same task), an
  order's page, accept / start / complete (with photos) and the piece labels (PDF);
- back-office users through JSON-RPC (/web/dataset/call_kw, as the web client): confirm
  made-to-order quotations (and stock MTO + Buy ones, the stock equivalent), invoice and
  register their payment, validate manufacturer orders, receive pieces, pass inspections,
  validate deliveries;
- Stripe: each quotation paid online gets its payment_intent.succeeded webhook, sent twice
  at the same moment (as Stripe's retries can), signed with the endpoint's secret;
- Twilio: a local Twilio (the suite's fake, checking Odoo's calls against Twilio's OpenAPI
  file) receives the texts; each gets signed status callbacks (sent, then delivered).
Stops at --run-time seconds or --max-requests requests, whichever comes first; writes the
figures as JSON for run.py.
"""

import argparse
import contextlib
import io
import itertools
import json
import random
import re
import sys
import time
from pathlib import Path
from urllib.parse import quote

import gevent
import requests
from locust import HttpUser, between, task
from locust.env import Environment

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from tests.addon_import import install_suite_addon_finder  # noqa: E402

install_suite_addon_finder()

from twilio.request_validator import RequestValidator  # noqa: E402

from odoo.addons.payment_stripe_mto.tests.stripe_fake import signed_webhook  # noqa: E402
from odoo.addons.sms_twilio.tests.twilio_fake import TwilioFake  # noqa: E402

CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
ORDER_LINK = re.compile(r'href="/my/production/(\d+)[?"]')
PLAN = {}
RESULTS = {
    "server_errors": [],
    "refused": {},
    "webhook_pairs": 0,
    "texts": 0,
    "callbacks": 0,
    "callbacks_done": 0,
}


def photo_bytes():
    """A small JPEG, as a phone's photo would be checked (by its content)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (140, 90, 40)).save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


PHOTO = photo_bytes()


def refused(kind, message):
    RESULTS["refused"].setdefault(kind, {})
    key = (message or "")[:160]
    RESULTS["refused"][kind][key] = RESULTS["refused"][kind].get(key, 0) + 1


def check(response, kind, ok=(200,)):
    """Record a 5xx with its request; a 4xx or other status fails the request in the stats."""
    if response.status_code >= 500:
        RESULTS["server_errors"].append(
            {
                "kind": kind,
                "status": response.status_code,
                "url": response.request.path_url if response.request else "",
                "body": (response.text or "")[:300],
            }
        )
        response.failure(f"HTTP {response.status_code}")
        return False
    if response.status_code not in ok:
        response.failure(f"HTTP {response.status_code}")
        return False
    response.success()
    return True


class LoadTwilio(TwilioFake):
    """The suite's Twilio fake, keeping the status callback URL Odoo gave for each text."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.callbacks = []

    def _create_message(self, request):
        answer = super()._create_message(request)
        form = request.form or {}
        if answer.status == 201 and form.get("StatusCallback"):
            self.callbacks.append((answer.body["sid"], form["StatusCallback"]))
        return answer


TWILIO = None
_makers = itertools.count()
_staff = itertools.count()
_suite_quotes = None
_stock_quotes = None


class OdooUser(HttpUser):
    abstract = True

    def form_login(self, login):
        page = self.client.get("/web/login", name="login page")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            "/web/login",
            data={"login": login, "password": PLAN["password"], "csrf_token": token},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            check(response, "login", ok=(303,))


class Manufacturer(OdooUser):
    """A workshop's portal user working its own orders."""

    fixed_count = 50
    wait_time = between(1, 3)

    def on_start(self):
        logins = PLAN["makers"]
        self.login = logins[next(_makers) % len(logins)]
        self.form_login(self.login)
        self.ids = []

    def _list(self, filterby="all", name="portal: /my/production"):
        # The kind in the query string (the page ignores it): Odoo's request log then tells
        # the server's own time and queries per kind.
        url = f"/my/production?kind={quote(name)}"
        if filterby != "all":
            url += f"&filterby={filterby}"
        with self.client.get(url, name=name, catch_response=True) as response:
            if check(response, name):
                return [int(i) for i in ORDER_LINK.findall(response.text)]
        return []

    def _open(self, order_id, name="portal: open order"):
        with self.client.get(
            f"/my/production/{order_id}", name=name, catch_response=True
        ) as response:
            if check(response, name):
                match = CSRF.search(response.text)
                return match.group(1) if match else None
        return None

    def _step(self, filterby, step, files=None):
        ids = self._list(filterby, name=f"portal: list {filterby}")
        if not ids:
            return
        order_id = random.choice(ids)
        token = self._open(order_id)
        if not token:
            return
        name = f"portal: {step}" + (" (photos)" if files else "")
        with self.client.post(
            f"/my/production/{order_id}/{step}",
            data={"csrf_token": token},
            files=files,
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if check(response, name, ok=(303,)) and "error=" in response.headers.get(
                "Location", ""
            ):
                refused(name, response.headers["Location"])

    @task(6)
    def list_orders(self):
        # The suite's list and Odoo's own, one after the other: the same load on both.
        self.ids = self._list() or self.ids
        with self.client.get(
            f"/my/purchase?kind={quote('stock: /my/purchase')}",
            name="stock: /my/purchase",
            catch_response=True,
        ) as response:
            check(response, "stock: /my/purchase")

    @task(3)
    def open_order(self):
        if self.ids:
            self._open(random.choice(self.ids))

    @task(2)
    def accept(self):
        self._step("awaiting", "accept")

    @task(2)
    def start_production(self):
        self._step("accepted", "start")

    @task(2)
    def complete(self):
        self._step(
            "in_production",
            "complete",
            files=[("photos", ("finished.jpg", PHOTO, "image/jpeg")) for _ in range(2)],
        )

    @task(1)
    def labels(self):
        ids = self._list("accepted", name="portal: list accepted")
        if ids:
            name = "portal: labels (PDF)"
            with self.client.get(
                f"/my/production/{random.choice(ids)}/labels", name=name, catch_response=True
            ) as response:
                check(response, name)


class RpcError(Exception):
    pass


class BackOffice(OdooUser):
    """A back-office user in the web client (JSON-RPC)."""

    fixed_count = 10
    wait_time = between(1, 3)

    def on_start(self):
        logins = PLAN["staff"]
        self.login = logins[next(_staff) % len(logins)]
        self.form_login(self.login)

    def call(self, name, model, method, args, kwargs=None, *, refusals=True):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": random.randint(1, 10**9),
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        error = None
        with self.client.post(
            # The kind in the query string (the JSON route ignores it): Odoo's request log then
            # tells the server's own time and queries per kind.
            f"/web/dataset/call_kw/{model}/{method}?kind={quote(name)}",
            json=payload,
            name=name,
            catch_response=True,
        ) as response:
            if not check(response, name):
                error = f"HTTP {response.status_code}"
            else:
                body = response.json()
                if "error" in body:
                    data = body["error"].get("data") or {}
                    error = data.get("message") or body["error"].get("message")
                    business = data.get("name", "").startswith(
                        ("odoo.exceptions.UserError", "odoo.exceptions.ValidationError")
                    )
                    if business and refusals:
                        refused(name, error)  # a clear answer to a user, not a failure
                    else:
                        RESULTS["server_errors"].append(
                            {
                                "kind": name,
                                "status": "rpc",
                                "url": f"{model}.{method}",
                                "body": f"{data.get('name')}: {error}"[:300],
                            }
                        )
                        response.failure(f"RPC {data.get('name')}")
        if error is not None:
            raise RpcError(error)
        return body["result"]

    def _search(self, name, model, domain, limit=5):
        return self.call(name, model, "search", [domain], {"limit": limit, "order": "id"})

    @task(4)
    def sell_made_to_order(self):
        order_id = next(_suite_quotes, None)
        if order_id is None:
            return
        try:
            self.call("bo: confirm made-to-order", "sale.order", "action_confirm", [[order_id]])
            intent = PLAN["stripe_paid"].get(str(order_id))
            if intent:
                self._stripe_twice(intent)
                return
            context = {
                "active_model": "sale.order",
                "active_ids": [order_id],
                "active_id": order_id,
            }
            wizard = self.call(
                "bo: invoice",
                "sale.advance.payment.inv",
                "create",
                [{"advance_payment_method": "delivered"}],
                {"context": context},
            )
            action = self.call(
                "bo: invoice",
                "sale.advance.payment.inv",
                "create_invoices",
                [[wizard]],
                {"context": context},
            )
            invoice_id = action.get("res_id")
            self.call("bo: post invoice", "account.move", "action_post", [[invoice_id]])
            context = {"active_model": "account.move", "active_ids": [invoice_id]}
            register = self.call(
                "bo: register payment",
                "account.payment.register",
                "create",
                [{}],
                {"context": context},
            )
            self.call(
                "bo: register payment",
                "account.payment.register",
                "action_create_payments",
                [[register]],
                {"context": context},
            )
        except RpcError:
            pass

    def _stripe_twice(self, intent):
        payload, headers = signed_webhook(
            "payment_intent.succeeded", intent, secret=PLAN["webhook_secret"]
        )
        headers = {"Content-Type": "application/json", **headers}

        def send():
            with self.client.post(
                "/payment/stripe/webhook",
                data=payload,
                headers=headers,
                name="stripe: webhook (twice at once)",
                catch_response=True,
            ) as response:
                check(response, "stripe: webhook (twice at once)")

        gevent.joinall([gevent.spawn(send), gevent.spawn(send)])
        RESULTS["webhook_pairs"] += 1

    @task(2)
    def sell_stock(self):
        order_id = next(_stock_quotes, None)
        if order_id is not None:
            with contextlib.suppress(RpcError):
                self.call("stock: confirm MTO + Buy", "sale.order", "action_confirm", [[order_id]])

    def _one_of(self, name, model, domain, method, label):
        try:
            ids = self._search(f"bo: search {label}", model, domain)
            if ids:
                self.call(name, model, method, [[random.choice(ids)]])
        except RpcError:
            pass

    @task(3)
    def validate_manufacturer_order(self):
        self._one_of(
            "bo: validate manufacturer order",
            "purchase.order",
            [
                ("mto_state", "=", "to_validate"),
                ("mto_sale_id", "!=", False),
                ("partner_id", "in", PLAN["load_partner_ids"]),
            ],
            "action_mto_validate",
            "orders to validate",
        )

    @task(2)
    def receive(self):
        self._one_of(
            "bo: validate receipt",
            "stock.picking",
            [
                ("picking_type_code", "=", "incoming"),
                ("state", "=", "assigned"),
                ("purchase_id.mto_state", "=", "completed"),
                ("partner_id", "in", PLAN["load_partner_ids"]),
            ],
            "button_validate",
            "receipts",
        )

    @task(2)
    def inspect(self):
        self._one_of(
            "bo: pass inspection",
            "mto.quality.inspection",
            [("state", "=", "todo"), ("manufacturer_id", "in", PLAN["load_partner_ids"])],
            "action_pass",
            "inspections",
        )

    @task(1)
    def deliver(self):
        self._one_of(
            "bo: validate delivery",
            "stock.picking",
            [
                ("picking_type_code", "=", "outgoing"),
                ("state", "=", "assigned"),
                ("sale_id.order_line.product_id.mto_mode", "=", "made_to_order"),
                ("partner_id.name", "=like", "Load Customer%"),
            ],
            "button_validate",
            "deliveries",
        )


def twilio_callbacks(post):
    """Signed status callbacks (sent, then delivered) for the texts Twilio received since the
    last call; `post(url, form, headers)` sends one."""
    validator = RequestValidator(PLAN["twilio"]["auth_token"])
    pending = TWILIO.callbacks[RESULTS["callbacks_done"] :]
    RESULTS["callbacks_done"] += len(pending)
    for sid, url in pending:
        for status in ("sent", "delivered"):
            form = {
                "MessageSid": sid,
                "SmsSid": sid,
                "AccountSid": PLAN["twilio"]["account_sid"],
                "MessageStatus": status,
                "SmsStatus": status,
            }
            post(url, form, {"X-Twilio-Signature": validator.compute_signature(url, form)})
            RESULTS["callbacks"] += 1
    return len(pending)


class TwilioCallbacks(HttpUser):
    """Twilio telling Odoo what became of each text."""

    fixed_count = 1
    wait_time = between(0.5, 1)

    @task
    def callbacks(self):
        def post(url, form, headers):
            with self.client.post(
                url,
                data=form,
                headers=headers,
                name="twilio: status callback",
                catch_response=True,
            ) as response:
                check(response, "twilio: status callback")

        twilio_callbacks(post)


def drain(admin, host, seconds):
    """After the load: the job runner sends the texts still queued; Twilio (still up) gets
    them and calls back. Returns the jobs still not done."""
    deadline = time.time() + seconds

    def post(url, form, headers):
        try:
            response = admin.post(url, data=form, headers=headers, timeout=120)
        except requests.RequestException as error:
            RESULTS["server_errors"].append(
                {
                    "kind": "twilio: status callback (drain)",
                    "status": "no answer",
                    "url": url,
                    "body": str(error)[:300],
                }
            )
            return
        if response.status_code >= 500:
            RESULTS["server_errors"].append(
                {
                    "kind": "twilio: status callback (drain)",
                    "status": response.status_code,
                    "url": url,
                    "body": response.text[:300],
                }
            )

    left = None
    while time.time() < deadline:
        sent = twilio_callbacks(post)
        try:
            left = rpc(
                admin,
                host,
                "queue.job",
                "search_count",
                [[("state", "in", ["pending", "enqueued", "started"])]],
            )
        except requests.RequestException:
            left = None
        if not left and not sent:
            break
        time.sleep(2)
    return left


def rpc(session, host, model, method, args, kwargs=None):
    response = session.post(
        f"{host}/web/dataset/call_kw/{model}/{method}",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        },
        timeout=120,
    )
    response.raise_for_status()
    body = response.json()
    if "error" in body:
        raise RuntimeError(body["error"])
    return body["result"]


def admin_session(base_url):
    session = requests.Session()
    page = session.get(f"{base_url}/web/login", timeout=60).text
    session.post(
        f"{base_url}/web/login",
        data={"login": "admin", "password": "admin", "csrf_token": CSRF.search(page).group(1)},
        timeout=60,
    )
    return session


def warm_up(host, rounds):
    """Each HTTP worker loads the database's registry and compiles each page on its first
    requests (seconds each on a busy machine): done before the measured load, `rounds`
    sessions at once so that every worker gets its share."""

    def one(index):
        session = requests.Session()
        for login, pages in (
            (PLAN["makers"][index % len(PLAN["makers"])], ("/my/production", "/my/purchase")),
            (PLAN["staff"][index % len(PLAN["staff"])], ("/odoo",)),
        ):
            page = session.get(f"{host}/web/login", timeout=300).text
            session.post(
                f"{host}/web/login",
                data={
                    "login": login,
                    "password": PLAN["password"],
                    "csrf_token": CSRF.search(page).group(1),
                },
                timeout=300,
            )
            for path in pages:
                text = session.get(f"{host}{path}", timeout=300).text
                ids = ORDER_LINK.findall(text)
                if ids:
                    session.get(f"{host}/my/production/{ids[0]}", timeout=300)
            if path == "/odoo":
                rpc(session, host, "sale.order", "search_read", [[]], {"limit": 1})
            session.get(f"{host}/web/session/logout", timeout=300)

    greenlets = [gevent.spawn(one, index) for index in range(rounds)]
    gevent.joinall(greenlets)
    for greenlet in greenlets:
        if greenlet.exception:
            print(f"[load] warm-up request failed: {greenlet.exception!r}", flush=True)


def main():
    global TWILIO, _suite_quotes, _stock_quotes
    parser = argparse.ArgumentParser()
    parser.add_argument("--plan", required=True)
    parser.add_argument("--host", required=True)
    parser.add_argument("--run-time", type=float, default=180)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--makers", type=int, default=50)
    parser.add_argument("--staff", type=int, default=10)
    parser.add_argument("--out", required=True)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    PLAN.update(json.loads(Path(args.plan).read_text()))
    _suite_quotes = iter(PLAN["suite_quotations"])
    _stock_quotes = iter(PLAN["stock_quotations"])
    Manufacturer.fixed_count = min(args.makers, len(PLAN["makers"]))
    BackOffice.fixed_count = min(args.staff, len(PLAN["staff"]))
    TWILIO = LoadTwilio(
        account_sid=PLAN["twilio"]["account_sid"], auth_token=PLAN["twilio"]["auth_token"]
    ).start()
    admin = admin_session(args.host)
    rpc(
        admin,
        args.host,
        "res.company",
        "write",
        [[PLAN["twilio"]["company_id"]], {"twilio_api_base_url": TWILIO.base_url}],
    )

    warm_started = time.perf_counter()
    warm_up(args.host, 2 * args.workers)
    print(f"[load] warm-up: {time.perf_counter() - warm_started:.0f} s", flush=True)
    env = Environment(user_classes=[Manufacturer, BackOffice, TwilioCallbacks], host=args.host)
    runner = env.create_local_runner()
    users = Manufacturer.fixed_count + BackOffice.fixed_count + 1
    started = time.perf_counter()
    runner.start(users, spawn_rate=max(5, users / 10))

    def bound():
        while runner.state not in ("stopped", "quitting"):
            if (
                env.stats.total.num_requests >= args.max_requests
                or time.perf_counter() - started >= args.run_time
            ):
                runner.quit()
                return
            gevent.sleep(0.5)

    def progress():
        while True:
            gevent.sleep(30)
            total = env.stats.total
            print(
                f"[load] {time.perf_counter() - started:5.0f} s: {total.num_requests} requests, "
                f"{total.num_failures} failed, {len(RESULTS['server_errors'])} server errors",
                flush=True,
            )

    watcher = gevent.spawn(bound)
    reporter = gevent.spawn(progress)
    runner.greenlet.join()
    watcher.kill()
    reporter.kill()
    elapsed = time.perf_counter() - started
    RESULTS["jobs_left"] = drain(admin, args.host, 90)
    RESULTS["texts"] = len(TWILIO.messages)
    RESULTS["twilio_violations"] = [str(v)[:300] for v in TWILIO.violations]
    TWILIO.stop()
    kinds = {}
    for (name, _method), entry in sorted(env.stats.entries.items()):
        kinds[name] = {
            "count": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.num_requests / elapsed,
            "p50": entry.get_response_time_percentile(0.5) / 1000,
            "p95": entry.get_response_time_percentile(0.95) / 1000,
            "p99": entry.get_response_time_percentile(0.99) / 1000,
            "median_exact": entry.median_response_time / 1000,
        }
    RESULTS.update(
        {
            "elapsed": elapsed,
            "requests": env.stats.total.num_requests,
            "failures": env.stats.total.num_failures,
            "rps": env.stats.total.num_requests / elapsed,
            "kinds": kinds,
            "errors": [
                {"name": e.name, "error": str(e.error)[:200], "count": e.occurrences}
                for e in env.stats.errors.values()
            ],
        }
    )
    Path(args.out).write_text(json.dumps(RESULTS, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
