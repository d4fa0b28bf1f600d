"""Faults on real processes: a worker killed in the middle of an outside call, PostgreSQL
restarted under load, a provider that never answers, more requests than connections.

The fake providers (tests/fakes, each checking every request against the provider's
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

from tests.fakes.dhl_fake import ACCOUNT_NUMBER, API_KEY, API_SECRET, DHLFake
from tests.fakes.stripe_fake import (
    SECRET_KEY,
    WEBHOOK_SECRET,
    StripeFake,
    signed_webhook,
    stripe_object,
)
from tests.fakes.twilio_fake import TwilioFake

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
    """SIGKILL the Odoo worker waiting for ``fake``; returns its pid."""
    hold.wait_arrival()
    worker = odoo.process_talking_to(port_of(fake))
    check(worker.pid != odoo.server.pid, "the request is served by the master process")
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


# --------------------------------------------------------------------------- Stripe


STRIPE_SETUP = """
import json
from odoo import Command
company = env.company
card = env.ref("payment.payment_method_card")
card.active = True
provider = env.ref("payment.payment_provider_stripe")
provider.write({{
    "state": "test", "company_id": company.id,
    "stripe_publishable_key": "pk_test_51MtoFakePublishableKey",
    "stripe_secret_key": {secret!r}, "stripe_webhook_secret": {webhook!r},
    "stripe_mto_timeout": {timeout}, "stripe_mto_api_base": {base!r},
    "payment_method_ids": [Command.link(card.id)],
}})
line = env["purchase.order.line"].search([("order_id.mto_state", "!=", False)], limit=1)
product = line.product_id
customer = env.ref("furniture_suite.customer_dupont")
result = []
for _i in range({orders}):
    order = env["sale.order"].create({{
        "partner_id": customer.id,
        "order_line": [Command.create({{"product_id": product.id, "product_uom_qty": 1}})],
    }})
    Tx = env["payment.transaction"]
    tx = Tx.create({{
        "provider_id": provider.id, "payment_method_id": card.id,
        "reference": Tx._compute_reference("stripe", prefix=order.name),
        "amount": order._get_prepayment_required_amount() or order.amount_total,
        "currency_id": order.currency_id.id, "partner_id": order.partner_id.id,
        "operation": "online_direct", "tokenize": True,
        "sale_order_ids": [Command.set(order.ids)],
    }})
    intent = tx._get_processing_values()["client_secret"].split("_secret_")[0]
    result.append({{"order": order.id, "tx": tx.id, "intent": intent}})
env.cr.commit()
print("RESULT:" + json.dumps(result))
"""


def stripe_setup(ctx, db, fake, *, orders=1, timeout=10, base=None):
    return ctx.odoo.shell(
        db,
        STRIPE_SETUP.format(
            secret=SECRET_KEY,
            webhook=WEBHOOK_SECRET,
            timeout=timeout,
            base=base or fake.base_url,
            orders=orders,
        ),
    )


def post_webhook(odoo, payload, headers, timeout=120):
    return requests.post(
        odoo.base_url + WEBHOOK,
        data=payload,
        headers={**headers, "Content-Type": "application/json"},
        timeout=timeout,
    )


def refund_event(fake, intent_id):
    fake.complete_payment(intent_id)
    intent = fake.payment_intents[intent_id]
    charge = stripe_object(
        "charge",
        id=intent["latest_charge"],
        payment_intent=intent["id"],
        amount=intent["amount"],
        currency=intent["currency"],
        amount_refunded=intent["amount"],
        refunded=True,
    )
    return signed_webhook("charge.refunded", charge)


@scenario("kill-stripe-webhook", quick=True)
def kill_stripe_webhook(ctx):
    """A refund arrives before the payment's success: the webhook asks Stripe for the
    payment (held), the worker dies. Stripe sends the event again: the payment is recorded
    once, the refund once, the order confirmed once with one purchase line per sales line."""
    db = ctx.copy_of_template("flt_stripe")
    fake = StripeFake().start()
    try:
        (sale,) = stripe_setup(ctx, db, fake)
        payload, headers = refund_event(fake, sale["intent"])
        event_id = json.loads(payload)["id"]
        hold = Hold(fake, "get", "/v1/payment_intents/{intent}")
        ctx.odoo.start(db)
        pending = in_thread(post_webhook, ctx.odoo, payload, headers)
        kill_worker_in_call(ctx.odoo, fake, hold)
        answer = pending()
        check(
            isinstance(answer, Exception) or answer.status_code >= 500,
            f"the killed webhook answered {answer!r}",
        )
        hold.release()
        q = ctx.cluster.query
        check(
            not q(db, "SELECT 1 FROM payment_stripe_event WHERE event_id = %s", [event_id]),
            "the killed webhook left its event recorded: Stripe's retry would be ignored",
        )
        ctx.odoo.wait_healthy()
        # Stripe retries (twice, at the same moment, as it may): one is applied.
        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(lambda _i: post_webhook(ctx.odoo, payload, headers), range(2)))
        check(
            all(a.status_code == 200 for a in answers),
            f"Stripe's retries answered {[a.status_code for a in answers]}",
        )
        check(post_webhook(ctx.odoo, payload, headers).status_code == 200, "late retry")
        tx_state, children = q(
            db,
            "SELECT state, (SELECT count(*) FROM payment_transaction c "
            "WHERE c.source_transaction_id = t.id AND c.operation = 'refund') "
            "FROM payment_transaction t WHERE t.id = %s",
            [sale["tx"]],
        )[0]
        check(tx_state == "done", f"the payment is {tx_state} after Stripe's retry")
        check(children == 1, f"{children} refunds recorded for one refund at Stripe")
        events = q(db, "SELECT count(*) FROM payment_stripe_event WHERE event_id = %s", [event_id])
        check(events[0][0] == 1, f"the event is recorded {events[0][0]} times")
        lines = q(
            db,
            "SELECT sol.id, count(pol.id) FROM sale_order_line sol "
            "LEFT JOIN purchase_order_line pol ON pol.sale_line_id = sol.id "
            "WHERE sol.order_id = %s AND sol.display_type IS NULL GROUP BY sol.id",
            [sale["order"]],
        )
        check(
            all(count <= 1 for _line, count in lines),
            f"a sales line has several purchase lines: {lines}",
        )
        intents = [i for i in fake.payment_intents if i == sale["intent"]]
        check(len(intents) == 1, "the payment was charged twice at Stripe")
        fake.assert_clean()
    finally:
        fake.stop()
        ctx.odoo.stop()


@scenario("provider-hangs", quick=True)
def provider_hangs(ctx):
    """Stripe accepts connections and never answers: every webhook that needs it answers
    (5xx: Stripe sends it again later) within the connector's timeout, no worker is killed by
    ``limit_time_real``, and the server keeps serving."""
    db = ctx.copy_of_template("flt_hang")
    fake = StripeFake().start()
    black_hole = socket.socket()
    black_hole.bind(("127.0.0.1", 0))
    black_hole.listen(64)  # accepted by the kernel, never read, never answered
    timeout = 3
    try:
        sales = stripe_setup(ctx, db, fake, orders=4, timeout=timeout)
        events = [refund_event(fake, sale["intent"]) for sale in sales]
        q = ctx.cluster.query
        q(
            db,
            "UPDATE payment_provider SET stripe_mto_api_base = %s WHERE code = 'stripe'",
            [f"http://127.0.0.1:{black_hole.getsockname()[1]}"],
        )
        ctx.odoo.start(db)
        pids = {p.pid for p in ctx.odoo.processes()}
        started = time.monotonic()
        with ThreadPoolExecutor(len(events)) as pool:
            answers = list(
                pool.map(lambda ev: timed(post_webhook, ctx.odoo, *ev, timeout=60), events)
            )
        took = time.monotonic() - started
        # 2 workers, 4 requests, each waiting `timeout` once: about 2 x timeout in all.
        for seconds, answer in answers:
            check(not isinstance(answer, Exception), f"a webhook got no answer: {answer}")
            check(answer.status_code >= 500, f"a webhook answered {answer.status_code}")
            check(seconds < 4 * timeout + 10, f"a webhook took {seconds:.1f}s")
        health = timed(requests.get, f"{ctx.odoo.base_url}/web/health", timeout=10)
        check(health[1].status_code == 200 and health[0] < 2, "the server is slow after")
        check(
            pids <= {p.pid for p in ctx.odoo.processes()},
            "a worker was killed (limit_time_real?) while waiting for the provider",
        )
        recorded = q(db, "SELECT count(*) FROM payment_stripe_event")[0][0]
        check(recorded == 0, "an event Stripe must send again was recorded")
        ctx.figures["4 webhooks on a hung Stripe (timeout 3s, 2 workers)"] = round(took, 1)
    finally:
        black_hole.close()
        fake.stop()
        ctx.odoo.stop()


def timed(func, *args, **kwargs):
    started = time.monotonic()
    try:
        result = func(*args, **kwargs)
    except Exception as exc:
        result = exc
    return time.monotonic() - started, result


# --------------------------------------------------------------------------- Twilio


TWILIO_SETUP = """
import json
company = env.company
company.write({{
    "sms_provider": "twilio", "twilio_account_sid": {sid!r}, "twilio_auth_token": {token!r},
    "twilio_sender_mode": "service", "twilio_messaging_service_sid": {service!r},
}})
params = env["ir.config_parameter"].sudo()
params.set_param("sms_twilio.api_base_url", {base!r})
params.set_param("sms_twilio.timeout", "20")
partner = env["res.partner"].create({{"name": "Mrs Customer", "mobile": {number!r},
                                      "country_id": env.ref("base.be").id}})
sms = env["sms.sms"].create([{{"number": {number!r}, "partner_id": partner.id,
                               "body": "Your oak table is in production ({{}})".format(i)}}
                              for i in range({count})])
sms._send()
env.cr.commit()
jobs = env["queue.job"].search([("model_name", "=", "sms.sms")])
print("RESULT:" + json.dumps({{"sms": sms.ids, "jobs": jobs.mapped("uuid")}}))
"""


def twilio_setup(ctx, db, fake, count=1):
    return ctx.odoo.shell(
        db,
        TWILIO_SETUP.format(
            sid=TWILIO_SID,
            token=TWILIO_TOKEN,
            service=TWILIO_SERVICE,
            base=fake.base_url,
            number=CUSTOMER_NUMBER,
            count=count,
        ),
    )


MESSAGES = "/2010-04-01/Accounts/{AccountSid}/Messages.json"


def sms_states(ctx, db, ids):
    return ctx.cluster.query(
        db, "SELECT id, state, twilio_sid FROM sms_sms WHERE id = ANY(%s) ORDER BY id", [ids]
    )


@scenario("kill-twilio-job", quick=True)
def kill_twilio_job(ctx):
    """The queue job sending a text dies while Twilio creates the message: the queue runs it
    again, the job finds the message at Twilio and does not send it twice."""
    db = ctx.copy_of_template("flt_twilio")
    fake = TwilioFake(account_sid=TWILIO_SID, auth_token=TWILIO_TOKEN).start()
    try:
        setup = twilio_setup(ctx, db, fake)
        check(setup["jobs"], "no queue job was created for the text")
        hold = Hold(fake, "post", MESSAGES)
        ctx.odoo.start(db)
        kill_worker_in_call(ctx.odoo, fake, hold)
        hold.release()
        q = ctx.cluster.query

        def settled():
            rows = sms_states(ctx, db, setup["sms"])
            return rows if all(r[2] for r in rows) else None

        rows = wait_until(settled, 150, "the text was not settled after the worker died")
        created = fake.requests_to("post", MESSAGES)
        check(len(created) == 1, f"Twilio was asked {len(created)} times to send one text")
        check(rows[0][1] in ("pending", "sent"), f"the text is {rows[0][1]}")
        jobs = q(db, "SELECT state FROM queue_job WHERE uuid = ANY(%s)", [setup["jobs"]])
        check(all(s == "done" for (s,) in jobs), f"the job is {jobs}")
        fake.assert_clean()
    finally:
        fake.stop()
        ctx.odoo.stop()


@scenario("postgres-restart", quick=True)
def postgres_restart(ctx):
    """PostgreSQL restarts while texts are being sent and requests served: requests during
    the outage fail cleanly (an HTTP error, no hang), the runner reconnects, every text is
    sent exactly once."""
    db = ctx.copy_of_template("flt_pgrestart")
    fake = TwilioFake(account_sid=TWILIO_SID, auth_token=TWILIO_TOKEN).start()
    try:
        setup = twilio_setup(ctx, db, fake, count=6)
        hold = Hold(fake, "post", MESSAGES)  # the first text waits at Twilio
        ctx.odoo.start(db)
        hold.wait_arrival()
        ctx.cluster.restart(mode="fast")
        say("PostgreSQL restarted while a text was at Twilio")
        during = timed(requests.get, f"{ctx.odoo.base_url}/web/login", timeout=60)
        hold.release()
        check(
            not isinstance(during[1], Exception) or during[0] < 60,
            f"a request hung during the restart: {during}",
        )

        def settled():
            rows = sms_states(ctx, db, setup["sms"])
            return rows if all(r[2] for r in rows) else None

        rows = wait_until(settled, 240, "texts were not all sent after the restart", step=1)
        created = fake.requests_to("post", MESSAGES)
        check(
            len(created) == len(setup["sms"]),
            f"{len(created)} texts sent to Twilio for {len(setup['sms'])}",
        )
        check(len({r[2] for r in rows}) == len(rows), "two texts share a Twilio message")
        login = requests.get(f"{ctx.odoo.base_url}/web/login", timeout=30)
        check(login.status_code == 200, f"/web/login answers {login.status_code} after")
        fake.assert_clean()
    finally:
        fake.stop()
        ctx.odoo.stop()


# --------------------------------------------------------------------------- DHL


DHL_SETUP = """
import json
from odoo import Command
company = env.company
company.partner_id.write({{"street": "12 rue du Faubourg Saint-Honoré", "zip": "75008",
    "city": "Paris", "country_id": env.ref("base.fr").id, "phone": "+33 1 42 00 00 00",
    "email": "shipping@furniture.example"}})
warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
warehouse.partner_id = company.partner_id
carrier = env["delivery.carrier"].create({{
    "name": "DHL Express (reliability)", "delivery_type": "dhl_express",
    "product_id": env["product.product"].create({{"name": "DHL", "type": "service"}}).id,
    "dhl_api_key": {key!r}, "dhl_api_secret": {secret!r}, "dhl_account_number": {account!r},
    "dhl_test_base_url": {base!r}, "dhl_timeout": 20, "prod_environment": False,
}})
client = env["res.partner"].create({{"name": "Greta Hansen", "street": "Elbchaussee 100",
    "zip": "22763", "city": "Hamburg", "country_id": env.ref("base.de").id,
    "phone": "+49 40 123456", "email": "greta@example.de"}})
lamp = env["product.product"].create({{"name": "Brass floor lamp", "type": "consu",
    "is_storable": True, "list_price": 900.0, "weight": 6.0, "hs_code": "940520",
    "country_of_origin": env.ref("base.it").id}})
env["stock.quant"]._update_available_quantity(lamp, warehouse.lot_stock_id, 10)
order = env["sale.order"].create({{"partner_id": client.id, "carrier_id": carrier.id,
    "order_line": [Command.create({{"product_id": lamp.id, "product_uom_qty": 1}})]}})
order.action_confirm()
picking = order.picking_ids
picking.carrier_id = carrier
for move in picking.move_ids:
    move.quantity = move.product_uom_qty
picking.move_ids.picked = True
env.cr.commit()
print("RESULT:" + json.dumps({{"picking": picking.id, "name": picking.name}}))
"""


@scenario("kill-dhl-booking", quick=True)
def kill_dhl_booking(ctx):
    """The worker validating a delivery dies while DHL books the shipment: DHL booked it,
    Odoo never heard. The delivery is not booked again: its marker asks a person."""
    db = ctx.copy_of_template("flt_dhl")
    fake = DHLFake().start()
    try:
        setup = ctx.odoo.shell(
            db,
            DHL_SETUP.format(
                key=API_KEY, secret=API_SECRET, account=ACCOUNT_NUMBER, base=fake.base_url
            ),
        )
        hold = Hold(fake, "post", "/shipments")
        ctx.odoo.start(db)
        pending = in_thread(ctx.odoo.rpc, "stock.picking", "button_validate", [setup["picking"]])
        kill_worker_in_call(ctx.odoo, fake, hold)
        hold.release()
        answer = pending()
        check(
            isinstance(answer, Exception) or answer.status_code >= 500,
            f"the killed validation answered {answer!r}",
        )
        wait_until(lambda: len(fake.shipments) == 1, 30, "DHL did not book the held shipment")
        q = ctx.cluster.query
        markers = q(
            db,
            "SELECT state FROM dhl_express_booking WHERE picking_res_id = %s",
            [setup["picking"]],
        )
        check(markers == [("pending",)], f"booking markers after the kill: {markers}")
        ctx.odoo.wait_healthy()
        again = ctx.odoo.rpc("stock.picking", "button_validate", [setup["picking"]]).json()
        message = (again.get("error") or {}).get("data", {}).get("message", "")
        check("never confirmed" in message, f"validating again did not ask a person: {again}")
        check(len(fake.shipments) == 1, f"DHL booked {len(fake.shipments)} shipments")
        state = q(db, "SELECT state FROM stock_picking WHERE id = %s", [setup["picking"]])
        check(state[0][0] != "done", "the delivery is done without a waybill")
        fake.assert_clean()
    finally:
        fake.stop()
        ctx.odoo.stop()


# --------------------------------------------------------------------------- pool


@scenario("pool-exhaustion", quick=True)
def pool_exhaustion(ctx):
    """More simultaneous requests than PostgreSQL connections: each gets an answer (a clear
    503 when no connection is free), none hangs, and the server serves normally after."""
    db = ctx.copy_of_template("flt_pool")
    ctx.odoo.start(db, workers=4, ODOO_DB_MAXCONN=2)
    q = ctx.cluster.query
    # Leave the server a handful of connections in all: fewer than its workers need.
    used = q(db, "SELECT count(*) FROM pg_stat_activity WHERE datname IS NOT NULL")[0][0]
    blockers = [ctx.cluster.connect(db) for _i in range(max(0, 12 - used))]
    try:
        url = f"{ctx.odoo.base_url}/web/login"
        with ThreadPoolExecutor(24) as pool:
            answers = list(pool.map(lambda _i: timed(requests.get, url, timeout=60), range(48)))
        statuses = {}
        for seconds, answer in answers:
            check(not isinstance(answer, Exception), f"a request got no answer: {answer}")
            check(seconds < 60, f"a request took {seconds:.0f}s")
            statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
        say(f"answers under exhaustion: {statuses}")
        check(set(statuses) <= {200, 503}, f"unclear answers under exhaustion: {statuses}")
    finally:
        for cnx in blockers:
            cnx.close()
    after = requests.get(f"{ctx.odoo.base_url}/web/login", timeout=30)
    check(after.status_code == 200, f"/web/login answers {after.status_code} afterwards")
    ctx.odoo.stop()
