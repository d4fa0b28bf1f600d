"""Shared fixtures for the suite's plain-Python tests (run by pytest, without Odoo).

Connector client classes live inside their Odoo module (``addons/<module>/models/*_request.py``)
but import nothing from ``odoo``: ``load_addon_file`` loads such a file on its own, without
running the module's ``__init__`` (which would import the ORM).
"""

import importlib.util
import os
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
ADDONS_DIR = REPO_ROOT / "addons"


def specs_dir():
    """Folder of the providers' official OpenAPI files (``../shared/specs`` by default)."""
    folder = Path(os.environ.get("SUITE_SPECS_DIR") or REPO_ROOT.parent / "shared" / "specs")
    if not folder.is_dir():
        raise RuntimeError(
            f"OpenAPI specs not found in {folder}: set SUITE_SPECS_DIR to the folder holding "
            "the DHL, Stripe and Twilio OpenAPI files (see README)."
        )
    return folder


def load_addon_file(module, relpath):
    """Import ``addons/<module>/<relpath>`` as a standalone Python module."""
    path = ADDONS_DIR / module / relpath
    name = f"_suite_{module}_{Path(relpath).stem}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def specs():
    return specs_dir()
