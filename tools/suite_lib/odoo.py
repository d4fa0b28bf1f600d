"""Odoo with the suite: its modules, odoo-bin's command line, the set-up every command needs,
the suite's databases, and the commands setup, run, odoo and tool."""

import hashlib
import os
import shlex
from pathlib import Path

from .core import ADDONS, CACHE, ROOT, SuiteError, env, port_in_use, run, say
from .odoo_source import ODOO_SOURCE_FILE, ensure_odoo_source
from .postgres import (
    DB_READY,
    create_suite_db,
    db_state,
    drop_suite_db,
    ensure_postgres,
    mark_db,
)
from .system import ensure_system_packages
from .venv import ensure_venv

# The demo story: the umbrella module and the retailer's company (demo data only).
DEMO_STORY_MODULES = ("furniture_suite", "furniture_suite_company")


# Odoo commands that read their own arguments only, not the server's options.
ODOO_COMMANDS_WITHOUT_SERVER_OPTIONS = frozenset(
    {"help", "scaffold", "deploy", "tsconfig", "upgrade_code", "genproxytoken"}
)


def suite_modules():
    """The suite's installable modules, umbrella last (it depends on the others)."""
    mods = sorted(
        p.parent.name
        for p in ADDONS.glob("*/__manifest__.py")
        if "'installable': False" not in p.read_text()
        and '"installable": False' not in p.read_text()
    )
    return mods


def addons_hash():
    digest = hashlib.sha256()
    for path in sorted(ADDONS.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ADDONS)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def oca_addons_dir(venv):
    """OCA wheels install their addons under odoo/addons inside site-packages."""
    found = list((venv / "lib").glob("python3*/site-packages/odoo/addons"))
    return found[0] if found else None


def addons_path(venv, odoo):
    """The suite's addons, the OCA wheels' (when installed), then Odoo's: comma-separated."""
    paths = [str(ADDONS), str(odoo / "addons"), str(odoo / "odoo" / "addons")]
    oca = oca_addons_dir(venv)
    if oca:
        paths.insert(1, str(oca))
    return ",".join(paths)


def odoo_command(venv, odoo, config, pg, *args):
    """odoo-bin with the suite's configuration, then `args`.

    A first argument that is not an option names an Odoo command (`shell`, `db`,
    `neutralize`, `populate`, `server`, or one a module adds): odoo-bin reads a command only
    in first place, and finds a module's commands only through an `--addons-path=` written
    just before it. The suite's options then follow the command, before the caller's.
    """
    args = [str(a) for a in args]
    paths = addons_path(venv, odoo)
    options = [
        "-c",
        str(config),
        "--addons-path",
        paths,
        "--db_host",
        pg["host"],
        "--db_port",
        pg["port"],
        "--db_user",
        pg["user"],
        "--data-dir",
        str(CACHE / "filestore"),
    ]
    if pg["password"]:
        options += ["--db_password", pg["password"]]
    odoo_bin = [str(venv / "bin" / "python"), str(odoo / "odoo-bin")]
    if not args or args[0].startswith("-"):
        return [*odoo_bin, *options, *args]
    command, rest = args[0], args[1:]
    if command in ODOO_COMMANDS_WITHOUT_SERVER_OPTIONS:
        options = []
    return [*odoo_bin, f"--addons-path={paths}", command, *options, *rest]


def script_odoo_args(venv, odoo, pg):
    """odoo-bin's options with the test configuration, for a script that starts Odoo itself
    (benchmarks, Odoo's own tests)."""
    return odoo_command(venv, odoo, ROOT / "config" / "test.conf", pg)[2:]


def exec_odoo(cmd):
    """Replace this process by Odoo's (printing the command first)."""
    say("$ " + shlex.join(cmd))
    os.execv(cmd[0], cmd)


def setup():
    ensure_system_packages()
    odoo = ensure_odoo_source()
    venv = ensure_venv(odoo)
    pg = ensure_postgres()
    return odoo, venv, pg


def init_suite_db(odoo, venv, pg, db, modules, *, demo=True, fresh=False):
    """Create (or bring up to date) a database of the suite with `modules` installed;
    `fresh`: drop the suite's earlier one first."""
    stamp = CACHE / f"{db}.addons-hash"
    if fresh:
        drop_suite_db(pg, db)
        stamp.unlink(missing_ok=True)
    state = db_state(pg, db)
    current = addons_hash()
    if state == "foreign":
        raise SuiteError(
            f"the database {db!r} exists and was not created by the suite; "
            "it is left alone. Set SUITE_DB (or SUITE_BENCH_DB) to another name."
        )
    names = ",".join(modules)

    def install(*update):
        extra = [] if demo else ["--without-demo", "all"]
        cmd = odoo_command(
            venv,
            odoo,
            ROOT / "odoo.conf",
            pg,
            "-d",
            db,
            "-i",
            names,
            *update,
            *extra,
            "--stop-after-init",
        )
        return run(cmd, check=False).returncode

    if state == "partial":
        say(f"the database {db!r} was left half-made by an interrupted run: recreating it")
        drop_suite_db(pg, db)
        state = None
    if state is None:
        say(f"creating the database {db!r} with {names} (a few minutes, once)")
        create_suite_db(pg, db)
        if install():
            drop_suite_db(pg, db)
            raise SuiteError(
                f"installing the suite into {db!r} failed (see the log above); "
                "the half-made database was removed"
            )
        mark_db(pg, db, DB_READY)
    elif not stamp.is_file() or stamp.read_text() != current:
        say(f"the suite's code changed since {db!r} was set up: updating its modules")
        # Every suite module, not only those named: Odoo's -u updates a module and what depends
        # on it, never its dependencies (a changed dependency would keep its old tables);
        # Odoo skips the names that are not installed.
        if install("-u", ",".join(sorted(set(modules) | set(suite_modules())))):
            raise SuiteError(
                f"updating the suite's modules in {db!r} failed (see the log "
                "above): fix it and run again, or start afresh with: dropdb " + db
            )
    else:
        return
    stamp.write_text(current)


def cmd_setup(_args):
    odoo, venv, pg = setup()
    source = ODOO_SOURCE_FILE.read_text().strip() if ODOO_SOURCE_FILE.is_file() else "?"
    say(f"Odoo 18 source: {odoo} ({source})")
    say(f"virtual environment: {venv}")
    say(f"PostgreSQL: {pg['host']}:{pg['port']} as {pg['user']}")
    return 0


def cmd_run(args):
    port = env("SUITE_HTTP_PORT", "8069")
    if port_in_use(port):
        raise SuiteError(
            f"port {port} is already in use (another Odoo?): stop it, or set "
            "SUITE_HTTP_PORT to a free port"
        )
    odoo, venv, pg = setup()
    db = env("SUITE_DB", "furniture")
    init_suite_db(odoo, venv, pg, db, suite_modules())
    cmd = odoo_command(
        venv,
        odoo,
        ROOT / "odoo.conf",
        pg,
        "-d",
        db,
        "--db-filter",
        f"^{db}$",
        "--http-port",
        port,
        *args.odoo_args,
    )
    print(
        f"""
  The suite runs at http://localhost:{port}  (database {db!r}; Ctrl-C stops it)
  Log in as:
    admin / admin                               back office, all rights
    workshop@atelier-bois.example / workshop    a manufacturer's portal user
    workshop@nordic-joinery.example / workshop  another manufacturer's portal user
    quality@furniture.example / quality         a quality controller
    assistant1@maison-valmont.example / assistant   a sales assistant (own clients only)
    assistant2@maison-valmont.example / assistant   another sales assistant
    manager@maison-valmont.example / manager        the sales manager
""",
        flush=True,
    )
    exec_odoo(cmd)


def cmd_odoo(args):
    odoo, venv, pg = setup()
    config = Path(env("SUITE_ODOO_CONF", ROOT / "odoo.conf"))
    cmd = odoo_command(venv, odoo, config, pg, *args.odoo_args)
    exec_odoo(cmd)


def cmd_tool(args):
    """Run one of the virtual environment's tools (ruff, pylint, pytest...)."""
    odoo = ensure_odoo_source()
    venv = ensure_venv(odoo)
    if not args.tool_args:
        raise SuiteError("name a tool: suite.py tool ruff check addons")
    binary = venv / "bin" / args.tool_args[0]
    if not binary.is_file():
        raise SuiteError(f"{args.tool_args[0]!r} is not installed in {venv}")
    os.execv(str(binary), [str(binary), *args.tool_args[1:]])
