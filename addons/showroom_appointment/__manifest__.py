# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Showroom Appointments",
    "summary": "Clients book a consultation, a fabric selection or a home measurement visit "
    "online, in the assistants' free time",
    "version": "18.0.1.0.0",
    "category": "Sales/Appointments",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["calendar", "resource", "portal", "sales_team"],
    "data": [
        "security/showroom_appointment_security.xml",
        "security/ir.model.access.csv",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "views/showroom_views.xml",
        "views/appointment_type_views.xml",
        "views/appointment_views.xml",
        "views/res_partner_views.xml",
        "views/showroom_appointment_menus.xml",
        "views/showroom_appointment_templates.xml",
    ],
    "demo": ["demo/showroom_appointment_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "showroom_appointment/static/tests/tours/*.js",
        ],
    },
}
