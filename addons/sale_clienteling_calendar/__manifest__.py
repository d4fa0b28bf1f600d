# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Clienteling: Private Calendar Meetings",
    "summary": "Private client books cover the calendar: a colleague's meeting with a client "
    "who is not yours shows as a busy slot",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "auto_install": True,
    "depends": ["sale_clienteling", "calendar"],
    "data": ["security/clienteling_calendar_rules.xml"],
}
