"""`bench`: benchmarks against stock Odoo, each in a database of its own."""

import shlex
import shutil

from .core import CACHE, ROOT, env, run
from .odoo import init_suite_db, script_odoo_args, setup
from .postgres import drop_suite_db

# Benchmarks, each in a database of its own with only the modules it needs (no demo data):
# name -> (database variable, default database, modules, script in tests/bench, fresh: its
# data is committed, so a new database each time, dropped afterwards with its filestore).
BENCHES = {
    "mto": ("SUITE_BENCH_DB", "furniture_bench", "mto_production", "run.py", False),
    "portal": (
        "SUITE_BENCH_PORTAL_DB",
        "furniture_bench_portal",
        "mto_portal",
        "portal_list.py",
        True,
    ),
    # attachments on moto's S3 server on loopback against the filestore
    "s3": ("SUITE_BENCH_S3_DB", "furniture_bench_s3", "attachment_s3", "s3_storage.py", True),
    "cockpit": (
        "SUITE_BENCH_COCKPIT_DB",
        "furniture_bench_cockpit",
        "mto_cockpit",
        "cockpit_detect.py",
        False,
    ),
    # a DHL rate uncached, for a known address and from the cache, against Odoo's fixed price
    "dhl": (
        "SUITE_BENCH_DHL_DB",
        "furniture_bench_dhl",
        "delivery_dhl_express",
        "dhl_rates.py",
        False,
    ),
    # Odoo's workers under a locust load on the demo story plus generated data (its own copy
    # of this database per run; the demo story installed once, so demo data here).
    "load": (
        "SUITE_BENCH_LOAD_DB",
        "furniture_bench_load",
        "furniture_suite_company,furniture_suite",
        "load/run.py",
        False,
    ),
    # storefront API catalogue and quote at 100 and 5,000 products, against /shop
    "api": ("SUITE_BENCH_API_DB", "furniture_bench_api", "room_fit", "storefront_api.py", True),
}
# Benchmarks that start Odoo's server themselves; the load one runs only when named.
SERVER_BENCHES = ("portal", "load", "api")
NAMED_ONLY = ("load",)


def cmd_bench(args):
    """Benchmarks, each in a database of its own (suite installed, no demo data).

    `make bench` runs them all; `make bench ARGS="mto --orders 50"`, `ARGS="portal"`,
    `ARGS="s3 --count 10"`, `ARGS="cockpit"`, `ARGS="dhl"`, `ARGS="api"` or
    `ARGS="load --quick"` one.
    """
    odoo, venv, pg = setup()
    which = args.bench_args[0] if args.bench_args and args.bench_args[0] in BENCHES else None
    extra = args.bench_args[1:] if which else args.bench_args
    python = venv / "bin" / "python"
    odoo_args = script_odoo_args(venv, odoo, pg)
    rc = 0
    for name, (db_variable, default_db, modules, script, fresh) in BENCHES.items():
        if which not in (None, name) or (which is None and name in NAMED_ONLY):
            continue  # the load bench runs only when named: it takes minutes
        db = env(db_variable, default_db)
        init_suite_db(odoo, venv, pg, db, [modules], demo=name == "load", fresh=fresh)
        cmd = [
            python,
            ROOT / "tests" / "bench" / script,
            "--database",
            db,
            "--odoo-args",
            shlex.join(odoo_args),
        ]
        if name in SERVER_BENCHES:
            cmd += ["--odoo-bin", f"{python} {odoo / 'odoo-bin'}"]
        try:
            rc |= run([*cmd, *extra], check=False).returncode
        finally:
            if fresh:
                drop_suite_db(pg, db)
                shutil.rmtree(CACHE / "filestore" / "filestore" / db, ignore_errors=True)
    return rc
