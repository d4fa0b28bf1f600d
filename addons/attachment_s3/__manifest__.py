# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Attachments on Amazon S3",
    "summary": "Store every attachment in an Amazon S3 bucket through boto3: shared by every "
    "Odoo container, presigned downloads, migration both ways",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tools",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["base"],
    "external_dependencies": {"python": ["boto3"]},
    "data": [],
}
