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
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
ADDONS_DIR = REPO_ROOT / "addons"


class SuiteAddonFinder:
    """Import ``odoo.addons.<suite module>[.<package>...]`` as bare packages.

    Folders become packages whose ``__init__.py`` is not run; ``.py`` files load as usual.
    """

    prefix = "odoo.addons."

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if not fullname.startswith(cls.prefix):
            return None
        parts = fullname[len(cls.prefix) :].split(".")
        if not (ADDONS_DIR / parts[0] / "__manifest__.py").is_file():
            return None
        location = ADDONS_DIR.joinpath(*parts)
        if location.is_dir():
            spec = importlib.machinery.ModuleSpec(fullname, None, is_package=True)
            spec.submodule_search_locations = [str(location)]
            return spec
        source = location.with_suffix(".py")
        if source.is_file():
            return importlib.util.spec_from_file_location(fullname, source)
        return None


if SuiteAddonFinder not in sys.meta_path:
    sys.meta_path.insert(0, SuiteAddonFinder)

from odoo.addons.connector_common.tests.openapi_fake import specs_dir  # noqa: E402

__all__ = ["ADDONS_DIR", "REPO_ROOT", "load_addon_file", "specs_dir"]


def load_addon_file(module, relpath):
    """Import ``addons/<module>/<relpath>`` as ``odoo.addons.<module>.<dotted relpath>``."""
    dotted = ".".join(Path(relpath).with_suffix("").parts)
    return importlib.import_module(f"odoo.addons.{module}.{dotted}")


@pytest.fixture(scope="session")
def specs():
    return specs_dir()
