"""18.0.1.1.0: the carrier's other API address is ``dhl_api_base_url`` (was
``dhl_test_base_url``), the name every connector uses (docs/connectors.md). The column is
renamed before the module loads, so the stored address is kept."""

from odoo.addons.connector_common.tools.migration import rename_field


def migrate(cr, version):
    rename_field(
        cr, "delivery.carrier", "delivery_carrier", "dhl_test_base_url", "dhl_api_base_url"
    )
