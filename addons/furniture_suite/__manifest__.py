# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Furniture Suite",
    "summary": "Installs the whole made-to-order furniture suite, with a demo that tells its story",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": [
        # Depends on base alone, so it is loaded before accounting (see its description).
        "furniture_suite_company",
        "mto_production",
        "mto_portal",
        "mto_quality",
        "delivery_dhl_express",
        "sms_twilio",
        "payment_stripe_mto",
        "attachment_s3",
        "mto_cockpit",
        "showroom_appointment",
        "sale_clienteling",
        "sale_clienteling_mto",
        "sale_collection",
        "sale_loyalty",
    ],
    "data": [],
    "demo": ["demo/furniture_suite_demo.xml", "demo/furniture_suite_pricing_demo.xml"],
}
