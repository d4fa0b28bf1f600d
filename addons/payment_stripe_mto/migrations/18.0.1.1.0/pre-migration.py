"""18.0.1.1.0: the provider's API address is ``stripe_mto_api_base_url`` (was
``stripe_mto_api_base``), the name every connector uses (docs/connectors.md). The column is
renamed before the module loads, so the stored address is kept."""

from odoo.addons.connector_common.tools.migration import rename_field


def migrate(cr, version):
    rename_field(
        cr, "payment.provider", "payment_provider", "stripe_mto_api_base", "stripe_mto_api_base_url"
    )
