"""`prod-smoke`: the image's entrypoint and production configuration, without Docker."""

import shlex

from .core import CACHE, ROOT, SuiteError, env, port_in_use, run, say
from .odoo import DEMO_STORY_MODULES, addons_path, setup, suite_modules
from .postgres import create_suite_db, drop_suite_db


def cmd_prod_smoke(args):
    """The image's entrypoint and production configuration on this machine, without Docker:
    workers, health, login, websocket, a session across a restart, a file across processes
    (tests/smoke/prod_smoke.py). A fresh database, dropped afterwards."""
    odoo, venv, pg = setup()
    db = env("SUITE_SMOKE_DB", "furniture_smoke")
    http_port = env("SUITE_SMOKE_HTTP_PORT", "8469")
    gevent_port = env("SUITE_SMOKE_GEVENT_PORT", "8472")
    for port in (http_port, gevent_port):
        if port_in_use(port):
            raise SuiteError(
                f"port {port} is already in use: set SUITE_SMOKE_HTTP_PORT / "
                "SUITE_SMOKE_GEVENT_PORT to free ports"
            )
    python = venv / "bin" / "python"
    modules = args.modules or ",".join(m for m in suite_modules() if m not in DEMO_STORY_MODULES)
    log = CACHE / f"prod-smoke-{db}.log"
    log.write_text("")
    drop_suite_db(pg, db)
    create_suite_db(pg, db)
    say(f"Odoo's log goes to {log}")
    try:
        cmd = [
            python,
            ROOT / "tests" / "smoke" / "prod_smoke.py",
            "--database",
            db,
            "--modules",
            modules,
            "--odoo-bin",
            shlex.join([str(python), str(odoo / "odoo-bin")]),
            "--addons-path",
            addons_path(venv, odoo),
            "--db-host",
            pg["host"],
            "--db-port",
            pg["port"],
            "--db-user",
            pg["user"],
            "--http-port",
            http_port,
            "--gevent-port",
            gevent_port,
            "--log",
            log,
        ]
        extra = {"SUITE_SMOKE_DB_PASSWORD": pg["password"]} if pg["password"] else None
        rc = run(cmd, check=False, extra_env=extra).returncode
    finally:
        drop_suite_db(pg, db)
    if rc:
        say(f"prod-smoke failed: see {log}")
    return rc
