# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Clienteling: Private Loyalty Cards",
    "summary": "Private client books cover loyalty cards, gift cards and e-wallets, their "
    "history and the points orders give",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "auto_install": True,
    "depends": ["sale_clienteling", "sale_loyalty"],
    "data": ["security/clienteling_loyalty_rules.xml"],
}
