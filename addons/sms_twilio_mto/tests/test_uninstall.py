from psycopg2.errors import ForeignKeyViolation

from odoo.tests import tagged
from odoo.tools import mute_logger

from ..hooks import uninstall_hook
from .common import MtoSmsCase


@tagged("post_install", "-at_install")
class TestUninstall(MtoSmsCase):
    def test_uninstall_lets_odoo_remove_the_module_templates(self):
        templates = self.stages.template_id
        self.assertTrue(templates)
        # The stages hold their templates: Odoo's uninstall could not delete them...
        with (
            self.assertRaises(ForeignKeyViolation),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            templates.unlink()
        # ...once the hook removed every company's stages, it can.
        uninstall_hook(self.env)
        self.assertFalse(self.env["mto.sms.stage"].search([]))
        templates.unlink()
        self.assertFalse(templates.exists())
