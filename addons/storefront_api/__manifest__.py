# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Storefront API",
    "summary": "REST API for the headless storefront and the mobile app: catalogue, configured "
    "quotes, checkout with a Stripe deposit, client accounts (OCA FastAPI, /api/v1)",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": [
        "fastapi",
        "sale_management",
        "mto_production",
        "payment_stripe_mto",
        "delivery_dhl_express",
    ],
    "external_dependencies": {"python": ["fastapi", "pydantic", "a2wsgi"]},
    "data": [
        "security/storefront_api_groups.xml",
        "security/ir.model.access.csv",
        "data/fastapi_endpoint_data.xml",
        "views/storefront_api_key_views.xml",
        "views/product_template_views.xml",
    ],
    "post_init_hook": "post_init_hook",
}
