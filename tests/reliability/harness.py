"""Real processes for the reliability tests: a throwaway PostgreSQL cluster, Odoo in
multi-process mode through the image's entrypoint, the suite's database as a template.

Nothing here touches the machine's shared PostgreSQL: every database lives in a cluster of
its own (``initdb`` in a temporary folder, on a free loopback port), which the fault tests
may stop and start at will, and which is removed at the end.
"""

import contextlib
import json
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import psycopg2
import requests

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "docker" / "entrypoint.py"
PROD_CONF = ROOT / "config" / "prod.conf"
PG_BIN = Path(os.environ.get("SUITE_RELIABILITY_PG_BIN", "/usr/lib/postgresql/15/bin"))
ROLE = "furniture"
ADMIN_PASSWD = "reliability-master-password"


# name -> (function(ctx), quick: part of the set make test runs)
SCENARIOS = {}


def scenario(name, *, quick):
    def register(func):
        SCENARIOS[name] = (func, quick)
        return func

    return register


class HarnessError(Exception):
    pass


def say(message):
    print(f"[reliability] {message}", flush=True)


def check(condition, message):
    if not condition:
        raise HarnessError(message)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout, message, step=0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise HarnessError(message)
        time.sleep(step)


class PgCluster:
    """A PostgreSQL 15 cluster of our own, in a temporary folder, on a free loopback port.

    As root, the server runs as the ``postgres`` system user (``initdb`` refuses root).
    """

    def __init__(self, workdir, port=None):
        self.dir = Path(workdir) / "pgdata"
        self.socket_dir = Path(workdir) / "pgsock"
        self.log = Path(workdir) / "postgresql.log"
        self.port = port or free_port()
        self.host = "127.0.0.1"
        self._as = []
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]
            account = pwd.getpwnam("postgres")
            for path in (Path(workdir), self.socket_dir):
                path.mkdir(exist_ok=True)
                os.chown(path, account.pw_uid, account.pw_gid)
            self.log.touch()
            os.chown(self.log, account.pw_uid, account.pw_gid)
        else:
            self.socket_dir.mkdir(exist_ok=True)

    def _run(self, *cmd, check=True):
        return subprocess.run(
            [*self._as, *map(str, cmd)], check=check, capture_output=True, text=True
        )

    def init(self, max_connections=100):
        check(
            (PG_BIN / "initdb").is_file(),
            f"PostgreSQL 15 is not installed ({PG_BIN}/initdb): apt-get install postgresql-15",
        )
        self._run(
            PG_BIN / "initdb",
            "-D",
            self.dir,
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale",
            "C.UTF-8",
            "--no-sync",
        )
        with open(self.dir / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.socket_dir}'\n"
                f"max_connections = {max_connections}\n"
                # A test cluster: durability is not what is tested, speed is welcome.
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            )
        self.start()
        self.psql(f"CREATE ROLE {ROLE} LOGIN CREATEDB")
        return self

    def start(self):
        self._run(PG_BIN / "pg_ctl", "-D", self.dir, "-l", self.log, "-w", "-t", "60", "start")

    def stop(self, mode="fast"):
        self._run(PG_BIN / "pg_ctl", "-D", self.dir, "-m", mode, "-w", "stop", check=False)

    def restart(self, mode="fast"):
        pg_ctl = [PG_BIN / "pg_ctl", "-D", self.dir, "-l", self.log, "-m", mode, "-w", "-t", "60"]
        self._run(*pg_ctl, "restart")

    def connect(self, db="postgres", user=ROLE):
        cnx = psycopg2.connect(host=self.host, port=self.port, user=user, dbname=db)
        cnx.autocommit = True
        return cnx

    def psql(self, sql, db="postgres", user="postgres"):
        cnx = self.connect(db, user)
        try:
            with cnx.cursor() as cr:
                cr.execute(sql)
                return cr.fetchall() if cr.description else None
        finally:
            cnx.close()

    def query(self, db, sql, params=None):
        cnx = self.connect(db)
        try:
            with cnx.cursor() as cr:
                cr.execute(sql, params)
                return cr.fetchall() if cr.description else None
        finally:
            cnx.close()

    def createdb(self, name, template="template0"):
        self.psql(f'CREATE DATABASE "{name}" OWNER {ROLE} TEMPLATE "{template}" ENCODING UTF8')

    def dropdb(self, name):
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def databases(self):
        return {r[0] for r in self.psql("SELECT datname FROM pg_database")}


class Odoo:
    """Odoo processes through the image's entrypoint and ``config/prod.conf``, as in the
    container; only paths and ports are this machine's."""

    def __init__(self, cluster, odoo_bin, addons_path, workdir, http_port, gevent_port, log):
        self.cluster = cluster
        self.odoo_bin = odoo_bin
        self.addons_path = addons_path
        self.workdir = Path(workdir)
        self.data_dir = self.workdir / "data"
        self.http_port = http_port
        self.gevent_port = gevent_port
        self.log_path = Path(log)
        self.log = open(self.log_path, "a")  # noqa: SIM115 (closed in close)
        self.server = None
        self.base_url = f"http://127.0.0.1:{http_port}"
        # The production configuration, with demo data allowed (the demo story is what the
        # tests check); every other value is production's.
        self.base_conf = self.workdir / "prod-with-demo.conf"
        self.base_conf.write_text(
            re.sub(r"(?m)^without_demo\s*=.*$", "without_demo = False", PROD_CONF.read_text())
        )

    def close(self):
        self.stop()
        self.log.close()

    def environ(self, db, role, **extra):
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("ODOO_", "DB_", "SESSION_DB", "ATTACHMENT_S3_"))
        }
        env.update(
            {
                "ODOO_BIN": self.odoo_bin,
                "ODOO_BASE_CONF": str(self.base_conf),
                "ODOO_RUNTIME_CONF": str(self.workdir / f"run-{role}" / "odoo.conf"),
                "ODOO_ADDONS_PATH": self.addons_path,
                "ODOO_DATA_DIR": str(self.data_dir),
                "ODOO_HTTP_INTERFACE": "127.0.0.1",
                "ODOO_HTTP_PORT": str(self.http_port),
                "ODOO_GEVENT_PORT": str(self.gevent_port),
                "ODOO_ADMIN_PASSWD": ADMIN_PASSWD,
                "ODOO_LOG_LEVEL": "info",
                "DB_HOST": self.cluster.host,
                "DB_PORT": str(self.cluster.port),
                "DB_USER": ROLE,
                "DB_NAME": db,
            }
        )
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def _popen(self, db, role, args, stdin=None, **extra):
        cmd = [sys.executable, str(ENTRYPOINT), *args]
        self.log.write(f"\n===== {role} on {db}: {shlex.join(cmd)}\n")
        self.log.flush()
        return subprocess.Popen(
            cmd,
            env=self.environ(db, role, **extra),
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=self.log if stdin is None else subprocess.PIPE,
            stderr=self.log,
            text=True,
            start_new_session=True,
        )

    def run_once(self, db, args, timeout=1500, **extra):
        """A one-off task (``-i``/``-u``/``--stop-after-init``); returns seconds taken."""
        started = time.monotonic()
        proc = self._popen(db, "one-off", ["odoo", *args, "--no-http"], **extra)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise HarnessError(f"odoo {' '.join(args)} did not end within {timeout}s") from None
        check(
            proc.returncode == 0,
            f"odoo {' '.join(args)} on {db} exited with {proc.returncode}: see {self.log_path}",
        )
        return time.monotonic() - started

    def shell(self, db, code, timeout=600, **extra):
        """Run ``code`` in an Odoo shell on ``db``; returns the JSON it prints on a line
        starting with ``RESULT:``."""
        proc = self._popen(db, "shell", ["odoo", "shell", "--no-http"], stdin=code, **extra)
        try:
            out, _err = proc.communicate(code, timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise HarnessError(f"an Odoo shell on {db} did not end within {timeout}s") from None
        self.log.write(out)
        self.log.flush()
        lines = [x for x in out.splitlines() if x.startswith("RESULT:")]
        check(lines, f"the Odoo shell on {db} printed no result: see {self.log_path}")
        return json.loads(lines[-1][len("RESULT:") :])

    def start(self, db, workers=2, wait=True, **extra):
        """The server with ``workers`` HTTP workers, the gevent process, the queue_job
        runner (``root:2``) and no cron thread; returns when /web/health answers."""
        self.stop()
        self.db = db
        options = {
            "ODOO_WORKERS": workers,
            "ODOO_MAX_CRON_THREADS": 0,
        }
        options.update(extra)
        self.server = self._popen(db, "server", ["odoo"], **options)
        if wait:
            self.wait_healthy()
        return self.server

    def wait_healthy(self, timeout=180):
        def healthy():
            check(self.server.poll() is None, f"Odoo exited: see {self.log_path}")
            try:
                return all(
                    requests.get(f"http://127.0.0.1:{port}/web/health", timeout=5).status_code
                    == 200
                    for port in (self.http_port, self.gevent_port)
                )
            except requests.RequestException:
                return False

        wait_until(healthy, timeout, f"Odoo did not answer /web/health within {timeout}s")

    def stop(self):
        if self.server and self.server.poll() is None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait()
        if self.server:
            # Whatever the group left (a worker stuck in a held call): gone.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.server.pid, signal.SIGKILL)
        self.server = None

    def processes(self):
        root = psutil.Process(self.server.pid)
        return [root, *root.children(recursive=True)]

    def process_talking_to(self, port, timeout=30):
        """The Odoo process with an open connection to 127.0.0.1:``port`` (a fake provider)."""

        def find():
            for proc in self.processes():
                try:
                    # psutil < 6 names it connections()
                    connections = getattr(proc, "net_connections", None) or proc.connections
                    for conn in connections(kind="tcp"):
                        if conn.raddr and conn.raddr.port == port:
                            return proc
                except psutil.NoSuchProcess:
                    continue
            return None

        return wait_until(find, timeout, f"no Odoo process talks to port {port}")

    # -- JSON-RPC, as the web client and external integrations ---------------------------------

    def rpc(self, model, method, *args, timeout=120, **kwargs):
        response = requests.post(
            f"{self.base_url}/jsonrpc",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {
                    "service": "object",
                    "method": "execute_kw",
                    "args": [self.db, 2, "admin", model, method, list(args), kwargs],
                },
            },
            timeout=timeout,
        )
        return response

    def call(self, model, method, *args, **kwargs):
        response = self.rpc(model, method, *args, **kwargs)
        check(response.status_code == 200, f"{model}.{method}: HTTP {response.status_code}")
        body = response.json()
        if body.get("error"):
            raise RpcError(body["error"])
        return body.get("result")


class RpcError(Exception):
    def __init__(self, error):
        data = error.get("data") or {}
        super().__init__(data.get("message") or error.get("message"))
        self.name = data.get("name", "")
        self.error = error


def temporary_workdir(prefix):
    path = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(path, 0o755)
    return path


def remove_workdir(path):
    shutil.rmtree(path, ignore_errors=True)
