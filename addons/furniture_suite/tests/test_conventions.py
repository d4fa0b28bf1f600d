import os

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestConventions(TransactionCase):
    """Names that say what a method is, checked over every model the suite's modules touch."""

    def _suite_methods(self):
        """(module, model, method name, function) of each method a suite module defines."""
        addons = os.path.dirname(get_module_path("furniture_suite"))
        suite = {
            name
            for name in os.listdir(addons)
            if os.path.isfile(os.path.join(addons, name, "__manifest__.py"))
        }
        for model_name in self.env.registry:
            for cls in type(self.env[model_name]).__mro__:
                parts = cls.__module__.split(".")
                if parts[:2] != ["odoo", "addons"] or len(parts) < 3 or parts[2] not in suite:
                    continue
                for name, attr in vars(cls).items():
                    if callable(attr):
                        yield parts[2], model_name, name, attr

    def _odoo_defines(self, model_name, name):
        """Whether a module outside the suite defines method ``name`` on the model (a suite
        method of that name overrides it and keeps Odoo's name)."""
        addons = os.path.dirname(get_module_path("furniture_suite"))
        for cls in type(self.env[model_name]).__mro__:
            parts = cls.__module__.split(".")
            if parts[:2] != ["odoo", "addons"] or len(parts) < 3:
                continue
            if name in vars(cls) and not os.path.isdir(os.path.join(addons, parts[2])):
                return True
        return False

    def test_check_methods_are_constraints(self):
        """Odoo names ``_check_*`` the constraints; a method that only raises when called is
        named for what it ensures (overrides of Odoo's own methods keep their names)."""
        offenders = sorted(
            f"{module}: {model}.{name}"
            for module, model, name, function in self._suite_methods()
            if name.startswith("_check_")
            and not getattr(function, "_constrains", None)
            and not self._odoo_defines(model, name)
        )
        self.assertEqual(offenders, [])
