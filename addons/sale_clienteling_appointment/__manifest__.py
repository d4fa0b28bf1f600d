# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Clienteling: Private Showroom Appointments",
    "summary": "Private client books cover showroom appointments",
    "version": "18.0.1.0.0",
    "category": "Sales",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "auto_install": True,
    "depends": ["sale_clienteling", "showroom_appointment"],
    "data": ["security/clienteling_appointment_rules.xml"],
}
