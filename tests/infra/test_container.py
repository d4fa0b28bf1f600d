"""The image, its entrypoint and the compose file: no secret on a command line, nothing
published beyond the host's loopback, a dated base image, a health check, the odoo user.

The entrypoint runs for real (docker/entrypoint.py, the image's own script) with a stand-in
for the odoo binary that records its argv and the configuration it was given, against the
local PostgreSQL server the suite uses.
"""

import copy
import json
import os
import re
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker" / "compose.yaml"
DOCKERFILE = ROOT / "docker" / "Dockerfile"
ENTRYPOINT = ROOT / "docker" / "entrypoint.py"
DB_PASSWORD = "db-secret-Xq7"
ADMIN_PASSWD = "master-secret-Zp9"


# ------------------------------------------------------------------------------ compose


def published_beyond_loopback(compose):
    """Ports of any service that another machine could reach."""
    problems = []
    for name, service in compose.get("services", {}).items():
        for port in service.get("ports", []):
            if isinstance(port, dict):
                host_ip = port.get("host_ip", "")
            else:
                parts = str(port).split(":")
                host_ip = ":".join(parts[:-2]) if len(parts) >= 3 else ""
            if host_ip not in ("127.0.0.1", "::1", "[::1]"):
                problems.append(f"{name} publishes {port} on every interface")
    return problems


def secrets_on_command_lines(compose):
    problems = []
    for name, service in compose.get("services", {}).items():
        command = service.get("command") or []
        command = command if isinstance(command, list) else command.split()
        for arg in command + list(service.get("entrypoint") or []):
            if re.search(r"passw|secret|DB_PASSWORD|ADMIN_PASSWD", str(arg), re.I):
                problems.append(f"{name}: {arg!r} on the command line")
    return problems


def compose_roles(compose):
    problems = []
    services = compose.get("services", {})
    web, worker = services.get("web", {}), services.get("worker", {})
    for name in ("web", "worker"):
        if not services.get(name, {}).get("healthcheck"):
            problems.append(f"{name} has no healthcheck")
    if web.get("environment", {}).get("ODOO_MAX_CRON_THREADS") != "0":
        problems.append("web runs crons")
    if str(worker.get("environment", {}).get("ODOO_MAX_CRON_THREADS", "0")) == "0":
        problems.append("worker runs no cron")
    if worker.get("ports"):
        problems.append("worker takes traffic")
    return problems


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text())


@pytest.mark.parametrize(
    "check", [published_beyond_loopback, secrets_on_command_lines, compose_roles]
)
def test_compose_holds(compose, check):
    assert check(compose) == []


@pytest.mark.parametrize(
    ("check", "break_it"),
    [
        (published_beyond_loopback, lambda c: c["services"]["web"].update(ports=["8069:8069"])),
        (
            published_beyond_loopback,
            lambda c: c["services"]["web"].update(ports=["0.0.0.0:8072:8072"]),
        ),
        (
            published_beyond_loopback,
            lambda c: c["services"]["worker"].update(ports=[{"target": 8069, "published": 8069}]),
        ),
        (
            secrets_on_command_lines,
            lambda c: c["services"]["web"].update(command=["odoo", "--db_password=${DB_PASSWORD}"]),
        ),
        (compose_roles, lambda c: c["services"]["worker"].pop("healthcheck")),
        (
            compose_roles,
            lambda c: c["services"]["web"]["environment"].update(ODOO_MAX_CRON_THREADS="2"),
        ),
    ],
)
def test_compose_checks_catch(compose, check, break_it):
    broken = copy.deepcopy(compose)
    break_it(broken)
    assert check(broken)


# ------------------------------------------------------------------------------ Dockerfile


def dockerfile_problems(text):
    problems = []
    lines = [
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]
    base = next((x for x in lines if x.startswith("ARG ODOO_BASE=")), "")
    if not re.fullmatch(r"ARG ODOO_BASE=odoo:18\.0-\d{8}", base):
        problems.append(f"the base image is not a dated odoo:18.0-YYYYMMDD tag: {base!r}")
    if not any(x.startswith("FROM ${ODOO_BASE}") for x in lines):
        problems.append("FROM does not use the pinned base")
    users = [x for x in lines if x.startswith("USER ")]
    if not users or users[-1] != "USER odoo":
        problems.append("the image does not run as odoo")
    if not any(x.startswith("HEALTHCHECK") and "/web/health" in text for x in lines):
        problems.append("no HEALTHCHECK on /web/health")
    for line in lines:
        if line.startswith(("ENV", "ARG", "LABEL")) and re.search(
            r"PASSW|SECRET|TOKEN|KEY=", line, re.I
        ):
            problems.append(f"a secret in the image: {line}")
    if "@sha256:" in text:
        problems.append("a digest is written by hand (the pipeline records the one it used)")
    return problems


def test_dockerfile_holds():
    assert dockerfile_problems(DOCKERFILE.read_text()) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("ARG ODOO_BASE=odoo:18.0-", "ARG ODOO_BASE=odoo:18#"),
        ("USER odoo", "USER root"),
        ("/web/health", "/"),
        ("ENV ODOO_BASE_CONF", "ENV DB_PASSWORD=x ODOO_BASE_CONF"),
    ],
)
def test_dockerfile_check_catches(old, new):
    text = DOCKERFILE.read_text()
    assert old in text
    assert dockerfile_problems(text.replace(old, new))


# ------------------------------------------------------------------------------ entrypoint


def pg_environ():
    host = os.environ.get("SUITE_DB_HOST", "127.0.0.1")
    port = os.environ.get("SUITE_DB_PORT", "5432")
    try:
        socket.create_connection((host, int(port)), timeout=3).close()
    except OSError:
        pytest.fail(f"no PostgreSQL at {host}:{port} (the suite's tests need it)")
    return {
        "DB_HOST": host,
        "DB_PORT": port,
        "DB_USER": os.environ.get("SUITE_DB_USER", "furniture"),
        "DB_NAME": "furniture_entrypoint_test",
    }


FAKE_ODOO = """#!{python}
import json, os, sys
config = None
if "-c" in sys.argv:
    with open(sys.argv[sys.argv.index("-c") + 1]) as f:
        config = f.read()
with open(os.environ["FAKE_ODOO_RECORD"], "w") as f:
    json.dump({{
        "argv": sys.argv,
        "cmdline": open("/proc/self/cmdline").read().split("\\0"),
        "config": config,
        "session_db_uri": os.environ.get("SESSION_DB_URI"),
    }}, f)
"""


def run_entrypoint(tmp_path, args, **environ):
    fake = tmp_path / "odoo"
    fake.write_text(FAKE_ODOO.format(python=sys.executable))
    fake.chmod(0o755)
    record = tmp_path / "record.json"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "ODOO_BIN": str(fake),
        "ODOO_BASE_CONF": str(ROOT / "config" / "prod.conf"),
        "ODOO_RUNTIME_CONF": str(tmp_path / "run" / "odoo.conf"),
        "FAKE_ODOO_RECORD": str(record),
        "DB_PASSWORD": DB_PASSWORD,
        "ODOO_ADMIN_PASSWD": ADMIN_PASSWD,
        "DB_WAIT_TIMEOUT": "10",
        **pg_environ(),
    }
    env.update(environ)
    env = {k: v for k, v in env.items() if v is not None}
    result = subprocess.run(
        [sys.executable, str(ENTRYPOINT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    recorded = json.loads(record.read_text()) if record.is_file() else None
    return result, recorded


def secrets_in(argv, secrets=(DB_PASSWORD, ADMIN_PASSWD)):
    return [arg for arg in argv if any(s in arg for s in secrets)]


def test_argv_check_catches_a_password():
    assert secrets_in(["odoo", "-c", "x.conf", f"--db_password={DB_PASSWORD}"])
    assert secrets_in(["odoo", "-w", DB_PASSWORD])
    assert not secrets_in(["odoo", "-c", "x.conf"])


def test_entrypoint_passes_passwords_through_a_private_config(tmp_path):
    result, recorded = run_entrypoint(tmp_path, ["odoo", "--workers=2"])
    assert result.returncode == 0, result.stderr
    assert recorded, "the entrypoint did not start odoo"
    assert secrets_in(recorded["argv"]) == []
    assert secrets_in(recorded["cmdline"]) == []
    runtime = tmp_path / "run" / "odoo.conf"
    assert recorded["argv"][1:3] == ["-c", str(runtime)]
    assert recorded["argv"][3:] == ["--workers=2"]
    assert stat.S_IMODE(runtime.stat().st_mode) == 0o600
    config = recorded["config"]
    assert f"db_password = {DB_PASSWORD}" in config
    assert f"admin_passwd = {ADMIN_PASSWD}" in config
    assert "dbfilter = ^furniture_entrypoint_test$" in config
    assert "proxy_mode = True" in config
    assert "session_db" in re.search(r"server_wide_modules = (.*)", config).group(1)
    assert recorded["session_db_uri"] == "furniture_entrypoint_test"


def test_entrypoint_puts_odoo_subcommands_first(tmp_path):
    result, recorded = run_entrypoint(tmp_path, ["odoo", "shell", "--no-http"])
    assert result.returncode == 0, result.stderr
    assert recorded["argv"][1:4] == ["shell", "-c", str(tmp_path / "run" / "odoo.conf")]


def test_entrypoint_lets_odoo_find_a_modules_subcommand(tmp_path):
    result, recorded = run_entrypoint(
        tmp_path,
        ["odoo", "attachment_s3_migrate", "--to", "s3", "--dry-run"],
        ODOO_ADDONS_PATH="/mnt/extra-addons,/opt/odoo/addons",
    )
    assert result.returncode == 0, result.stderr
    # Odoo discovers a module's command only from an addons path given first (odoo.cli).
    assert recorded["argv"][1:] == [
        "--addons-path=/mnt/extra-addons,/opt/odoo/addons",
        "attachment_s3_migrate",
        "-c",
        str(tmp_path / "run" / "odoo.conf"),
        "--to",
        "s3",
        "--dry-run",
    ]


@pytest.mark.parametrize("flag", ["--db_password=x", "-w", "--db-password"])
def test_entrypoint_refuses_passwords_on_the_command_line(tmp_path, flag):
    result, recorded = run_entrypoint(tmp_path, ["odoo", flag, "x"])
    assert result.returncode == 2
    assert "environment" in result.stderr
    assert recorded is None


def test_entrypoint_refuses_to_start_without_master_password(tmp_path):
    result, recorded = run_entrypoint(tmp_path, ["odoo"], ODOO_ADMIN_PASSWD=None)
    assert result.returncode == 2
    assert "ODOO_ADMIN_PASSWD" in result.stderr
    assert recorded is None


def test_entrypoint_waits_then_gives_up_on_a_database_that_never_answers(tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result, recorded = run_entrypoint(tmp_path, ["odoo"], DB_PORT=str(port), DB_WAIT_TIMEOUT="2")
    assert result.returncode == 2
    assert "did not accept" in result.stderr
    assert recorded is None
