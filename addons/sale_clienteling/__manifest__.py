# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Clienteling",
    "summary": "Each sales assistant sees only their own clients; private notes, client "
    "profiles, handover, and guest orders linked to the account a client opens",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["sale_stock", "auth_signup", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/clienteling_rules.xml",
        "data/clienteling_preference_data.xml",
        "views/clienteling_preference_views.xml",
        "views/clienteling_note_views.xml",
        "views/clienteling_handover_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/clienteling_menus.xml",
    ],
}
