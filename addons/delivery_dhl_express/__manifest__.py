# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "DHL Express Shipping",
    "summary": "DHL Express (MyDHL API) rates, address checks, customs-checked bookings, labels",
    "version": "18.0.1.1.0",
    "category": "Inventory/Delivery",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["stock_delivery", "connector_common", "queue_job"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/queue_job_data.xml",
        "views/delivery_carrier_views.xml",
        "views/stock_picking_views.xml",
        "views/product_template_views.xml",
        "views/res_partner_views.xml",
        "views/dhl_express_booking_views.xml",
    ],
    "demo": ["demo/delivery_dhl_express_demo.xml"],
}
