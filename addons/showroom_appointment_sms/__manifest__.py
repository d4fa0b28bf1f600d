# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Showroom Appointments by SMS",
    "summary": "Text the client the confirmation, reminder and cancellation of an appointment, "
    "through the retailer's Twilio account",
    "version": "18.0.1.0.0",
    "category": "Marketing/SMS",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "auto_install": True,
    "depends": ["showroom_appointment", "sms_twilio"],
    "data": [
        "data/sms_template_data.xml",
        "views/appointment_type_views.xml",
    ],
}
