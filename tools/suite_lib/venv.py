"""The suite's virtual environments in the cache: Odoo's and the suite's requirements (one per
set of requirements, shared by checkouts), and checkov's own."""

import contextlib
import fcntl
import hashlib
import shutil
import sys
import time

from .core import CACHE, ROOT, SuiteError, env, run, say

PIP_VERSION = "25.3"
CHECKOV_REQUIREMENTS = ROOT / "tools" / "requirements-checkov.txt"


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


def _make_venv(venv, *installs):
    """A new virtual environment `venv` with the pinned pip, then `pip install -q` of each of
    `installs` (lists of arguments); a failed install removes it."""
    run([env("SUITE_PYTHON", sys.executable), "-m", "venv", venv])
    pip = [venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check"]
    try:
        for args in ([f"pip=={PIP_VERSION}"], *installs):
            run([*pip, "install", "-q", *args])
    except SuiteError:
        shutil.rmtree(venv, ignore_errors=True)
        raise


def _build_venv(odoo, key, venv):
    done = venv / ".suite-complete"
    if done.is_file():
        done.touch()  # last use: older environments are removed a week after theirs
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    say(f"creating the virtual environment {venv} (a few minutes, once)")
    constraint = ["--build-constraint", ROOT / "tools" / "build-constraints.txt"]
    _make_venv(
        venv,
        [*constraint, "-r", odoo / "requirements.txt", "-r", ROOT / "requirements-dev.txt"],
        # pytest-odoo and the OCA addon wheels find Odoo only through a "compat" editable
        # install; the suite's requirements (OCA wheels among them) come after it.
        ["--no-deps", "-e", odoo, "--config-settings", "editable_mode=compat"],
        [*constraint, "-r", ROOT / "requirements.txt"],
    )
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
        _make_venv(venv, ["--no-deps", "-r", CHECKOV_REQUIREMENTS])
        done.write_text("ok\n")
        for old in CACHE.glob("checkov-*"):
            if old != venv:
                shutil.rmtree(old, ignore_errors=True)
    return venv / "bin" / "checkov"
