"""What every part of the suite's tool shares: where things are, settings, messages, commands."""

import os
import shlex
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
ADDONS = ROOT / "addons"
CACHE = Path(
    os.environ.get("SUITE_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "furniture-suite"
)


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


def port_in_use(port):
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", int(port))) == 0
