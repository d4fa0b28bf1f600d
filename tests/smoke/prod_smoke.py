"""Production smoke test: the image's entrypoint and production configuration, without Docker.

Run by ``python3 tools/suite.py prod-smoke`` (``make prod-smoke``) with the suite's virtualenv
Python, on a fresh database that tools/suite.py created (and drops afterwards). Every Odoo
process here starts through ``docker/entrypoint.py`` with ``config/prod.conf``, exactly as in
the container; only the paths that differ outside the image are mapped by environment
variables (ODOO_BIN, ODOO_BASE_CONF, ODOO_RUNTIME_CONF, ODOO_ADDONS_PATH, ODOO_DATA_DIR).

Steps, each failing the run with a clear message:
1. the one-off install task (``-i <modules> --stop-after-init``), as the pipeline runs it;
2. an Odoo shell (another process, the admin's flow) stores a file as an attachment, which
   lands in the S3 bucket (attachment_s3, configured by ATTACHMENT_S3_* variables as on ECS;
   here moto's S3 server on loopback, real boto3 calls) and not in the data directory;
3. the web service starts with HTTP workers and the gevent (websocket) process;
   ``/web/health`` answers 200; a login works through the HTTP port and a wrong password does
   not; the websocket endpoint accepts a real upgrade on the gevent port; the file written by
   the shell is read back byte for byte; no process shows a password on its command line;
4. the web service is stopped and started again: the session opened before still holds the
   login (sessions live in PostgreSQL, OCA session_db), and a made-up session does not.
"""

import argparse
import base64
import hashlib
import json
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3
import psutil
import psycopg2
import requests
import websocket
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]
SMOKE_BUCKET = "furniture-smoke-attachments"
ENTRYPOINT = ROOT / "docker" / "entrypoint.py"
PROD_CONF = ROOT / "config" / "prod.conf"


class SmokeError(Exception):
    pass


def say(message):
    print(f"[prod-smoke] {message}", flush=True)


def check(condition, message):
    if not condition:
        raise SmokeError(message)


class Deployment:
    """Environment of the container, mapped to this machine, and the processes started."""

    def __init__(self, args, workdir):
        self.args = args
        self.workdir = Path(workdir)
        self.log = open(args.log, "a")  # noqa: SIM115 (closed in stop_all)
        self.admin_passwd = secrets.token_urlsafe(24)
        self.procs = []
        self.base_url = f"http://127.0.0.1:{args.http_port}"
        self.s3_environ = {}

    def environ(self, role, **extra):
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("ODOO_", "DB_", "SESSION_DB"))
        }
        env.update(
            {
                "ODOO_BIN": self.args.odoo_bin,
                "ODOO_BASE_CONF": str(PROD_CONF),
                "ODOO_RUNTIME_CONF": str(self.workdir / f"run-{role}" / "odoo.conf"),
                "ODOO_ADDONS_PATH": self.args.addons_path,
                "ODOO_DATA_DIR": str(self.workdir / "data"),
                "ODOO_HTTP_INTERFACE": "127.0.0.1",
                "ODOO_HTTP_PORT": str(self.args.http_port),
                "ODOO_GEVENT_PORT": str(self.args.gevent_port),
                "ODOO_ADMIN_PASSWD": self.admin_passwd,
                "ODOO_LOG_LEVEL": "info",
                "DB_HOST": self.args.db_host,
                "DB_PORT": str(self.args.db_port),
                "DB_USER": self.args.db_user,
                "DB_NAME": self.args.database,
            }
        )
        if self.args.db_password:
            env["DB_PASSWORD"] = self.args.db_password
        env.update(self.s3_environ)
        env.update(extra)
        return env

    def start(self, role, args, **extra):
        cmd = [sys.executable, str(ENTRYPOINT), *args]
        self.log.write(f"\n===== {role}: {shlex.join(cmd)}\n")
        self.log.flush()
        proc = subprocess.Popen(
            cmd,
            env=self.environ(role, **extra),
            stdin=subprocess.PIPE,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def run_once(self, role, args, stdin=None, timeout=900, **extra):
        proc = self.start(role, args, **extra)
        try:
            proc.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop(proc)
            raise SmokeError(
                f"{role} did not finish within {timeout}s: see {self.args.log}"
            ) from None
        check(proc.returncode == 0, f"{role} exited with {proc.returncode}: see {self.args.log}")

    def stop(self, proc, timeout=60):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        return proc.returncode

    def stop_all(self):
        for proc in self.procs:
            self.stop(proc)
        self.log.close()

    def web(self):
        """The web service: HTTP workers and the gevent process, no crons, no job runner."""
        started = time.monotonic()
        proc = self.start(
            "web",
            ["odoo"],
            ODOO_WORKERS=str(self.args.workers),
            ODOO_MAX_CRON_THREADS="0",
            ODOO_QUEUE_JOB_CHANNELS="root:0",
        )
        deadline = started + self.args.start_timeout
        while True:
            check(proc.poll() is None, f"the web service exited with {proc.returncode}")
            try:
                response = requests.get(f"{self.base_url}/web/health", timeout=5)
                if response.status_code == 200:
                    return proc, time.monotonic() - started, response
            except requests.RequestException:
                pass
            check(
                time.monotonic() < deadline,
                f"/web/health did not answer 200 within {self.args.start_timeout}s",
            )
            time.sleep(0.5)


def jsonrpc(session, url, params):
    response = session.post(
        url, json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}, timeout=60
    )
    check(response.status_code == 200, f"{url} answered HTTP {response.status_code}")
    body = response.json()
    return body.get("result"), body.get("error")


def session_uid(base_url, cookies):
    session = requests.Session()
    session.cookies.update(cookies)
    result, error = jsonrpc(session, f"{base_url}/web/session/get_session_info", {})
    return (result or {}).get("uid") if not error else None


def odoo_processes(proc):
    """The server process and its children (HTTP workers, gevent, ...)."""
    root = psutil.Process(proc.pid)
    found = [root, *root.children(recursive=True)]
    return [p for p in found if p.is_running()]


SHELL_WRITE = """
import base64
data = base64.b64decode({payload!r})
attachment = env["ir.attachment"].create({{"name": "prod-smoke.bin", "raw": data}})
env.cr.commit()
print("SMOKE-ATTACHMENT", attachment.id, attachment.checksum, attachment.store_fname)
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--modules", required=True, help="modules the one-off task installs")
    parser.add_argument("--odoo-bin", required=True, help="the command that runs odoo-bin")
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-port", default="5432")
    parser.add_argument("--db-user", default="furniture")
    # The password, if any, comes from the environment, never the command line.
    parser.add_argument("--db-password", default=os.environ.get("SUITE_SMOKE_DB_PASSWORD", ""))
    parser.add_argument("--http-port", type=int, default=8469)
    parser.add_argument("--gevent-port", type=int, default=8472)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--start-timeout", type=int, default=180)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    check(args.workers >= 2, "--workers must be at least 2 (multi-process mode)")
    total = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="furniture-prod-smoke-") as workdir:
        deployment = Deployment(args, workdir)
        s3_server = start_loopback_s3(deployment)
        try:
            figures = run(deployment, args)
        finally:
            deployment.stop_all()
            s3_server.stop()
    figures["total"] = f"{time.monotonic() - total:.1f}s"
    say("figures: " + json.dumps(figures))
    print("prod-smoke: passed", flush=True)


def start_loopback_s3(deployment):
    """moto's S3 server on a free loopback port, with the attachments bucket; every Odoo
    process gets the ATTACHMENT_S3_* variables the ECS task definitions set, and credentials
    through boto3's standard chain (here the environment; on ECS the task role)."""
    from moto.server import ThreadedMotoServer

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        host, port = sock.getsockname()
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    deployment.s3_environ = {
        "ATTACHMENT_S3_BUCKET": SMOKE_BUCKET,
        "ATTACHMENT_S3_REGION": "eu-west-1",
        "ATTACHMENT_S3_ENDPOINT_URL": f"http://{host}:{port}",
        "AWS_ACCESS_KEY_ID": "smoke-test",
        "AWS_SECRET_ACCESS_KEY": "smoke-test",
    }
    s3_client(deployment).create_bucket(
        Bucket=SMOKE_BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    return server


def s3_client(deployment):
    env = deployment.s3_environ
    return boto3.client(
        "s3",
        endpoint_url=env["ATTACHMENT_S3_ENDPOINT_URL"],
        region_name=env["ATTACHMENT_S3_REGION"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        config=Config(s3={"addressing_style": "path"}),
    )


def run(deployment, args):
    figures = {}
    base_url = deployment.base_url

    # 1. The one-off task of a deployment: install (or upgrade) modules, then stop.
    started = time.monotonic()
    deployment.run_once(
        "one-off install", ["odoo", "-i", args.modules, "--stop-after-init", "--no-http"]
    )
    figures["install"] = f"{time.monotonic() - started:.1f}s"
    say(f"one-off task installed {args.modules} in {figures['install']}")
    runtime_conf = Path(deployment.workdir) / "run-one-off install" / "odoo.conf"
    mode = runtime_conf.stat().st_mode & 0o777
    check(mode == 0o600, f"the runtime configuration is mode {mode:o}, not 600")
    check(
        deployment.admin_passwd in runtime_conf.read_text(),
        "the master password did not reach the runtime configuration",
    )

    # 2. Another process (an admin's Odoo shell) stores a file.
    payload = secrets.token_bytes(4096)
    shell_log_start = Path(args.log).stat().st_size
    deployment.run_once(
        "shell",
        ["odoo", "shell", "--no-http"],
        stdin=SHELL_WRITE.format(payload=base64.b64encode(payload).decode()),
        timeout=300,
    )
    with open(args.log) as log:
        log.seek(shell_log_start)
        line = next((x for x in log if x.startswith("SMOKE-ATTACHMENT")), None)
    check(line, "the Odoo shell did not store the attachment (see the log)")
    _tag, attachment_id, checksum, store_fname = line.split()
    check(
        checksum == hashlib.sha1(payload).hexdigest(),
        "the stored file's checksum is not the payload's",
    )
    say(f"an Odoo shell stored attachment {attachment_id} ({store_fname})")
    check(
        store_fname.startswith(f"s3://{SMOKE_BUCKET}/"),
        f"the attachment was not stored in S3: {store_fname}",
    )
    key = store_fname.removeprefix(f"s3://{SMOKE_BUCKET}/")
    stored = s3_client(deployment).get_object(Bucket=SMOKE_BUCKET, Key=key)["Body"].read()
    check(stored == payload, "the object in the bucket is not the payload")
    on_disk = list((Path(deployment.workdir) / "data").rglob(checksum))
    check(not on_disk, f"the file was written to the data directory too: {on_disk}")
    figures["s3_object"] = key
    say(f"the file is the object {key} of the bucket, not in the data directory")

    # 3. The web service.
    web, start_time, health = deployment.web()
    figures["start"] = f"{start_time:.1f}s"
    check(health.json().get("status") == "pass", f"/web/health answered {health.text!r}")
    say(f"web service up in {figures['start']}; /web/health: {health.status_code} {health.text}")
    procs = odoo_processes(web)
    odoo_procs = [p for p in procs if "odoo" in " ".join(p.cmdline())]
    figures["processes"] = len(odoo_procs)
    check(
        len(odoo_procs) >= args.workers + 2,
        f"{len(odoo_procs)} Odoo processes: expected the server, {args.workers} HTTP workers "
        "and the gevent process",
    )
    for proc in procs:
        cmdline = " ".join(proc.cmdline())
        check(
            deployment.admin_passwd not in cmdline
            and "--db_password" not in cmdline
            and "-w " not in cmdline,
            f"a password shows on a command line: {cmdline}",
        )
    say(f"{len(odoo_procs)} Odoo processes (server, workers, gevent); no password in any argv")

    browser = requests.Session()
    result, error = jsonrpc(
        browser,
        f"{base_url}/web/session/authenticate",
        {"db": args.database, "login": "admin", "password": "not-the-password"},
    )
    check(error and not result, "a wrong password logged in")
    browser = requests.Session()
    result, error = jsonrpc(
        browser,
        f"{base_url}/web/session/authenticate",
        {"db": args.database, "login": "admin", "password": "admin"},
    )
    check(not error and result and result.get("uid"), f"login failed: {error}")
    uid = result["uid"]
    cookies = browser.cookies.get_dict()
    check("session_id" in cookies, "no session cookie after login")
    say(f"login through port {args.http_port}: uid {uid}")

    content = browser.get(f"{base_url}/web/content/{attachment_id}?download=true", timeout=60)
    check(
        content.status_code == 200 and content.content == payload,
        f"the web service did not return the shell's file (HTTP {content.status_code})",
    )
    say(f"the web service read the file the shell wrote ({len(payload)} bytes, same bytes)")

    gevent_health = requests.get(f"http://127.0.0.1:{args.gevent_port}/web/health", timeout=10)
    check(
        gevent_health.status_code == 200,
        f"/web/health on the gevent port answered {gevent_health.status_code}",
    )
    # No User-Agent: Odoo then does not compare the browser worker's version.
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{args.gevent_port}/websocket",
        origin=base_url,
        cookie=f"session_id={cookies['session_id']}",
        timeout=20,
    )
    try:
        check(ws.getstatus() == 101, f"websocket upgrade answered {ws.getstatus()}")
        ws.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}}))
        ws.ping()
        check(ws.connected, "the websocket closed after a subscription")
    finally:
        ws.close()
    say(f"websocket upgrade on port {args.gevent_port}: 101 Switching Protocols")

    with (
        psycopg2.connect(
            host=args.db_host,
            port=args.db_port,
            user=args.db_user,
            password=args.db_password or None,
            dbname=args.database,
        ) as cnx,
        cnx.cursor() as cr,
    ):
        cr.execute("SELECT count(*) FROM http_sessions WHERE sid = %s", (cookies["session_id"],))
        stored = cr.fetchone()[0]
    check(stored == 1, "the session is not stored in PostgreSQL (http_sessions)")
    session_files = list((Path(deployment.workdir) / "data").rglob(f"*{cookies['session_id']}*"))
    check(not session_files, f"the session is stored in files too: {session_files}")

    # 4. Restart: the session lives in the database, not in the process.
    old_pid = web.pid
    deployment.stop(web)
    web, restart_time, _health = deployment.web()
    figures["restart"] = f"{restart_time:.1f}s"
    check(web.pid != old_pid, "the web service was not restarted")
    check(session_uid(base_url, cookies) == uid, "the session did not survive the restart")
    check(
        session_uid(base_url, {"session_id": secrets.token_urlsafe(52)}) is None,
        "a made-up session is logged in",
    )
    again = requests.get(
        f"{base_url}/web/content/{attachment_id}?download=true", cookies=cookies, timeout=60
    )
    check(again.content == payload, "the file is not readable after the restart")
    figures["session_survives_restart"] = True
    say(
        f"restarted (pid {old_pid} -> {web.pid}) in {figures['restart']}: the session still "
        f"holds uid {uid}; the file is still read"
    )
    deployment.stop(web)
    return figures


if __name__ == "__main__":
    try:
        main()
    except SmokeError as exc:
        print(f"[prod-smoke] FAILED: {exc}", flush=True)
        sys.exit(1)
