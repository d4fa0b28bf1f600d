"""`compat`: Odoo's own tests of the modules the suite extends, on stock Odoo and with the
suite installed but not configured (the suite must be opt-in)."""

import ast
import json
import shlex
import subprocess

from .core import ADDONS, CACHE, ROOT, SuiteError, env, say
from .odoo import DEMO_STORY_MODULES, init_suite_db, script_odoo_args, setup, suite_modules
from .postgres import drop_suite_db

# Odoo modules whose own tests `compat` runs by default: those the suite extends.
COMPAT_ODOO_MODULES = (
    "sale,purchase,stock,sale_purchase_stock,purchase_stock,sale_stock,stock_delivery,"
    "payment_stripe,sale_management,account_payment"
)


# Odoo tests that fail with the suite by design, and why (what the issue asked for).
_WEBHOOK = (
    "the Stripe webhook proves the signature over the raw body before reading anything "
    "(Odoo's test mocks Odoo's own check instead of signing)"
)

_SDK_PATH = (
    "Odoo's own Stripe calls take the suite's SDK client (one HTTP path, docs/connectors.md); "
    "Odoo's test mocks the request method of Odoo's class, which is no longer reached"
)


COMPAT_BY_DESIGN = {
    "odoo.addons.payment_stripe.tests.test_stripe.StripeTest."
    "test_webhook_notification_confirms_transaction": _WEBHOOK,
    "odoo.addons.payment_stripe.tests.test_stripe.StripeTest."
    "test_webhook_notification_tokenizes_payment_method": _WEBHOOK,
    "odoo.addons.payment_stripe.tests.test_stripe.StripeTest."
    "test_webhook_notification_triggers_signature_check": _WEBHOOK,
    "odoo.addons.payment_stripe.tests.test_refund_flows.TestRefundFlows."
    "test_canceled_refund_webhook_notification_triggers_processing": _WEBHOOK,
    "odoo.addons.payment_stripe.tests.test_refund_flows.TestRefundFlows."
    "test_refund_id_is_set_as_provider_reference": (
        "refunds go through the suite's Stripe client (pinned API version, timeout, "
        "idempotency key) and are recorded at once; Odoo's test mocks Odoo's request method"
    ),
    "odoo.addons.payment_stripe.tests.test_stripe.StripeTest."
    "test_tx_state_after_send_capture_request": _SDK_PATH,
    "odoo.addons.payment_stripe.tests.test_stripe.StripeTest."
    "test_tx_state_after_send_void_request": _SDK_PATH,
}


def suite_odoo_dependencies(modules):
    """The modules outside the suite that ``modules`` depend on directly."""
    found = set()
    for module in modules:
        manifest = ast.literal_eval((ADDONS / module / "__manifest__.py").read_text())
        found.update(d for d in manifest.get("depends", []) if not (ADDONS / d).is_dir())
    return sorted(found)


def cmd_compat(args):
    """Odoo's own tests of the modules the suite extends, run on stock Odoo and on Odoo with
    the suite installed but not configured: a test failing only with the suite fails this
    command (the suite must be opt-in). Not part of `make test`: it takes several minutes."""
    odoo, venv, pg = setup()
    odoo_modules = args.odoo_modules.split(",")
    # No demo story: the umbrella module configures the suite, which is what is not wanted,
    # and the retailer's company would keep Odoo's accounting demo off the main company.
    suite = [m for m in suite_modules() if m not in DEMO_STORY_MODULES]
    dbs = {
        "stock": (
            env("SUITE_COMPAT_STOCK_DB", "furniture_compat_stock"),
            sorted(set(odoo_modules) | set(suite_odoo_dependencies(suite))),
        ),
        "suite": (env("SUITE_COMPAT_DB", "furniture_compat_suite"), odoo_modules + suite),
    }
    for db, modules in dbs.values():
        init_suite_db(odoo, venv, pg, db, modules, fresh=True)
    python = str(venv / "bin" / "python")
    odoo_args = script_odoo_args(venv, odoo, pg)
    port = int(env("SUITE_COMPAT_HTTP_PORT", "8190"))
    ports = {"stock": str(port), "suite": str(port + 1)}
    count = 0  # tests failing only with the suite
    try:
        for module in odoo_modules:
            procs = {}
            for kind, (db, _modules) in dbs.items():
                log = open(CACHE / f"compat-{db}-{module}.log", "w")  # noqa: SIM115
                procs[kind] = (
                    subprocess.Popen(
                        [
                            python,
                            str(ROOT / "tests" / "compat" / "odoo_own_tests.py"),
                            "--database",
                            db,
                            "--module",
                            module,
                            "--odoo-args",
                            shlex.join([*odoo_args, "--http-port", ports[kind]]),
                        ],
                        stdout=subprocess.PIPE,
                        stderr=log,
                        text=True,
                    ),
                    log,
                )
            results = {}
            for kind, (proc, log) in procs.items():
                out, _err = proc.communicate()
                log.close()
                lines = out.strip().splitlines()
                if proc.returncode or not lines:
                    raise SuiteError(
                        f"{module}'s tests did not run in {dbs[kind][0]}: see {log.name}"
                    )
                results[kind] = json.loads(lines[-1])
            only = set(results["suite"]["failed"]) - set(results["stock"]["failed"])
            by_design = sorted(only & set(COMPAT_BY_DESIGN))
            new = sorted(only - set(COMPAT_BY_DESIGN))
            say(
                f"{module}: {results['suite']['run']} tests; failing on stock Odoo: "
                f"{len(results['stock']['failed'])}, with the suite: "
                f"{len(results['suite']['failed'])}; only with the suite: {len(new)}"
                + (f" (+{len(by_design)} by design)" if by_design else "")
            )
            for test in by_design:
                say(f"  by design: {test}: {COMPAT_BY_DESIGN[test]}")
            for test in new:
                say(f"  only with the suite: {test} (log: compat-{dbs['suite'][0]}-{module}.log)")
            count += len(new)
    finally:
        for db, _modules in dbs.values():
            drop_suite_db(pg, db)
    print(f"{count} of Odoo's own tests fail only with the suite installed", flush=True)
    return 1 if count else 0
