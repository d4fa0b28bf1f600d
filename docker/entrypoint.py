#!/usr/bin/env python3
"""Entrypoint of the suite's image: the configuration file from the environment, then Odoo.

Every host-specific or secret value comes from the environment (ECS injects the Secrets
Manager values; compose reads docker/.env). They are written, with the image's production
configuration, into a runtime configuration file readable by the ``odoo`` user only (0600):
no password ever travels on Odoo's command line, where ``ps`` shows it to every user of the
host. The official image's /entrypoint.sh is not used for that reason (it passes
``--db_password`` on the command line).

    entrypoint.py odoo [odoo options]         the server (the image's default command)
    entrypoint.py odoo shell|neutralize ...   an Odoo subcommand, same configuration
    entrypoint.py odoo attachment_s3_migrate ...   a subcommand of one of the suite's modules
    entrypoint.py -u mto_production --stop-after-init
    entrypoint.py <any other program>         run as is (a shell for an admin, say)

Paths that differ outside the image (``make prod-smoke`` runs this same script on a
developer's machine) are set by ODOO_BIN, ODOO_BASE_CONF and ODOO_RUNTIME_CONF.
"""

import configparser
import os
import re
import shlex
import sys
import time

# environment variable -> option of the [options] section
OPTIONS = {
    "DB_HOST": "db_host",
    "DB_PORT": "db_port",
    "DB_USER": "db_user",
    "DB_PASSWORD": "db_password",
    "DB_SSLMODE": "db_sslmode",
    "DB_NAME": "db_name",
    "ODOO_ADMIN_PASSWD": "admin_passwd",
    "ODOO_ADDONS_PATH": "addons_path",
    "ODOO_DATA_DIR": "data_dir",
    "ODOO_SERVER_WIDE_MODULES": "server_wide_modules",
    "ODOO_HTTP_INTERFACE": "http_interface",
    "ODOO_HTTP_PORT": "http_port",
    "ODOO_GEVENT_PORT": "gevent_port",
    "ODOO_WORKERS": "workers",
    "ODOO_MAX_CRON_THREADS": "max_cron_threads",
    "ODOO_DB_MAXCONN": "db_maxconn",
    "ODOO_LIMIT_MEMORY_SOFT": "limit_memory_soft",
    "ODOO_LIMIT_MEMORY_HARD": "limit_memory_hard",
    "ODOO_LIMIT_TIME_CPU": "limit_time_cpu",
    "ODOO_LIMIT_TIME_REAL": "limit_time_real",
    "ODOO_LOG_LEVEL": "log_level",
}
REQUIRED = ("DB_HOST", "DB_USER", "DB_NAME", "ODOO_ADMIN_PASSWD")
# Options that carry a secret: refused on the command line.
SECRET_FLAGS = ("-w", "--db_password", "--db-password", "--admin-passwd", "--admin_passwd")
# Odoo's own subcommands (they come first on Odoo's command line, before -c). Any other word
# in that place is a subcommand of a module (its cli/ folder), which Odoo looks for only in
# the addons path given as the very first argument.
SUBCOMMANDS = {
    "server",
    "shell",
    "neutralize",
    "db",
    "populate",
    "start",
    "cloc",
    "deploy",
    "obfuscate",
    "upgrade_code",
    "help",
}


class EntrypointError(Exception):
    pass


def runtime_config(environ, base_path):
    """The configuration: the image's file, then every option the environment sets."""
    missing = [name for name in REQUIRED if not environ.get(name)]
    if missing:
        raise EntrypointError(
            "missing environment variable(s): "
            + ", ".join(missing)
            + " (host-specific and secret values come from the environment)"
        )
    parser = configparser.RawConfigParser()
    if not parser.read(base_path):
        raise EntrypointError(f"cannot read the base configuration {base_path}")
    if not parser.has_section("options"):
        raise EntrypointError(f"{base_path} has no [options] section")
    for name, option in OPTIONS.items():
        value = environ.get(name)
        if value is None or value == "":
            continue
        if "\n" in value or "\r" in value:
            raise EntrypointError(f"{name} holds a line break: not a valid Odoo option value")
        parser.set("options", option, value)
    # One database per deployment: nothing else is served, nor listed.
    parser.set("options", "dbfilter", "^" + re.escape(environ["DB_NAME"]) + "$")
    return parser


def write_private(parser, path):
    """Write the configuration readable by its owner only, replacing any older file."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, mode=0o700, exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        parser.write(handle)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def wait_for_database(environ, timeout):
    """Wait until PostgreSQL accepts the suite's role (the database server may still boot)."""
    import psycopg2

    deadline = time.monotonic() + timeout
    params = {
        "host": environ["DB_HOST"],
        "port": environ.get("DB_PORT") or "5432",
        "user": environ["DB_USER"],
        "password": environ.get("DB_PASSWORD") or None,
        "dbname": "postgres",
        "connect_timeout": 5,
    }
    if environ.get("DB_SSLMODE"):
        params["sslmode"] = environ["DB_SSLMODE"]
    while True:
        try:
            psycopg2.connect(**params).close()
            return
        except psycopg2.OperationalError as exc:
            if time.monotonic() > deadline:
                raise EntrypointError(
                    f"PostgreSQL at {params['host']}:{params['port']} did not accept "
                    f"{params['user']!r} within {timeout:.0f}s: {str(exc).strip()}"
                ) from None
            time.sleep(1)


def odoo_command(args, odoo_bin, config_path, addons_path=None):
    """Odoo's argv: subcommand first, then the runtime configuration, then the rest. A
    module's subcommand is preceded by the addons path, where Odoo discovers it."""
    for arg in args:
        flag = arg.split("=", 1)[0]
        if flag in SECRET_FLAGS:
            raise EntrypointError(
                f"{flag} on the command line would show the password to every user of the "
                "host (ps): set DB_PASSWORD / ODOO_ADMIN_PASSWD in the environment instead"
            )
    subcommand = [args[0]] if args and not args[0].startswith("-") else []
    discovery = []
    if subcommand and subcommand[0] not in SUBCOMMANDS:
        if not addons_path:
            raise EntrypointError(
                f"{subcommand[0]!r} is not an Odoo subcommand and no addons_path is configured "
                "to look for it among the modules"
            )
        discovery = [f"--addons-path={addons_path}"]
    return [*odoo_bin, *discovery, *subcommand, "-c", config_path, *args[len(subcommand) :]]


def main(argv, environ):
    args = list(argv) or ["odoo"]
    if args[0] == "--":
        args = args[1:]
    if args and args[0] == "odoo":
        args = args[1:]
    elif args and not args[0].startswith("-"):
        os.execvp(args[0], args)  # not Odoo: an admin's shell, a one-off script
    odoo_bin = shlex.split(environ.get("ODOO_BIN") or "odoo")
    base = environ.get("ODOO_BASE_CONF") or "/etc/odoo/odoo.conf"
    runtime = environ.get("ODOO_RUNTIME_CONF") or "/run/odoo/odoo.conf"
    config = runtime_config(environ, base)
    write_private(config, runtime)
    # Sessions live in PostgreSQL (OCA session_db, a server-wide module): in the suite's own
    # database by default, reached with the configuration file's credentials.
    environ.setdefault("SESSION_DB_URI", environ["DB_NAME"])
    if not (args and args[0] in ("help", "--help", "-h", "--version")):
        wait_for_database(environ, float(environ.get("DB_WAIT_TIMEOUT") or 60))
    addons_path = config.get("options", "addons_path", fallback=None)
    command = odoo_command(args, odoo_bin, runtime, addons_path)
    os.execvpe(command[0], command, environ)


if __name__ == "__main__":
    try:
        main(sys.argv[1:], dict(os.environ))
    except EntrypointError as exc:
        print(f"entrypoint: {exc}", file=sys.stderr, flush=True)
        sys.exit(2)
