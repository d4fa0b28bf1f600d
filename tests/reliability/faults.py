"""Faults on real processes: a worker killed in the middle of an outside call, PostgreSQL
restarted under load, a provider that never answers, more requests than connections.

The fake providers (each module's tests/, each checking every request against the provider's
OpenAPI file) run in this process; :class:`Hold` keeps one request waiting inside the fake
so that the kill lands while Odoo waits for the provider, then lets the provider do its work
(as a real one would: the caller is gone, the provider still books, charges or sends).
"""

import json
import os
import signal
import socket
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from harness import ROOT, check, say, scenario, wait_until

sys.path.insert(0, str(ROOT))

from tests.addon_import import install_suite_addon_finder

install_suite_addon_finder()

from odoo.addons.delivery_dhl_express.tests.dhl_fake import (  # noqa: E402
    ACCOUNT_NUMBER,
    API_KEY,
    API_SECRET,
    DHLFake,
)
from odoo.addons.payment_stripe_mto.tests.stripe_fake import (  # noqa: E402
    SECRET_KEY,
    WEBHOOK_SECRET,
    StripeFake,
    charge_of,
    signed_webhook,
)
from odoo.addons.sms_twilio.tests.twilio_fake import TwilioFake  # noqa: E402

WEBHOOK = "/payment/stripe/webhook"
TWILIO_SID = "AC" + "5f3c2a1b0d9e8f7a" * 2
TWILIO_TOKEN = "a-very-secret-auth-token"
TWILIO_SERVICE = "MG" + "0a1b2c3d4e5f6a7b" * 2
CUSTOMER_NUMBER = "+32470123456"


class Hold:
    """The first request to ``method template`` waits in the fake until :meth:`release`."""

    def __init__(self, fake, method, template, count=1):
        key = fake._route_key(method, template)
        self.original = fake._handlers[key]
        self.arrived = threading.Event()
        self._release = threading.Event()
        self.held = count
        self.seen = 0
        self._lock = threading.Lock()
        fake._handlers[key] = self._handle

    def _handle(self, request):
        with self._lock:
            self.seen += 1
            hold = self.seen <= self.held
        if hold:
            self.arrived.set()
            self._release.wait(180)
        return self.original(request)

    def wait_arrival(self, timeout=90):
        check(self.arrived.wait(timeout), f"no request reached the fake within {timeout}s")

    def release(self):
        self._release.set()


def port_of(fake):
    return int(fake.base_url.split(":")[2].split("/")[0])


def kill_worker_in_call(odoo, fake, hold):
    """SIGKILL the Odoo worker waiting for ``fake``; returns its pid. The held request is
    let go if no worker could be killed (the story fails, the next ones can run)."""
    try:
        hold.wait_arrival()
        worker = odoo.process_talking_to(port_of(fake))
        check(worker.pid != odoo.server.pid, "the request is served by the master process")
    except Exception:
        hold.release()
        raise
    os.kill(worker.pid, signal.SIGKILL)
    say(f"SIGKILL worker {worker.pid} in the middle of its call to {fake.base_url}")
    return worker.pid


def in_thread(func, *args, **kwargs):
    """Run ``func`` in the background; ``result()`` gives its return value or exception."""
    box = {}

    def target():
        try:
            box["value"] = func(*args, **kwargs)
        except Exception as exc:
            box["value"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()

    def result(timeout=120):
        thread.join(timeout)
        check(not thread.is_alive(), f"the request did not end within {timeout}s")
        return box["value"]

    return result


# --------------------------------------------------------------------------- set-up

# One Odoo shell prepares every story on one copy of the demo database: Stripe, Twilio and
# DHL configured against the fakes, payments waiting for Stripe's word, a text queued, a
# delivery ready to validate. Placeholders are replaced (the code has braces of its own).
SETUP = """
import json
from odoo import Command
results = {}
company = env.company

# Stripe: payments of made-to-order sales waiting for Stripe's webhook.
card = env.ref("payment.payment_method_card")
provider = env.ref("payment.payment_provider_stripe")
provider.write({
    "state": "test", "company_id": company.id,
    "stripe_publishable_key": "pk_test_51MtoFakePublishableKey",
    "stripe_secret_key": "STRIPE_SECRET", "stripe_webhook_secret": "STRIPE_WEBHOOK",
    "stripe_mto_timeout": STRIPE_TIMEOUT, "stripe_mto_api_base_url": "STRIPE_BASE",
    "payment_method_ids": [Command.link(card.id)],
})
card.active = True
line = env["purchase.order.line"].search([("order_id.mto_state", "!=", False)], limit=1)
customer = env.ref("furniture_suite.customer_dupont")
Tx = env["payment.transaction"]
results["stripe"] = []
for _i in range(STRIPE_ORDERS):
    order = env["sale.order"].create({
        "partner_id": customer.id,
        "order_line": [Command.create({"product_id": line.product_id.id, "product_uom_qty": 1})],
    })
    tx = Tx.create({
        "provider_id": provider.id, "payment_method_id": card.id,
        "reference": Tx._compute_reference("stripe", prefix=order.name),
        "amount": order._get_prepayment_required_amount() or order.amount_total,
        "currency_id": order.currency_id.id, "partner_id": order.partner_id.id,
        "operation": "online_direct", "tokenize": True,
        "sale_order_ids": [Command.set(order.ids)],
    })
    intent = tx._get_processing_values()["client_secret"].split("_secret_")[0]
    results["stripe"].append({"order": order.id, "tx": tx.id, "intent": intent})

# Twilio: the company's texts go through Twilio; one text queued.
company.write({
    "sms_provider": "twilio", "twilio_account_sid": "TWILIO_SID",
    "twilio_auth_token": "TWILIO_TOKEN", "twilio_sender_mode": "service",
    "twilio_messaging_service_sid": "TWILIO_SERVICE",
    "twilio_api_base_url": "TWILIO_BASE", "twilio_timeout": 60,
})
partner = env["res.partner"].create({"name": "Mrs Customer", "mobile": "CUSTOMER_NUMBER",
                                     "country_id": env.ref("base.be").id})
sms = env["sms.sms"].create({"number": "CUSTOMER_NUMBER", "partner_id": partner.id,
                             "body": "Your oak table is in production"})
sms._send()
results["twilio"] = {"partner": partner.id, "sms": sms.ids}

# DHL: a delivery to Hamburg, ready to validate, with DHL Express.
company.partner_id.write({"street": "12 rue du Faubourg Saint-Honoré", "zip": "75008",
    "city": "Paris", "country_id": env.ref("base.fr").id, "phone": "+33 1 42 00 00 00",
    "email": "shipping@furniture.example"})
# Odoo asks once, in a popup, whether deliveries send an SMS: answered.
company.has_received_warning_stock_sms = True
warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
warehouse.partner_id = company.partner_id
carrier = env["delivery.carrier"].create({
    "name": "DHL Express (reliability)", "delivery_type": "dhl_express",
    "product_id": env["product.product"].create({"name": "DHL", "type": "service"}).id,
    "dhl_api_key": "DHL_KEY", "dhl_api_secret": "DHL_SECRET",
    "dhl_account_number": "DHL_ACCOUNT", "dhl_api_base_url": "DHL_BASE", "dhl_timeout": 20,
    "prod_environment": False,
})
client = env["res.partner"].create({"name": "Greta Hansen", "street": "Elbchaussee 100",
    "zip": "22763", "city": "Hamburg", "country_id": env.ref("base.de").id,
    "phone": "+49 40 123456", "email": "greta@example.de"})
lamp = env["product.product"].create({"name": "Brass floor lamp", "type": "consu",
    "is_storable": True, "list_price": 900.0, "weight": 6.0, "hs_code": "940520",
    "country_of_origin": env.ref("base.it").id})
env["stock.quant"]._update_available_quantity(lamp, warehouse.lot_stock_id, 10)
order = env["sale.order"].create({"partner_id": client.id, "carrier_id": carrier.id,
    "order_line": [Command.create({"product_id": lamp.id, "product_uom_qty": 1})]})
order.action_confirm()
picking = order.picking_ids
picking.carrier_id = carrier
for move in picking.move_ids:
    move.quantity = move.product_uom_qty
picking.move_ids.picked = True
results["dhl"] = {"picking": picking.id}
env.cr.commit()
print("RESULT:" + json.dumps(results))
"""

MESSAGES = "/2010-04-01/Accounts/{AccountSid}/Messages.json"
HANG_TIMEOUT = 3


class FaultBench:
    """One database, the three fakes, one server: the fault stories run one after another."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.odoo = ctx.odoo
        self.q = ctx.cluster.query
        self.db = ctx.copy_of_template("faults")
        self.stripe = StripeFake().start()
        self.twilio = TwilioFake(account_sid=TWILIO_SID, auth_token=TWILIO_TOKEN).start()
        self.dhl = DHLFake().start()

    def setup(self):
        values = {
            "STRIPE_SECRET": SECRET_KEY,
            "STRIPE_WEBHOOK": WEBHOOK_SECRET,
            "STRIPE_TIMEOUT": str(HANG_TIMEOUT),
            "STRIPE_BASE": self.stripe.base_url,
            "STRIPE_ORDERS": "5",
            "TWILIO_SID": TWILIO_SID,
            "TWILIO_TOKEN": TWILIO_TOKEN,
            "TWILIO_SERVICE": TWILIO_SERVICE,
            "TWILIO_BASE": self.twilio.base_url,
            "CUSTOMER_NUMBER": CUSTOMER_NUMBER,
            "DHL_KEY": API_KEY,
            "DHL_SECRET": API_SECRET,
            "DHL_ACCOUNT": ACCOUNT_NUMBER,
            "DHL_BASE": self.dhl.base_url,
        }
        code = SETUP
        for key in sorted(values, key=len, reverse=True):
            code = code.replace(key, values[key])
        self.data = self.odoo.shell(self.db, code)

    def stop(self):
        self.odoo.stop()
        for fake in (self.stripe, self.twilio, self.dhl):
            fake.stop()

    def sms_rows(self, ids):
        return self.q(
            self.db,
            "SELECT id, state, twilio_sid FROM sms_sms WHERE id = ANY(%s) ORDER BY id",
            [ids],
        )

    def wait_texts_settled(self, ids, timeout):
        def settled():
            rows = self.sms_rows(ids)
            return rows if len(rows) == len(ids) and all(r[2] for r in rows) else None

        return wait_until(settled, timeout, f"texts {ids} were not settled", step=1)

    # -- the stories ---------------------------------------------------------------------------

    def kill_twilio_job(self, killed):
        """The job sending a text dies while Twilio creates the message: the queue runs it
        again (the runner finds it dead), the job finds the message at Twilio and does not
        send it twice. ``killed``: the kill, done as soon as the job reached Twilio."""
        killed()
        ids = self.data["twilio"]["sms"]
        rows = self.wait_texts_settled(ids, 180)
        created = self.twilio.requests_to("post", MESSAGES)
        check(len(created) == 1, f"Twilio was asked {len(created)} times to send one text")
        check(rows[0][1] in ("pending", "sent"), f"the text is {rows[0][1]}")
        jobs = self.q(
            self.db,
            "SELECT state, retry FROM queue_job WHERE identity_key = "
            "'sms_twilio_send:' || (SELECT uuid FROM sms_sms WHERE id = %s)",
            [ids[0]],
        )
        check(jobs and all(s == "done" for s, _r in jobs), f"the text's job: {jobs}")
        say(f"text sent once after the kill; job {jobs}")

    def kill_stripe_webhook(self):
        """A refund arrives before the payment's success: the webhook asks Stripe for the
        payment (held), the worker dies. Stripe sends the event again, twice at once: the
        payment is recorded once, the refund once, one purchase line per sales line."""
        sale = self.data["stripe"][0]
        payload, headers = refund_event(self.stripe, sale["intent"])
        event_id = json.loads(payload)["id"]
        hold = Hold(self.stripe, "get", "/v1/payment_intents/{intent}")
        pending = in_thread(post_webhook, self.odoo, payload, headers)
        kill_worker_in_call(self.odoo, self.stripe, hold)
        answer = pending()
        check(
            isinstance(answer, Exception) or answer.status_code >= 500,
            f"the killed webhook answered {answer!r}",
        )
        hold.release()
        check(
            not self.q(
                self.db, "SELECT 1 FROM payment_stripe_event WHERE event_id = %s", [event_id]
            ),
            "the killed webhook left its event recorded: Stripe's retry would be ignored",
        )
        self.odoo.wait_healthy()
        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(lambda _i: post_webhook(self.odoo, payload, headers), [1, 2]))
        # One applies it; the other is answered 200 (already applied) or 409 (being applied
        # right now: Stripe tries again later), never left waiting.
        codes = sorted(a.status_code for a in answers)
        check(codes in ([200, 200], [200, 409]), f"Stripe's retries answered {codes}")
        check(post_webhook(self.odoo, payload, headers).status_code == 200, "a late retry")
        tx_state, refunds = self.q(
            self.db,
            "SELECT state, (SELECT count(*) FROM payment_transaction c "
            "WHERE c.source_transaction_id = t.id AND c.operation = 'refund') "
            "FROM payment_transaction t WHERE t.id = %s",
            [sale["tx"]],
        )[0]
        check(tx_state == "done", f"the payment is {tx_state} after Stripe's retry")
        check(refunds == 1, f"{refunds} refunds recorded for one refund at Stripe")
        events = self.q(
            self.db, "SELECT count(*) FROM payment_stripe_event WHERE event_id = %s", [event_id]
        )[0][0]
        check(events == 1, f"the event is recorded {events} times")
        lines = self.q(
            self.db,
            "SELECT sol.id, count(pol.id) FROM sale_order_line sol "
            "LEFT JOIN purchase_order_line pol ON pol.sale_line_id = sol.id "
            "WHERE sol.order_id = %s AND sol.display_type IS NULL GROUP BY sol.id",
            [sale["order"]],
        )
        check(all(n <= 1 for _l, n in lines), f"a sales line has several purchase lines: {lines}")
        say(f"webhook killed mid-call, then retried twice at once: 1 payment, 1 refund, {lines}")

    def kill_dhl_booking(self):
        """The worker validating a delivery dies while DHL books the shipment: DHL booked
        it, Odoo never heard. The delivery is not booked again: its marker asks a person."""
        picking = self.data["dhl"]["picking"]
        hold = Hold(self.dhl, "post", "/shipments")
        pending = in_thread(self.odoo.rpc, "stock.picking", "button_validate", [picking])
        kill_worker_in_call(self.odoo, self.dhl, hold)
        hold.release()
        answer = pending()
        check(
            isinstance(answer, Exception) or answer.status_code >= 500,
            f"the killed validation answered {answer!r}",
        )
        wait_until(lambda: len(self.dhl.shipments) == 1, 30, "DHL did not book the shipment")
        markers = self.q(
            self.db, "SELECT state FROM dhl_express_booking WHERE picking_res_id = %s", [picking]
        )
        check(markers == [("pending",)], f"booking markers after the kill: {markers}")
        self.odoo.wait_healthy()
        again = self.odoo.rpc("stock.picking", "button_validate", [picking]).json()
        message = (again.get("error") or {}).get("data", {}).get("message", "")
        check("never confirmed" in message, f"validating again did not ask a person: {again}")
        check(len(self.dhl.shipments) == 1, f"DHL booked {len(self.dhl.shipments)} shipments")
        state = self.q(self.db, "SELECT state FROM stock_picking WHERE id = %s", [picking])
        check(state[0][0] != "done", "the delivery is done without a waybill")
        say("DHL booking killed mid-call: booked once at DHL, the delivery asks a person")

    def provider_hangs(self):
        """Stripe accepts connections and never answers: every webhook that needs it answers
        (5xx: Stripe sends it again later) within the connector's timeout, no worker is
        killed, and the server keeps serving."""
        black_hole = socket.socket()
        black_hole.bind(("127.0.0.1", 0))
        black_hole.listen(64)  # accepted by the kernel, never read, never answered
        try:
            events = [refund_event(self.stripe, s["intent"]) for s in self.data["stripe"][1:]]
            self.q(
                self.db,
                "UPDATE payment_provider SET stripe_mto_api_base_url = %s WHERE code = 'stripe'",
                [f"http://127.0.0.1:{black_hole.getsockname()[1]}"],
            )
            pids = {p.pid for p in self.odoo.processes()}
            started = time.monotonic()
            with ThreadPoolExecutor(len(events)) as pool:
                answers = list(
                    pool.map(lambda ev: timed(post_webhook, self.odoo, *ev, timeout=60), events)
                )
            took = time.monotonic() - started
        finally:
            black_hole.close()
        for seconds, answer in answers:
            check(not isinstance(answer, Exception), f"a webhook got no answer: {answer}")
            check(answer.status_code >= 500, f"a webhook answered {answer.status_code}")
            check(seconds < len(events) * HANG_TIMEOUT + 10, f"a webhook took {seconds:.1f}s")
        seconds, health = timed(requests.get, f"{self.odoo.base_url}/web/health", timeout=10)
        check(health.status_code == 200 and seconds < 2, "the server is slow afterwards")
        check(
            pids <= {p.pid for p in self.odoo.processes()},
            "a worker was killed while it waited for the provider",
        )
        recorded = self.q(self.db, "SELECT count(*) FROM payment_stripe_event")[0][0]
        check(recorded == 1, f"{recorded} events recorded: only the first story's may be")
        self.ctx.figures[f"{len(events)} webhooks on a hung Stripe (timeout 3s, 2 workers)"] = (
            round(took, 1)
        )
        say(f"{len(events)} webhooks on a Stripe that never answers: all answered in {took:.1f}s")

    def postgres_restart(self):
        """PostgreSQL restarts while texts are being sent: requests during the outage fail
        cleanly (an answer, no hang), the job runner reconnects, each text is sent once."""
        hold = Hold(self.twilio, "post", MESSAGES)
        sent_before = len(self.twilio.requests_to("post", MESSAGES))
        partner = self.data["twilio"]["partner"]
        ids = self.odoo.call(
            "sms.sms",
            "create",
            [
                {"number": CUSTOMER_NUMBER, "partner_id": partner, "body": f"Stage {i}"}
                for i in range(5)
            ],
        )
        self.odoo.call("sms.sms", "send", ids)
        hold.wait_arrival()
        self.ctx.cluster.restart(mode="fast")
        say("PostgreSQL restarted while a text was at Twilio")
        during = [timed(requests.get, f"{self.odoo.base_url}/web/login", timeout=60)]
        hold.release()
        for seconds, answer in during:
            check(not isinstance(answer, Exception), f"no answer during the restart: {answer}")
            check(seconds < 30, f"a request took {seconds:.0f}s after the restart")
        rows = self.wait_texts_settled(ids, 300)
        sent = len(self.twilio.requests_to("post", MESSAGES)) - sent_before
        check(sent == len(ids), f"{sent} texts sent to Twilio for {len(ids)}")
        check(len({r[2] for r in rows}) == len(rows), "two texts share a Twilio message")
        login = requests.get(f"{self.odoo.base_url}/web/login", timeout=30)
        check(login.status_code == 200, f"/web/login answers {login.status_code} afterwards")
        say(f"PostgreSQL restart: {len(ids)} texts sent once each; first answers {during}")


def post_webhook(odoo, payload, headers, timeout=120):
    return requests.post(
        odoo.base_url + WEBHOOK,
        data=payload,
        headers={**headers, "Content-Type": "application/json"},
        timeout=timeout,
    )


def refund_event(fake, intent_id):
    """Stripe's ``charge.refunded`` of a payment it completed (the success not yet told)."""
    fake.complete_payment(intent_id)
    intent = fake.payment_intents[intent_id]
    charge = charge_of(intent, amount_refunded=intent["amount"], refunded=True)
    return signed_webhook("charge.refunded", charge)


def timed(func, *args, **kwargs):
    started = time.monotonic()
    try:
        result = func(*args, **kwargs)
    except Exception as exc:
        result = exc
    return time.monotonic() - started, result


@scenario("faults", quick=True)
def faults(ctx):
    """Every fault story on one database and one server (2 HTTP workers, gevent, the job
    runner), one after another; every story runs, the failures are reported together."""
    bench = FaultBench(ctx)
    failures = []
    try:
        bench.setup()
        # The text's job starts as soon as the runner does, maybe before the server answers
        # its health check: its hold is ready first, and the kill waits for it meanwhile.
        twilio_hold = Hold(bench.twilio, "post", MESSAGES)
        bench.odoo.start(bench.db, wait=False)
        killed = in_thread(kill_worker_in_call, bench.odoo, bench.twilio, twilio_hold)
        bench.odoo.wait_healthy()

        def twilio_killed():
            outcome = killed(timeout=150)
            twilio_hold.release()
            if isinstance(outcome, Exception):
                raise outcome

        for story in (
            lambda: bench.kill_twilio_job(twilio_killed),
            bench.kill_stripe_webhook,
            bench.kill_dhl_booking,
            bench.provider_hangs,
            bench.postgres_restart,
        ):
            started = time.monotonic()
            name = getattr(story, "__name__", "kill_twilio_job")
            name = "kill_twilio_job" if name == "<lambda>" else name
            try:
                story()
            except Exception as exc:
                failures.append(f"{name}: {exc}")
                say(f"  {name} failed: {exc}")
            ctx.figures[name] = round(time.monotonic() - started, 1)
            bench.odoo.wait_healthy()
        for fake in (bench.stripe, bench.twilio, bench.dhl):
            problems = fake.take_violations()
            if problems:
                failures.append(f"requests against {type(fake).__name__}'s spec: {problems}")
    finally:
        bench.stop()
    check(not failures, "; ".join(failures))


@scenario("pool-exhaustion", quick=True)
def pool_exhaustion(ctx):
    """More simultaneous requests than database connections (the gevent process serves
    them all with one pool of ``db_maxconn``): each gets an answer, a clear 503 when no
    connection is free, none hangs, and the server serves normally afterwards."""
    db = ctx.copy_of_template("flt_pool")
    ctx.odoo.start(db, ODOO_DB_MAXCONN=2)
    try:
        url = f"http://127.0.0.1:{ctx.odoo.gevent_port}/web/login"
        with ThreadPoolExecutor(24) as pool:
            answers = list(pool.map(lambda _i: timed(requests.get, url, timeout=60), range(48)))
        statuses = {}
        for seconds, answer in answers:
            check(not isinstance(answer, Exception), f"a request got no answer: {answer}")
            check(seconds < 60, f"a request took {seconds:.0f}s")
            statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
        say(f"answers of 48 requests, 24 at once, on 2 connections: {statuses}")
        ctx.figures["pool answers"] = statuses
        check(set(statuses) <= {200, 503}, f"unclear answers under exhaustion: {statuses}")
        unavailable = [a for _s, a in answers if a.status_code == 503]
        check(
            all(a.headers.get("Retry-After") for a in unavailable),
            "a 503 without Retry-After",
        )
        after = requests.get(url, timeout=30)
        check(after.status_code == 200, f"/web/login answers {after.status_code} afterwards")
    finally:
        ctx.odoo.stop()
        ctx.cluster.dropdb(db)
