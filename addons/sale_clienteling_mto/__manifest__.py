# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Clienteling for made-to-order",
    "summary": "Private client books also cover made-to-order pieces, files, measurements, "
    "change requests, inspections and the cockpit's exceptions",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "auto_install": True,
    "depends": ["sale_clienteling", "mto_production", "mto_quality", "mto_cockpit"],
    "data": ["security/clienteling_mto_rules.xml"],
}
