# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SMS at every Made-to-Order Stage",
    "summary": "Text customers and manufacturers at each step of a made-to-order journey",
    "version": "18.0.1.1.0",
    "category": "Marketing/SMS",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "auto_install": True,
    "depends": ["sms_twilio", "mto_production"],
    "data": [
        "security/ir.model.access.csv",
        "data/sms_template_data.xml",
        "data/mto_sms_stage_data.xml",
        "views/mto_sms_stage_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "uninstall_hook": "uninstall_hook",
}
