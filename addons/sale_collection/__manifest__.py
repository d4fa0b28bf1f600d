# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Restricted Collections",
    "summary": "Collections and limited editions sold only to chosen clients or client tiers, "
    "with availability dates and a quantity cap per edition",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["sale", "payment"],
    "data": [
        "security/ir.model.access.csv",
        "views/sale_collection_views.xml",
    ],
}
