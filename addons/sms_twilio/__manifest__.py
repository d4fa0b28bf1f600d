# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SMS through Twilio",
    "summary": "Send Odoo's SMS through the company's own Twilio account, with receipts "
    "and opt-outs",
    "version": "18.0.1.1.0",
    "category": "Marketing/SMS",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["sms", "phone_validation", "queue_job", "connector_common"],
    "external_dependencies": {"python": ["twilio", "phonenumbers"]},
    "data": [
        "security/ir.model.access.csv",
        "data/queue_job_data.xml",
        "views/res_config_settings_views.xml",
        "views/sms_twilio_sender_views.xml",
        "views/sms_sms_views.xml",
        "views/sms_twilio_inbound_views.xml",
    ],
    "demo": ["demo/sms_twilio_demo.xml"],
}
