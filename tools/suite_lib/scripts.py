"""Commands run by the virtualenv's Python: backup and restore (``tools/backup.py``) and the
reliability tests on real processes (``tests/reliability``)."""

import shlex

from .core import CACHE, ROOT, env, run
from .odoo import addons_path, setup, suite_modules
from .postgres import password_env

# name -> (script, its first arguments). The script reads the suite's settings from the
# environment (PG*, SUITE_ODOO_BIN, SUITE_ADDONS_PATH...).
VENV_SCRIPTS = {
    "backup": ("tools/backup.py", ["backup"]),
    "restore": ("tools/backup.py", ["restore"]),
    "reliability": ("tests/reliability/run.py", []),
}


def run_venv_script(command, script_args=(), extra=()):
    odoo, venv, pg = setup()
    script, first = VENV_SCRIPTS[command]
    python = venv / "bin" / "python"
    environ = {
        "PGHOST": pg["host"],
        "PGPORT": pg["port"],
        "PGUSER": pg["user"],
        **(password_env(pg) or {}),
        "SUITE_ODOO_BIN": shlex.join([str(python), str(odoo / "odoo-bin")]),
        "SUITE_ADDONS_PATH": addons_path(venv, odoo),
        "SUITE_MODULES": ",".join(suite_modules()),
        "SUITE_DATA_DIR": str(CACHE / "filestore"),
        "SUITE_ODOO_CONF": env("SUITE_ODOO_CONF", str(ROOT / "odoo.conf")),
        "SUITE_RELIABILITY_LOG": str(CACHE / "reliability.log"),
    }
    cmd = [python, ROOT / script, *first, *script_args, *extra]
    return run(cmd, check=False, extra_env=environ).returncode


def cmd_venv_script(args):
    """Backup / restore (tools/backup.py) and the reliability tests (tests/reliability)."""
    return run_venv_script(args.command, args.script_args)
