from odoo.modules.migration import load_script
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDhlExpressMigration(TransactionCase):
    def test_the_other_api_address_is_kept_under_its_new_name(self):
        """A database of 18.0.1.0.0 stored the address in ``dhl_test_base_url``."""
        product = self.env["product.product"].create({"name": "DHL", "type": "service"})
        carrier = self.env["delivery.carrier"].create(
            {"name": "DHL Express", "delivery_type": "dhl_express", "product_id": product.id}
        )
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            "ALTER TABLE delivery_carrier RENAME COLUMN dhl_api_base_url TO dhl_test_base_url"
        )
        cr.execute(
            "UPDATE delivery_carrier SET dhl_test_base_url = 'http://127.0.0.1:9/dhl' "
            "WHERE id = %s",
            [carrier.id],
        )
        cr.execute(
            "UPDATE ir_model_fields SET name = 'dhl_test_base_url' "
            "WHERE model = 'delivery.carrier' AND name = 'dhl_api_base_url'"
        )
        cr.execute(
            "UPDATE ir_model_data SET name = 'field_delivery_carrier__dhl_test_base_url' "
            "WHERE model = 'ir.model.fields' AND name = 'field_delivery_carrier__dhl_api_base_url'"
        )

        migration = load_script(
            "delivery_dhl_express/migrations/18.0.1.1.0/pre-migration.py", "dhl_pre_migration"
        )
        migration.migrate(cr, "18.0.1.0.0")
        migration.migrate(cr, "18.0.1.0.0")  # run twice: nothing more happens

        self.env.invalidate_all()
        self.assertEqual(carrier.sudo().dhl_api_base_url, "http://127.0.0.1:9/dhl")
        field = self.env["ir.model.fields"]._get("delivery.carrier", "dhl_api_base_url")
        self.assertTrue(field)
        self.assertEqual(
            field.get_external_id()[field.id],
            "delivery_dhl_express.field_delivery_carrier__dhl_api_base_url",
        )
