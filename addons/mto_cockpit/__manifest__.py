# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Made-to-Order Operations Cockpit",
    "summary": "Every stuck order and failed integration in one list, with an owner, "
    "escalation, the figures the retailer runs on and a status for monitoring",
    "version": "18.0.1.0.0",
    "category": "Operations/Purchase",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": [
        "sales_team",
        "mto_production",
        "mto_quality",
        "payment_stripe_mto",
        "delivery_dhl_express",
        "sms_twilio",
        "queue_job",
    ],
    "data": [
        "security/ir.model.access.csv",
        "data/crm_team_data.xml",
        "data/mto_cockpit_rule_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/mto_cockpit_exception_views.xml",
        "views/mto_cockpit_rule_views.xml",
        "report/mto_cockpit_report_views.xml",
        "views/mto_cockpit_menus.xml",
    ],
    "post_init_hook": "post_init_hook",
}
