# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Web Service Unavailable (503)",
    "summary": "When the database cannot be reached or no connection is free, answer 503 "
    "with Retry-After instead of an internal error; PDF reports never wait for a busy worker",
    "version": "18.0.1.1.0",
    "category": "Hidden/Tools",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["web"],
    "data": [],
    "post_load": "post_load",
}
