# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Room Fit",
    "summary": "Which pieces fit a scanned room, where, and at which made-to-order size: "
    "an endpoint of the storefront API",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["storefront_api"],
    "data": [],
}
