"""`test`: lint, the plain-Python tests (pytest), the suite's Odoo tests on a fresh database
and the quick reliability tests, side by side, with one count of passed and failed tests."""

import contextlib
import json
import os
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


# The parts of `test`, run side by side (each in its own process, its output in its own log,
# printed whole when it ends): Odoo's install-and-test is the longest; lint and pytest, then
# the reliability tests' own cluster, share the time it leaves.
PARTS = ("odoo", "checks", "reliability")


def run_part(args):
    """One part of `test`, in this process; returns its counts."""
    odoo, venv, pg = setup()
    if args.part == "odoo":
        modules = args.modules.split(",") if args.modules else suite_modules()
        passed, failed, skipped = run_odoo_tests(odoo, venv, pg, modules)
        return {"passed": passed, "failed": failed, "skipped": skipped}
    if args.part == "checks":
        lint_failed = lint(venv) if not args.no_lint else 0
        passed, failed, skipped = run_pytest(venv)
        return {"passed": passed, "failed": failed, "skipped": skipped, "lint": lint_failed}
    return {"failed": 1 if run_venv_script("reliability", ["--quick"]) else 0}


def start_part(part, args):
    log_path = CACHE / f"test-part-{part}-{env('SUITE_TEST_DB', 'furniture_test')}.log"
    cmd = [sys.executable, str(ROOT / "tools" / "suite.py"), "test", "--part", part]
    if args.modules:
        cmd += ["--modules", args.modules]
    if args.no_lint:
        cmd.append("--no-lint")
    log = open(log_path, "w")  # noqa: SIM115 (closed when the part ends)
    # A process group of its own: stopping the run stops all a part has started.
    proc = subprocess.Popen(
        cmd, stdout=log, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    say(f"{part}: started (its output: {log_path})")
    return proc, log, log_path


def part_result(part, log_path, returncode):
    """The counts a part printed last (``PART-RESULT {...}``), or a failure if it printed
    none (it crashed or was stopped)."""
    text = log_path.read_text(errors="replace")
    sys.stdout.write(f"\n===== {part} =====\n{text}")
    results = [line for line in text.splitlines() if line.startswith(PART_RESULT)]
    if not results:
        say(f"{part}: ended ({returncode}) without its result: counted as a failure")
        return {"failed": 1}
    return json.loads(results[-1][len(PART_RESULT) :])


PART_RESULT = "PART-RESULT "


def stop_parts(procs):
    """SIGTERM to each part's process group (the reliability tests then stop their cluster),
    SIGKILL to what is left of a group a minute later."""
    for proc in procs:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 60
    for proc in procs:
        while time.monotonic() < deadline:
            proc.poll()  # the part itself, once it has ended, leaves the group
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                break  # nothing of the part is left
            time.sleep(0.5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def _interrupted(_signum, _frame):
    raise KeyboardInterrupt


def cmd_test(args):
    setup()  # once, before the parts start side by side
    if args.part:
        result = run_part(args)
        print(PART_RESULT + json.dumps(result), flush=True)
        return 0
    started = time.monotonic()
    # The quick set of the reliability tests (real processes: tests/reliability), full runs only.
    parts = [p for p in PARTS if p != "reliability" or not args.modules]
    running = {part: start_part(part, args) for part in parts}
    results = {}
    # Stopped from outside (`kill`, a CI timeout): the parts are stopped as by Ctrl-C, so that
    # each one cleans up (Odoo's test database, the reliability tests' own cluster).
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        while running:
            for part, (proc, log, log_path) in list(running.items()):
                if proc.poll() is None:
                    continue
                log.close()
                results[part] = part_result(part, log_path, proc.returncode)
                say(f"{part}: done after {time.monotonic() - started:.0f}s")
                del running[part]
            time.sleep(1)
    except KeyboardInterrupt:
        stop_parts([proc for proc, _log, _path in running.values()])
        raise
    odoo_ = results["odoo"]
    checks = results["checks"]
    lint_failed = checks.get("lint", 0)
    rel = results.get("reliability", {}).get("failed", 0)
    passed = checks.get("passed", 0) + odoo_.get("passed", 0)
    failed = sum(r.get("failed", 0) + r.get("skipped", 0) for r in results.values())
    failed += lint_failed
    say(
        f"pytest: {checks.get('passed', 0)} passed, {checks.get('failed', 0)} failed, "
        f"{checks.get('skipped', 0)} skipped; "
        f"odoo: {odoo_.get('passed', 0)} passed, {odoo_.get('failed', 0)} failed, "
        f"{odoo_.get('skipped', 0)} skipped; "
        f"lint: {'failed' if lint_failed else 'passed'}; "
        f"reliability: {'skipped (--modules)' if args.modules else 'failed' if rel else 'passed'}; "
        f"{time.monotonic() - started:.0f}s"
    )
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0
