"""The entry point's answers to bad input: clear errors, nothing half-made, nothing dropped."""

import importlib.util
import socket
import subprocess
import sys
import uuid

import pytest

from tests.conftest import REPO_ROOT

spec = importlib.util.spec_from_file_location("suite_tool", REPO_ROOT / "tools" / "suite.py")
suite = importlib.util.module_from_spec(spec)
sys.modules["suite_tool"] = suite
spec.loader.exec_module(suite)


def make_tree(folder, version):
    (folder / "odoo").mkdir(parents=True)
    (folder / "odoo-bin").write_text("#!/usr/bin/env python3\n")
    (folder / "odoo" / "release.py").write_text(f"version_info = ({version}, 0, 0, 'final', 0)\n")
    for addon in ("sale_stock", "purchase_stock", "portal", "payment_stripe", "sms"):
        (folder / "addons" / addon).mkdir(parents=True)
        (folder / "addons" / addon / "__manifest__.py").write_text("{}")
    return folder


def test_odoo_src_that_is_not_odoo_is_refused(tmp_path):
    with pytest.raises(suite.SuiteError, match="is not an Odoo source tree"):
        suite.check_odoo_tree(tmp_path, "ODOO_SRC=x")


def test_odoo_src_of_another_version_is_refused(tmp_path):
    make_tree(tmp_path, 17)
    with pytest.raises(suite.SuiteError, match=r"holds Odoo 17, the suite needs Odoo 18\.0"):
        suite.check_odoo_tree(tmp_path, "ODOO_SRC=x")


def test_odoo_18_without_community_addons_is_refused(tmp_path):
    make_tree(tmp_path, 18)
    (tmp_path / "addons" / "sms" / "__manifest__.py").unlink()
    with pytest.raises(suite.SuiteError, match="lacks the addon 'sms'"):
        suite.check_odoo_tree(tmp_path, "ODOO_SRC=x")


def test_failed_clone_says_which_and_keeps_the_cached_copy(tmp_path, monkeypatch):
    monkeypatch.setattr(suite, "CACHE", tmp_path)
    monkeypatch.setattr(suite, "ODOO_DIR", tmp_path / "odoo")
    monkeypatch.setattr(suite, "ODOO_SOURCE_FILE", tmp_path / "odoo-source")
    kept = make_tree(tmp_path / "odoo", 18)
    with pytest.raises(suite.SuiteError, match=r"could not get Odoo 18 from .*nowhere at 18.0"):
        suite.clone_odoo(str(tmp_path / "nowhere"), "18.0")
    assert suite.odoo_major_version(kept) == 18, "the previous copy is untouched"
    assert not (tmp_path / "odoo.part").exists(), "nothing half-made is left"


def test_clone_of_a_repository_that_is_not_odoo_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(suite, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(suite, "ODOO_DIR", tmp_path / "cache" / "odoo")
    monkeypatch.setattr(suite, "ODOO_SOURCE_FILE", tmp_path / "cache" / "odoo-source")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README").write_text("not odoo")
    git = ["git", "-C", str(repo), "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    with pytest.raises(suite.SuiteError, match="is not an Odoo source tree"):
        suite.clone_odoo(str(repo), "main")
    assert not (tmp_path / "cache" / "odoo").exists()


def test_postgres_role_is_refused(monkeypatch):
    monkeypatch.setenv("SUITE_DB_USER", "postgres")
    with pytest.raises(suite.SuiteError, match="Odoo refuses the postgres role"):
        suite.ensure_postgres()


def test_unreachable_postgres_says_what_was_tried(monkeypatch):
    monkeypatch.setenv("SUITE_DB_HOST", "127.0.0.1")
    monkeypatch.setenv("SUITE_DB_PORT", "1")  # nothing listens there, no cluster on it
    with pytest.raises(
        suite.SuiteError,
        match=r"no PostgreSQL server answers: tried connecting "
        "to 127.0.0.1:1",
    ):
        suite.ensure_postgres()


def test_a_database_the_suite_did_not_create_is_never_dropped():
    pg = suite.ensure_postgres()
    name = f"foreign_{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["createdb", "-h", pg["host"], "-p", pg["port"], "-U", pg["user"], name], check=True
    )
    try:
        assert suite.db_state(pg, name) == "foreign"
        with pytest.raises(suite.SuiteError, match="was not created by the suite"):
            suite.drop_suite_db(pg, name)
        assert suite.db_state(pg, name) == "foreign", "still there"
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
