#!/usr/bin/env python3
"""The suite's single entry point: set-up, run, test, lint, bench and Odoo commands.

Runs on the machine's own Python 3.11 (standard library only): it builds everything else.

    python3 tools/suite.py run        # set up what is missing, demo database, Odoo on :8069
    python3 tools/suite.py test       # set up what is missing, fresh test database, every test
    python3 tools/suite.py odoo ...   # odoo-bin with the suite's configuration (prints the command)

Everything that outlives a checkout (the Odoo source, the virtual environment) lives in the
cache folder ``$SUITE_CACHE`` (default ``~/.cache/furniture-suite``), so a fresh clone, or CI,
reuses it without any variable set. Settings come from environment variables; see README.
"""

import argparse
import sys

# The commands' code: one module of the package beside this file per concern.
from suite_lib import bench, compat, core, lint, odoo, readme, scripts, smoke, testing


def main(argv=None):
    parser = argparse.ArgumentParser(prog="suite", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="install what is missing (system packages, Odoo, venv, role)")
    sub.add_parser(
        "run", help="set up, create the demo database, start Odoo (extra arguments go to odoo-bin)"
    )
    p_test = sub.add_parser("test", help="set up, then lint and run every test")
    p_test.add_argument("--modules", help="comma-separated suite modules (default: all)")
    p_test.add_argument("--no-lint", action="store_true")
    p_test.add_argument("--part", choices=testing.PARTS, help=argparse.SUPPRESS)
    sub.add_parser("lint", help="ruff and pylint-odoo's mandatory checks")
    sub.add_parser("odoo", help="odoo-bin with the suite's configuration (arguments follow)")
    sub.add_parser("bench", help="benchmarks against stock Odoo (arguments follow)")
    p_compat = sub.add_parser(
        "compat", help="Odoo's own tests of the modules extended, with and without the suite"
    )
    p_compat.add_argument(
        "--odoo-modules", default=compat.COMPAT_ODOO_MODULES, help="comma-separated Odoo modules"
    )
    p_smoke = sub.add_parser(
        "prod-smoke", help="the image's entrypoint and production configuration, without Docker"
    )
    p_smoke.add_argument("--modules", help="modules to install (default: the suite's)")
    sub.add_parser("readme", help="write each module's README.rst from its readme/ folder")
    sub.add_parser("tool", help="run a tool of the virtualenv: tool ruff check addons")
    sub.add_parser("backup", help="a database, its files and S3 objects into one file")
    sub.add_parser("restore", help="a backup into a new database")
    sub.add_parser("reliability", help="faults, upgrades, backups on real processes")
    argv = sys.argv[1:] if argv is None else argv
    passthrough = []
    if argv and argv[0] in (
        "run",
        "odoo",
        "bench",
        "tool",
        *scripts.VENV_SCRIPTS,
    ):  # the rest goes to Odoo / the benchmark / the script
        argv, passthrough = argv[:1], argv[1:]
    args = parser.parse_args(argv)
    if argv and argv[0] in ("run", "odoo"):
        args.odoo_args = passthrough
    elif argv and argv[0] == "bench":
        args.bench_args = passthrough
    elif argv and argv[0] == "tool":
        args.tool_args = passthrough
    elif argv and argv[0] in scripts.VENV_SCRIPTS:
        args.script_args = passthrough
    handler = {
        "setup": odoo.cmd_setup,
        "run": odoo.cmd_run,
        "test": testing.cmd_test,
        "lint": lint.cmd_lint,
        "odoo": odoo.cmd_odoo,
        "compat": compat.cmd_compat,
        "bench": bench.cmd_bench,
        "tool": odoo.cmd_tool,
        "readme": readme.cmd_readme,
        "prod-smoke": smoke.cmd_prod_smoke,
        **dict.fromkeys(scripts.VENV_SCRIPTS, scripts.cmd_venv_script),
    }[args.command]
    try:
        return handler(args) or 0
    except core.SuiteError as exc:
        print(f"[suite] error: {exc}", file=sys.stderr, flush=True)
        return 2
    except KeyboardInterrupt:
        print("\n[suite] interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
