# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Made-to-Order Quality Control",
    "summary": "Checklists, photos, defects that send a piece back for rework, and a gate "
    "before delivery",
    "version": "18.0.1.0.0",
    "category": "Inventory/Quality",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["mto_production", "mto_portal"],
    "demo": ["demo/mto_quality_demo.xml"],
    "data": [
        "security/mto_quality_groups.xml",
        "security/ir.model.access.csv",
        "security/mto_quality_rules.xml",
        "data/ir_sequence_data.xml",
        "data/mto_quality_defect_type_data.xml",
        "views/mto_quality_checklist_views.xml",
        "wizards/mto_quality_decision_wizard_views.xml",
        "views/mto_quality_inspection_views.xml",
        "views/mto_quality_reporting_views.xml",
        "views/product_views.xml",
        "views/mto_portal_templates.xml",
        "views/mto_quality_menus.xml",
    ],
}
