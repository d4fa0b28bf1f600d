"""PDF reports on busy workers: as many label downloads at once as there are HTTP workers,
and more.

wkhtmltopdf, started by the worker rendering a report, fetches the report's style sheets and
images over HTTP while that worker waits. With every worker rendering at once and the assets
asked of the workers, none is left to answer: all wait until ``limit_time_real`` kills them,
and the web service stands still (seen under the load benchmark: four workers silent for
three minutes). ``config/prod.conf`` sends those fetches to the gevent process
(``report_assets_from_gevent``, module ``web_service_unavailable``).
"""

import time
from concurrent.futures import ThreadPoolExecutor

import requests
from harness import check, say, scenario

WORKSHOP = ("workshop@atelier-bois.example", "workshop")
WORKERS = 2
# Far beyond what one PDF takes, far below limit_time_real (1200 s): a download that takes
# this long is one that waits for a worker that is itself waiting.
STUCK = 150


@scenario("pdf-on-busy-workers", quick=True)
def pdf_on_busy_workers(ctx):
    """Twice as many piece-label PDFs at once as HTTP workers: each is a PDF, none is stuck,
    and the server answers at once afterwards."""
    db = ctx.copy_of_template("flt_pdf")
    # wkhtmltopdf asks web.base.url (report.url is not set): this server, not the demo's.
    ctx.cluster.query(
        db,
        "UPDATE ir_config_parameter SET value = %s WHERE key = 'web.base.url'",
        [ctx.odoo.base_url],
    )
    orders = ctx.cluster.query(
        db,
        """SELECT po.id FROM purchase_order po
            JOIN res_partner supplier ON supplier.id = po.partner_id
            JOIN res_users u ON u.login = %s
            JOIN res_partner me ON me.id = u.partner_id
           WHERE COALESCE(supplier.commercial_partner_id, supplier.id)
                 = COALESCE(me.commercial_partner_id, me.id)
             AND EXISTS (SELECT 1 FROM mto_piece p WHERE p.purchase_id = po.id)
           ORDER BY po.id""",
        [WORKSHOP[0]],
    )
    check(orders, f"the demo story has no order with pieces for {WORKSHOP[0]}")
    order_ids = [row[0] for row in orders]
    ctx.odoo.start(db, workers=WORKERS)
    try:
        sessions = []
        for _i in range(WORKERS * 2):
            session = requests.Session()
            login = session.post(
                f"{ctx.odoo.base_url}/web/session/authenticate",
                json={"params": {"db": db, "login": WORKSHOP[0], "password": WORKSHOP[1]}},
                timeout=60,
            ).json()
            check(login.get("result", {}).get("uid"), f"the workshop cannot log in: {login}")
            sessions.append(session)

        def labels(index):
            order_id = order_ids[index % len(order_ids)]
            started = time.monotonic()
            try:
                answer = sessions[index].get(
                    f"{ctx.odoo.base_url}/my/production/{order_id}/labels", timeout=STUCK
                )
            except requests.RequestException as exc:
                return time.monotonic() - started, order_id, exc
            return time.monotonic() - started, order_id, answer

        with ThreadPoolExecutor(len(sessions)) as pool:
            results = list(pool.map(labels, range(len(sessions))))
        for _seconds, order_id, answer in results:
            check(
                not isinstance(answer, Exception),
                f"the labels of order {order_id} got no answer within {STUCK}s: {answer}",
            )
            check(
                answer.status_code == 200
                and answer.headers.get("Content-Type", "").startswith("application/pdf")
                and answer.content.startswith(b"%PDF"),
                f"the labels of order {order_id}: HTTP {answer.status_code} "
                f"{answer.headers.get('Content-Type')}",
            )
        took = sorted(round(s, 1) for s, _o, _a in results)
        say(f"{len(results)} label PDFs at once on {WORKERS} workers: {took} s")
        ctx.figures["label PDFs at once (s)"] = took
        after = requests.get(f"{ctx.odoo.base_url}/web/health", timeout=30)
        check(after.status_code == 200, f"/web/health answers {after.status_code} afterwards")
    finally:
        ctx.odoo.stop()
        ctx.cluster.dropdb(db)
