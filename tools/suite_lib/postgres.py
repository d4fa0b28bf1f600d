"""PostgreSQL: the server (a local cluster is started when it is down), the suite's role, and
the databases the suite creates (marked by a comment, so it never drops anyone else's)."""

import shutil
import socket
import time

from .core import SuiteError, env, run, say

DB_MARK = "furniture-suite"  # comment set on databases the suite created
DB_READY = "furniture-suite:ready"


def pg_settings():
    return {
        "host": env("SUITE_DB_HOST", env("PGHOST", "127.0.0.1")),
        "port": env("SUITE_DB_PORT", env("PGPORT", "5432")),
        "user": env("SUITE_DB_USER", "furniture"),
        "password": env("SUITE_DB_PASSWORD", ""),
        "admin": env("SUITE_DB_ADMIN", "postgres"),
    }


def pg_answers(pg):
    try:
        with socket.create_connection((pg["host"], int(pg["port"])), timeout=3):
            return True
    except OSError:
        return False


def _server(pg, user=None):
    """The client programs' options naming the server and the role."""
    return ["-h", pg["host"], "-p", pg["port"], "-U", user or pg["user"]]


def password_env(pg):
    """The client programs' environment: the suite role's password, if it has one."""
    return {"PGPASSWORD": pg["password"]} if pg["password"] else None


def psql(pg, sql, *, user=None, db="postgres", check=True):
    cmd = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", *_server(pg, user), "-d", db]
    extra = None if user else password_env(pg)
    return run([*cmd, "-c", sql], check=check, capture=True, quiet=True, extra_env=extra)


def ensure_postgres():
    pg = pg_settings()
    if pg["user"] == "postgres":
        raise SuiteError(
            "SUITE_DB_USER=postgres: Odoo refuses the postgres role; "
            "use a role of the suite's own (default: furniture)"
        )
    tried = [f"connecting to {pg['host']}:{pg['port']}"]
    if (
        not pg_answers(pg)
        and pg["host"] in ("127.0.0.1", "localhost")
        and shutil.which("pg_lsclusters")
    ):
        clusters = run(["pg_lsclusters", "-h"], capture=True, check=False, quiet=True).stdout
        for line in clusters.splitlines():
            version, name, port = line.split()[:3]
            if port == pg["port"]:
                tried.append(f"starting the local cluster {version}/{name}")
                run(
                    ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start"],
                    check=False,
                )
                for _ in range(20):
                    if pg_answers(pg):
                        break
                    time.sleep(0.5)
    if not pg_answers(pg):
        raise SuiteError(
            "no PostgreSQL server answers: tried "
            + ", then ".join(tried)
            + ". Start PostgreSQL (e.g. pg_ctlcluster 15 main start) or set "
            "SUITE_DB_HOST/SUITE_DB_PORT to a server that runs."
        )
    role_ok = psql(pg, "SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user", check=False)
    if role_ok.returncode == 0 and role_ok.stdout.strip() == "t":
        return pg
    say(f"creating the database role {pg['user']!r} (as {pg['admin']!r})")
    quoted = '"' + pg["user"].replace('"', '""') + '"'
    password = (" PASSWORD '" + pg["password"].replace("'", "''") + "'") if pg["password"] else ""
    result = psql(
        pg,
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
        f"'{pg['user']}') THEN CREATE ROLE {quoted} LOGIN CREATEDB{password}; "
        f"ELSE ALTER ROLE {quoted} LOGIN CREATEDB{password}; END IF; END $$;",
        user=pg["admin"],
        check=False,
    )
    if result.returncode:
        raise SuiteError(
            f"cannot create the role {pg['user']!r} as {pg['admin']!r} on "
            f"{pg['host']}:{pg['port']}: {result.stderr.strip()}\n  create it yourself: "
            f"CREATE ROLE {quoted} LOGIN CREATEDB; or set SUITE_DB_USER/SUITE_DB_PASSWORD"
        )
    return pg


def db_state(pg, name):
    """None (absent), 'foreign' (not the suite's), 'partial' or 'ready'."""
    literal = "'" + name.replace("'", "''") + "'"
    out = psql(
        pg,
        "SELECT coalesce(shobj_description(oid, 'pg_database'), '') "
        f"FROM pg_database WHERE datname = {literal}",
    ).stdout
    if not out:
        return None
    comment = out.strip()
    if comment == DB_READY:
        return "ready"
    return "partial" if comment == DB_MARK else "foreign"


def mark_db(pg, name, mark):
    quoted = '"' + name.replace('"', '""') + '"'
    psql(pg, f"COMMENT ON DATABASE {quoted} IS '{mark}'")


def drop_suite_db(pg, name):
    state = db_state(pg, name)
    if state == "foreign":
        raise SuiteError(
            f"the database {name!r} exists and was not created by the suite: "
            "it is left alone. Choose another name (SUITE_DB / SUITE_TEST_DB)."
        )
    if state:
        run(["dropdb", "--force", *_server(pg), name], extra_env=password_env(pg))


def create_suite_db(pg, name):
    run(
        ["createdb", *_server(pg), "-E", "UTF8", "-T", "template0", name],
        extra_env=password_env(pg),
    )
    mark_db(pg, name, DB_MARK)
