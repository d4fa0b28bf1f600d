"""The suite's modules importable by their Odoo names without Odoo's server or ORM.

For plain-Python processes (pytest, the load driver, the reliability harness): a connector's
client or fake provider is imported as ``odoo.addons.<module>.<package>.<file>`` exactly as
in Odoo, without running the module's ``__init__.py`` (which would load the ORM). Never for a
process that runs Odoo itself: there, the real addons must load.
"""

import importlib.machinery
import importlib.util
import sys
from pathlib import Path

ADDONS_DIR = Path(__file__).resolve().parent.parent / "addons"


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


def install_suite_addon_finder():
    if SuiteAddonFinder not in sys.meta_path:
        sys.meta_path.insert(0, SuiteAddonFinder)
