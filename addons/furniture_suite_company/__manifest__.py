# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Furniture Suite: the Retailer's Company (demo)",
    "summary": "Demo data only: the main company becomes the retailer, a Paris furniture house, "
    "before accounting is installed",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    # Only base: this module loads before accounting does (see readme/DESCRIPTION.md).
    "depends": ["base"],
    "data": [],
    "demo": ["demo/res_company_demo.xml"],
}
