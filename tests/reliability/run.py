"""Reliability tests on real processes: faults, lifecycle, backups.

Run by ``python3 tools/suite.py reliability`` (``make reliability``) and, for the quick set,
by ``make test``, with the suite's virtualenv Python. Everything runs in a throwaway
PostgreSQL 15 cluster (see ``harness.PgCluster``) and Odoo servers started through the
image's entrypoint with ``config/prod.conf`` (HTTP workers, gevent, the queue_job runner).

The suite with its demo story is installed once into a template database; every scenario
works on its own copy (``CREATE DATABASE ... TEMPLATE``). Each scenario prints one line
``PASS``/``FAIL`` with its time; the run closes with ``N passed, N failed``.
"""

import argparse
import os
import shutil
import signal
import time
import traceback
from pathlib import Path

from harness import (
    SCENARIOS,
    HarnessError,
    Odoo,
    PgCluster,
    remove_workdir,
    say,
    temporary_workdir,
)

TEMPLATE = "suite_demo_template"


def import_scenarios():
    # Each module registers its scenarios with @scenario.
    import backups  # noqa: F401
    import faults  # noqa: F401
    import lifecycle  # noqa: F401
    import reports  # noqa: F401


class Context:
    def __init__(self, args, workdir, cluster, odoo):
        self.args = args
        self.workdir = workdir
        self.cluster = cluster
        self.odoo = odoo
        self.modules = args.modules.split(",")
        self.figures = {}

    def copy_of_template(self, name):
        if TEMPLATE not in self.cluster.databases():
            build_template(self)
        self.cluster.dropdb(name)
        started = time.monotonic()
        self.cluster.createdb(name, template=TEMPLATE)
        # As Odoo's own database copy: the files go with the database.
        filestore = self.odoo.data_dir / "filestore"
        shutil.rmtree(filestore / name, ignore_errors=True)
        if (filestore / TEMPLATE).is_dir():
            shutil.copytree(filestore / TEMPLATE, filestore / name)
        self.figures[f"copy {name}"] = round(time.monotonic() - started, 1)
        return name


def build_template(ctx):
    started = time.monotonic()
    ctx.cluster.createdb(TEMPLATE)
    ctx.odoo.run_once(TEMPLATE, ["-i", ",".join(ctx.modules), "--stop-after-init"])
    ctx.figures["template install"] = round(time.monotonic() - started, 1)
    took = time.monotonic() - started
    say(f"template {TEMPLATE}: {', '.join(ctx.modules)} with demo in {took:.0f}s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    environ = os.environ.get
    parser.add_argument("--modules", default=environ("SUITE_MODULES"), help="suite modules")
    parser.add_argument("--odoo-bin", default=environ("SUITE_ODOO_BIN"))
    parser.add_argument("--addons-path", default=environ("SUITE_ADDONS_PATH"))
    parser.add_argument(
        "--http-port", type=int, default=int(environ("SUITE_RELIABILITY_HTTP_PORT", "8569"))
    )
    parser.add_argument(
        "--gevent-port", type=int, default=int(environ("SUITE_RELIABILITY_GEVENT_PORT", "8572"))
    )
    parser.add_argument("--log", default=environ("SUITE_RELIABILITY_LOG"))
    parser.add_argument("--quick", action="store_true", help="the set run by make test")
    parser.add_argument("--only", help="comma-separated scenario names")
    parser.add_argument(
        "--workdir",
        help="keep the cluster and its template database in this folder, and reuse them "
        "on the next run (while developing a scenario)",
    )
    parser.add_argument("--old-ref-dir", help="the suite's previous version (upgrade test)")
    args = parser.parse_args()
    missing = [n for n in ("modules", "odoo_bin", "addons_path", "log") if not getattr(args, n)]
    if missing:
        parser.error("missing: " + ", ".join(missing) + " (run through tools/suite.py)")
    import_scenarios()
    # Stopped from outside (`kill`, a CI timeout): stop the cluster and Odoo on the way out.
    signal.signal(signal.SIGTERM, _stopped)
    chosen = [
        name
        for name, (_func, quick) in SCENARIOS.items()
        if (not args.only or name in args.only.split(",")) and (quick or not args.quick)
    ]
    total = time.monotonic()
    keep = bool(args.workdir)
    workdir = Path(args.workdir) if keep else temporary_workdir("furniture-reliability-")
    workdir.mkdir(parents=True, exist_ok=True)
    cluster = PgCluster(workdir)
    odoo = None
    passed, failed = [], []
    try:
        if keep and (cluster.dir / "PG_VERSION").is_file():
            cluster.port = int(
                (cluster.dir / "postgresql.conf").read_text().rsplit("port = ", 1)[1].split()[0]
            )
            cluster.start()
        else:
            cluster.init()
        say(f"throwaway PostgreSQL cluster on 127.0.0.1:{cluster.port} in {workdir}")
        odoo = Odoo(
            cluster,
            args.odoo_bin,
            args.addons_path,
            workdir,
            args.http_port,
            args.gevent_port,
            args.log,
        )
        ctx = Context(args, workdir, cluster, odoo)
        for name in chosen:
            func, _quick = SCENARIOS[name]
            started = time.monotonic()
            say(f"--- {name}")
            try:
                func(ctx)
            except Exception as exc:
                failed.append(name)
                detail = str(exc) if isinstance(exc, HarnessError) else traceback.format_exc()
                say(f"FAIL {name} ({time.monotonic() - started:.0f}s): {detail}")
            else:
                passed.append(name)
                say(f"PASS {name} ({time.monotonic() - started:.0f}s)")
            finally:
                odoo.stop()
                if cluster.dir.exists():
                    cluster.start() if not _pg_running(cluster) else None
        say("figures: " + ", ".join(f"{k}: {v}" for k, v in ctx.figures.items()))
    except Exception as exc:
        failed.append("setup")
        say(f"FAIL setup: {exc if isinstance(exc, HarnessError) else traceback.format_exc()}")
    finally:
        if odoo:
            odoo.close()
        cluster.stop("fast" if keep else "immediate")
        if not keep:
            remove_workdir(workdir)
    say(f"total {time.monotonic() - total:.0f}s")
    print(f"reliability: {len(passed)} passed, {len(failed)} failed", flush=True)
    return 1 if failed else 0


def _stopped(signum, _frame):
    raise SystemExit(128 + signum)


def _pg_running(cluster):
    try:
        cluster.connect().close()
        return True
    except Exception:
        return False


if __name__ == "__main__":
    raise SystemExit(main())
