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

    def test_check_methods_are_constraints(self):
        """Odoo names ``_check_*`` the constraints; a method that only raises when called is
        named for what it ensures."""
        offenders = sorted(
            f"{module}: {model}.{name}"
            for module, model, name, function in self._suite_methods()
            if name.startswith("_check_") and not getattr(function, "_constrains", None)
        )
        self.assertEqual(offenders, [])
