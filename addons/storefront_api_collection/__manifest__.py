# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Storefront API: Restricted Collections",
    "summary": "The storefront API shows and sells a restricted collection only to its clients",
    "version": "18.0.1.0.0",
    "category": "Sales",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "auto_install": True,
    "depends": ["storefront_api", "sale_collection"],
}
