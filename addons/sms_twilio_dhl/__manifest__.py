# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SMS when DHL Express delivers",
    "summary": "Text the customer of a made-to-order sale when DHL confirms the delivery",
    "version": "18.0.1.0.0",
    "category": "Marketing/SMS",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "auto_install": True,
    "depends": ["sms_twilio_mto", "delivery_dhl_express"],
}
