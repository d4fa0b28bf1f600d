"""`test`: lint, the plain-Python tests (pytest) and the suite's Odoo tests on a fresh
database, with one count of passed and failed tests."""

import re
import shlex
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

from .core import CACHE, ROOT, env, say
from .lint import lint
from .odoo import odoo_command, setup, suite_modules
from .postgres import create_suite_db, drop_suite_db
from .scripts import run_venv_script


def run_odoo_tests(odoo, venv, pg, modules):
    """Fresh database, install the suite with tests: at_install then post_install.

    Returns (passed, failed, skipped). Any skipped test counts as a failure: a browser tour
    skipped for a missing dependency is not a passing tour.
    """
    db = env("SUITE_TEST_DB", "furniture_test")
    drop_suite_db(pg, db)
    create_suite_db(pg, db)
    log_file = CACHE / f"test-odoo-{db}.log"
    tags = ",".join(f"/{m}" for m in modules)
    cmd = odoo_command(
        venv,
        odoo,
        ROOT / "config" / "test.conf",
        pg,
        "-d",
        db,
        "-i",
        ",".join(modules),
        "--test-enable",
        "--test-tags",
        tags,
        "--stop-after-init",
        "--http-port",
        env("SUITE_TEST_HTTP_PORT", "8169"),
    )
    say("$ " + shlex.join(cmd))
    say(f"Odoo's log goes to {log_file}; test results below")
    pattern = re.compile(
        r"(ERROR|CRITICAL|FAIL|skipped |tests when loading| post-tests in |"
        r"Starting post tests|Ran \d+ tests|: \d+ tests )"
    )
    counts = {"run": 0, "failed": 0, "errors": 0, "skipped": 0}
    with open(log_file, "w") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            for line in proc.stdout:
                log.write(line)
                if pattern.search(line) or line.startswith(("Traceback", "  File", "    ")):
                    sys.stdout.write(line)
                if re.search(r"\bskipped \S+ : ", line):
                    counts["skipped"] += 1
                match = re.search(
                    r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading", line
                )
                if match:
                    counts["failed"], counts["errors"], counts["run"] = map(int, match.groups())
            rc = proc.wait()
        except KeyboardInterrupt:
            proc.send_signal(signal.SIGINT)
            proc.wait()
            raise
    failed = counts["failed"] + counts["errors"]
    if rc and not failed:
        failed = 1  # Odoo stopped on an error that no test reported (e.g. an install failure)
        say(f"odoo exited with {rc}: see {log_file}")
    passed = max(counts["run"] - failed - counts["skipped"], 0)
    if counts["run"] == 0:
        say("no Odoo test ran")
        failed = max(failed, 1)
    if counts["skipped"]:
        say(f"{counts['skipped']} test(s) skipped: a skipped test is not a passing one")
    drop_suite_db(pg, db)
    return passed, failed, counts["skipped"]


def run_pytest(venv):
    """Plain-Python tests (connector clients, fake servers, tooling); returns (passed, failed)."""
    junit = CACHE / f"pytest-{env('SUITE_TEST_DB', 'furniture_test')}.xml"
    cmd = [
        venv / "bin" / "python",
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:odoo",
        str(ROOT / "tests"),
        "-ra",
        "--junit-xml",
        junit,
    ]
    say("$ " + shlex.join(map(str, cmd)))
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, check=False)
    try:
        suite = ET.parse(junit).getroot()
        suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
        total, fails = (
            int(suite.get("tests")),
            int(suite.get("failures")) + int(suite.get("errors")),
        )
        skipped = int(suite.get("skipped"))
    except (OSError, ET.ParseError, TypeError, AttributeError):
        total, fails, skipped = 0, 1, 0
    if result.returncode not in (0, 5) and not fails:
        fails = 1
    if skipped:
        say(f"{skipped} pytest test(s) skipped: a skipped test is not a passing one")
    return max(total - fails - skipped, 0), fails, skipped


def cmd_test(args):
    odoo, venv, pg = setup()
    started = time.monotonic()
    lint_failed = lint(venv) if not args.no_lint else 0
    py_passed, py_failed, py_skipped = run_pytest(venv)
    modules = args.modules.split(",") if args.modules else suite_modules()
    od_passed, od_failed, od_skipped = run_odoo_tests(odoo, venv, pg, modules)
    # The quick set of the reliability tests (real processes: tests/reliability), full runs only.
    rel = 0 if args.modules else run_venv_script("reliability", ["--quick"])
    passed = py_passed + od_passed
    failed = py_failed + od_failed + py_skipped + od_skipped + lint_failed + (1 if rel else 0)
    say(
        f"pytest: {py_passed} passed, {py_failed} failed, {py_skipped} skipped; "
        f"odoo: {od_passed} passed, {od_failed} failed, {od_skipped} skipped; "
        f"lint: {'failed' if lint_failed else 'passed'}; "
        f"reliability: {'skipped (--modules)' if args.modules else 'failed' if rel else 'passed'}; "
        f"{time.monotonic() - started:.0f}s"
    )
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0
