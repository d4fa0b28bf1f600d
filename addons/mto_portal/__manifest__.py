# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Manufacturer Portal",
    "summary": "Each workshop works its own made-to-order purchase orders in the Odoo portal",
    "version": "18.0.1.0.0",
    "category": "Inventory/Purchase",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["mto_production", "purchase"],
    "data": [
        "security/ir.model.access.csv",
        "security/mto_portal_rules.xml",
        "views/mto_portal_templates.xml",
        "views/res_partner_views.xml",
    ],
    "uninstall_hook": "uninstall_hook",
    "assets": {
        "web.assets_frontend": ["mto_portal/static/src/scss/mto_portal.scss"],
        "web.assets_tests": ["mto_portal/static/src/js/tours/*.js"],
    },
}
