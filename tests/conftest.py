"""Shared fixtures for the suite's plain-Python tests (run by pytest, without Odoo's server).

Connector clients and fake providers live inside their Odoo module
(``addons/<module>/models/*_request.py``, ``addons/<module>/tests/*_fake.py``) and import
nothing from Odoo's ORM. They are imported here by their Odoo names
(``odoo.addons.<module>.models.<file>``): :class:`SuiteAddonFinder` makes the suite's modules
importable without running their ``__init__.py`` (which would load the ORM), so a client's
``from . import const`` and its ``odoo.addons.connector_common`` imports work as in Odoo.
"""

import importlib
import importlib.machinery
import importlib.util
from pathlib import Path

import pytest

from tests.addon_import import install_suite_addon_finder

REPO_ROOT = Path(__file__).resolve().parent.parent
ADDONS_DIR = REPO_ROOT / "addons"


install_suite_addon_finder()

from odoo.addons.connector_common.tests.openapi_fake import specs_dir  # noqa: E402

__all__ = ["ADDONS_DIR", "REPO_ROOT", "load_addon_file", "specs_dir"]


def load_addon_file(module, relpath):
    """Import ``addons/<module>/<relpath>`` as ``odoo.addons.<module>.<dotted relpath>``."""
    dotted = ".".join(Path(relpath).with_suffix("").parts)
    return importlib.import_module(f"odoo.addons.{module}.{dotted}")


@pytest.fixture(scope="session")
def specs():
    return specs_dir()
