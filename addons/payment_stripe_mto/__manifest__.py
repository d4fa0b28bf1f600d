# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Stripe for Made-to-Order",
    "summary": "Stripe deposits, balance charged off-session, refunds and webhooks that cannot "
    "be forged or replayed",
    "version": "18.0.1.1.0",
    "category": "Accounting/Payment Providers",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": [
        "payment_stripe",
        "sale_management",
        "account_payment",
        "mto_production",
        "queue_job",
        "connector_common",
    ],
    "external_dependencies": {"python": ["stripe"]},
    "data": [
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/payment_provider_views.xml",
        "views/payment_stripe_event_views.xml",
        "views/sale_order_views.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "payment_stripe_mto/static/src/js/stripe_mto_elements.js",
            "payment_stripe_mto/static/src/js/payment_form.js",
        ],
        "web.assets_tests": [
            "payment_stripe_mto/static/tests/tours/*.js",
        ],
        "web.assets_unit_tests": [
            "payment_stripe_mto/static/src/js/stripe_mto_elements.js",
            "payment_stripe_mto/static/tests/*.test.js",
        ],
    },
}
