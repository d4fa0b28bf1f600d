"""The entry point's answers to bad input: clear errors, nothing half-made, nothing dropped."""

import argparse
import importlib.util
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

# tools/suite.py and the package of its parts beside it (tools/suite_lib)
sys.path.append(str(REPO_ROOT / "tools"))
spec = importlib.util.spec_from_file_location("suite_tool", REPO_ROOT / "tools" / "suite.py")
suite = importlib.util.module_from_spec(spec)
sys.modules["suite_tool"] = suite
spec.loader.exec_module(suite)
core = importlib.import_module("suite_lib.core")
odoo_source = importlib.import_module("suite_lib.odoo_source")
postgres = importlib.import_module("suite_lib.postgres")
odoo = importlib.import_module("suite_lib.odoo")


def make_tree(folder, version):
    (folder / "odoo").mkdir(parents=True)
    (folder / "odoo-bin").write_text("#!/usr/bin/env python3\n")
    (folder / "odoo" / "release.py").write_text(f"version_info = ({version}, 0, 0, 'final', 0)\n")
    for addon in ("sale_stock", "purchase_stock", "portal", "payment_stripe", "sms"):
        (folder / "addons" / addon).mkdir(parents=True)
        (folder / "addons" / addon / "__manifest__.py").write_text("{}")
    return folder


def test_odoo_src_that_is_not_odoo_is_refused(tmp_path):
    with pytest.raises(core.SuiteError, match="is not an Odoo source tree"):
        odoo_source.check_odoo_tree(tmp_path, "ODOO_SRC=x")


def test_odoo_src_of_another_version_is_refused(tmp_path):
    make_tree(tmp_path, 17)
    with pytest.raises(core.SuiteError, match=r"holds Odoo 17, the suite needs Odoo 18\.0"):
        odoo_source.check_odoo_tree(tmp_path, "ODOO_SRC=x")


def test_odoo_18_without_community_addons_is_refused(tmp_path):
    make_tree(tmp_path, 18)
    (tmp_path / "addons" / "sms" / "__manifest__.py").unlink()
    with pytest.raises(core.SuiteError, match="lacks the addon 'sms'"):
        odoo_source.check_odoo_tree(tmp_path, "ODOO_SRC=x")


def test_failed_clone_says_which_and_keeps_the_cached_copy(tmp_path, monkeypatch):
    monkeypatch.setattr(odoo_source, "CACHE", tmp_path)
    monkeypatch.setattr(odoo_source, "ODOO_DIR", tmp_path / "odoo")
    monkeypatch.setattr(odoo_source, "ODOO_SOURCE_FILE", tmp_path / "odoo-source")
    kept = make_tree(tmp_path / "odoo", 18)
    with pytest.raises(core.SuiteError, match=r"could not get Odoo 18 from .*nowhere at 18.0"):
        odoo_source.clone_odoo(str(tmp_path / "nowhere"), "18.0")
    assert odoo_source.odoo_major_version(kept) == 18, "the previous copy is untouched"
    assert not (tmp_path / "odoo.part").exists(), "nothing half-made is left"


def test_clone_of_a_repository_that_is_not_odoo_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(odoo_source, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(odoo_source, "ODOO_DIR", tmp_path / "cache" / "odoo")
    monkeypatch.setattr(odoo_source, "ODOO_SOURCE_FILE", tmp_path / "cache" / "odoo-source")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README").write_text("not odoo")
    git = ["git", "-C", str(repo), "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    with pytest.raises(core.SuiteError, match="is not an Odoo source tree"):
        odoo_source.clone_odoo(str(repo), "main")
    assert not (tmp_path / "cache" / "odoo").exists()


def test_postgres_role_is_refused(monkeypatch):
    monkeypatch.setenv("SUITE_DB_USER", "postgres")
    with pytest.raises(core.SuiteError, match="Odoo refuses the postgres role"):
        postgres.ensure_postgres()


def test_unreachable_postgres_says_what_was_tried(monkeypatch):
    monkeypatch.setenv("SUITE_DB_HOST", "127.0.0.1")
    monkeypatch.setenv("SUITE_DB_PORT", "1")  # nothing listens there, no cluster on it
    with pytest.raises(
        core.SuiteError,
        match=r"no PostgreSQL server answers: tried connecting "
        "to 127.0.0.1:1",
    ):
        postgres.ensure_postgres()


def test_a_database_the_suite_did_not_create_is_never_dropped():
    pg = postgres.ensure_postgres()
    name = f"foreign_{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["createdb", "-h", pg["host"], "-p", pg["port"], "-U", pg["user"], name], check=True
    )
    try:
        assert postgres.db_state(pg, name) == "foreign"
        with pytest.raises(core.SuiteError, match="was not created by the suite"):
            postgres.drop_suite_db(pg, name)
        assert postgres.db_state(pg, name) == "foreign", "still there"
    finally:
        subprocess.run(
            ["dropdb", "-h", pg["host"], "-p", pg["port"], "-U", pg["user"], name], check=True
        )


def test_port_in_use_is_reported(monkeypatch):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        monkeypatch.setenv("SUITE_HTTP_PORT", str(port))
        assert suite.main(["run"]) == 2


PG = {"host": "127.0.0.1", "port": "5432", "user": "furniture", "password": ""}


def odoo_cli(*args, config=REPO_ROOT / "odoo.conf"):
    """The command `make odoo ARGS="..."` runs, with this environment's Python and Odoo."""
    return odoo.odoo_command(Path(sys.prefix), odoo_source.ODOO_DIR, config, PG, *args)


@pytest.mark.parametrize(
    "command", ["shell", "db", "neutralize", "populate", "server", "attachment_s3_migrate"]
)
def test_an_odoo_command_comes_first_then_the_suite_options_then_the_admins(command):
    cmd = odoo_cli(command, "-d", "furniture", "--no-http")
    assert cmd[1] == str(odoo_source.ODOO_DIR / "odoo-bin")
    # odoo-bin finds the commands modules add only through this first argument
    assert cmd[2] == "--addons-path=" + cmd[cmd.index("--addons-path") + 1]
    assert cmd[2].split("=", 1)[1].split(",")[0] == str(odoo.ADDONS)
    assert cmd[3] == command
    assert cmd[4:6] == ["-c", str(REPO_ROOT / "odoo.conf")]
    assert cmd[-3:] == ["-d", "furniture", "--no-http"]
    assert cmd.count(command) == 1


def test_without_a_command_the_options_come_as_before():
    cmd = odoo_cli("-d", "furniture", "-u", "mto_production", "--stop-after-init")
    assert cmd[2:4] == ["-c", str(REPO_ROOT / "odoo.conf")]
    assert cmd[-5:] == ["-d", "furniture", "-u", "mto_production", "--stop-after-init"]
    assert not any(arg.startswith("--addons-path=") for arg in cmd)


def test_a_command_with_arguments_of_its_own_gets_no_server_options():
    cmd = odoo_cli("scaffold", "my_module", "/tmp/addons")
    assert cmd[3:] == ["scaffold", "my_module", "/tmp/addons"]


def odoo_answer(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(
    "command, own_help",
    [("shell", "Usage: odoo-bin shell"), ("db", "duplicate"), ("neutralize", "--stdout")],
)
def test_odoo_runs_its_commands_as_the_suite_writes_them(command, own_help):
    """Odoo's own parser, not our reading of it: the command runs (its own help shows)
    with the suite's options accepted."""
    answer = odoo_answer(odoo_cli(command, "--help"))
    assert answer.returncode == 0, answer.stderr[-2000:]
    assert own_help in answer.stdout


def test_a_command_a_module_adds_is_found_and_gets_the_suite_options(tmp_path, monkeypatch):
    addon = tmp_path / "suite_probe"
    (addon / "cli").mkdir(parents=True)
    (addon / "__manifest__.py").write_text("{'name': 'probe', 'license': 'LGPL-3'}\n")
    (addon / "__init__.py").write_text("from . import cli\n")
    (addon / "cli" / "__init__.py").write_text(
        "from odoo.cli import Command\n\n\n"
        "class SuiteProbe(Command):\n"
        "    def run(self, args):\n"
        "        print('probe got', repr(args))\n"
    )
    monkeypatch.setattr(odoo, "ADDONS", tmp_path)
    answer = odoo_answer(odoo_cli("suiteprobe", "-d", "furniture"))
    assert answer.returncode == 0, answer.stderr[-2000:]
    got = answer.stdout.split("probe got ", 1)[1]
    assert got.startswith("['-c', ") and got.rstrip().endswith("'-d', 'furniture']")


def fake_parts(monkeypatch, tmp_path, outputs):
    """`test`'s parts replaced by processes that print ``outputs[part]`` and exit."""
    testing = importlib.import_module("suite_lib.testing")
    monkeypatch.setattr(testing, "setup", lambda: None)

    def start(part, _args):
        log_path = tmp_path / f"{part}.log"
        log = open(log_path, "w")  # noqa: SIM115
        code = f"import sys; print({outputs[part]!r}); sys.exit({int('crash' in outputs[part])})"
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=log, stderr=subprocess.STDOUT)
        return proc, log, log_path

    monkeypatch.setattr(testing, "start_part", start)
    return testing


def test_parts_results_are_added_up(monkeypatch, tmp_path, capsys):
    testing = fake_parts(
        monkeypatch,
        tmp_path,
        {
            "checks": 'PART-RESULT {"passed": 3, "failed": 0, "skipped": 0, "lint": 0}',
            "odoo": 'PART-RESULT {"passed": 5, "failed": 0, "skipped": 0}',
            "reliability": 'PART-RESULT {"failed": 0}',
        },
    )
    args = argparse.Namespace(part=None, modules=None, no_lint=False)
    assert testing.cmd_test(args) == 0
    assert capsys.readouterr().out.rstrip().endswith("8 passed, 0 failed")


@pytest.mark.parametrize(
    "part, output",
    [
        ("odoo", "crash: no result"),  # a part that dies without its counts
        ("odoo", 'PART-RESULT {"passed": 5, "failed": 0, "skipped": 1}'),  # a skipped tour
        ("checks", 'PART-RESULT {"passed": 3, "failed": 0, "skipped": 0, "lint": 1}'),
        ("reliability", 'PART-RESULT {"failed": 1}'),
    ],
)
def test_a_failing_or_silent_part_fails_the_run(monkeypatch, tmp_path, capsys, part, output):
    outputs = {
        "checks": 'PART-RESULT {"passed": 3, "failed": 0, "skipped": 0, "lint": 0}',
        "odoo": 'PART-RESULT {"passed": 5, "failed": 0, "skipped": 0}',
        "reliability": 'PART-RESULT {"failed": 0}',
        part: output,
    }
    testing = fake_parts(monkeypatch, tmp_path, outputs)
    args = argparse.Namespace(part=None, modules=None, no_lint=False)
    assert testing.cmd_test(args) == 1
    last = capsys.readouterr().out.rstrip().splitlines()[-1]
    assert last.endswith(" failed") and not last.endswith(" 0 failed"), last
