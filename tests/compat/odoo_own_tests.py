"""Run Odoo's own tests of Odoo modules in an existing database; print the failing ones.

Used by ``python3 tools/suite.py compat``: the same Odoo modules' tests run in a database
of stock Odoo and in one where the suite is installed (not configured), and the failures
are compared. At-install tests run after everything is installed (as post-install ones):
some of them fail on stock Odoo too for that reason, hence the comparison with stock Odoo
rather than an absolute count. Odoo's HTTP server runs in a thread for the tests that
call it (``HttpCase``: routes, webhooks, tours).

Prints one JSON line: ``{"module", "run", "failed": [test ids]}``.
"""

import argparse
import json
import shlex
import sys
import threading
import unittest

import odoo
from odoo.tools import config


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--module", required=True, help="the Odoo module whose tests run")
    parser.add_argument("--odoo-args", default="", help="odoo configuration arguments")
    return parser.parse_args()


def flatten(suite):
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            yield from flatten(test)
        else:
            yield test


def main():
    args = parse_args()
    # Tests enabled only once the registry is loaded: loading it with tests enabled would run
    # every module's at-install tests on a registry still partly loaded.
    config.parse_config([*shlex.split(args.odoo_args), "-d", args.database])
    odoo.service.server.load_server_wide_modules()
    threading.current_thread().dbname = args.database
    from odoo.modules.registry import Registry  # after the configuration
    from odoo.tests import HttpCase, loader
    from odoo.tests.result import OdooTestResult

    failed = []

    def recording(method):
        def record(self, test, *rest):
            err = rest[-1] if rest else None
            if method.__name__ != "addSubTest" or err is not None:
                failed.append(test.id())
            return method(self, test, *rest)

        return record

    for name in ("addError", "addFailure", "addSubTest"):
        setattr(OdooTestResult, name, recording(getattr(OdooTestResult, name)))

    registry = Registry(args.database)
    config["test_enable"] = True
    config["test_tags"] = config["test_tags"] or "+standard"
    if args.module not in registry._init_modules:
        sys.exit(f"{args.module} is not installed in {args.database}")
    run = 0
    for position in ("at_install", "post_install"):
        tests = list(flatten(loader.make_suite([args.module], position)))
        if any(isinstance(t, HttpCase) for t in tests) and not odoo.service.server.server:
            odoo.service.server.server = odoo.service.server.ThreadedServer(odoo.http.root)
            odoo.service.server.server.http_spawn()
        run += len(tests)
        loader.run_suite(loader.OdooSuite(tests), global_report=registry._assertion_report)
    print(json.dumps({"module": args.module, "run": run, "failed": sorted(set(failed))}))


if __name__ == "__main__":
    main()
