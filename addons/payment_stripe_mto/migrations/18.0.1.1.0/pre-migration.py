"""18.0.1.1.0: the provider's API address is ``stripe_mto_api_base_url`` (was
``stripe_mto_api_base``), the name every connector uses (docs/connectors.md). The column is
renamed before the module loads, so the stored address is kept."""


def migrate(cr, version):
    cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'payment_provider'
           AND column_name IN ('stripe_mto_api_base', 'stripe_mto_api_base_url')
        """
    )
    columns = {row[0] for row in cr.fetchall()}
    if columns == {"stripe_mto_api_base"}:
        cr.execute(
            "ALTER TABLE payment_provider "
            "RENAME COLUMN stripe_mto_api_base TO stripe_mto_api_base_url"
        )
        cr.execute(
            """
            UPDATE ir_model_fields SET name = 'stripe_mto_api_base_url'
             WHERE model = 'payment.provider' AND name = 'stripe_mto_api_base'
            """
        )
