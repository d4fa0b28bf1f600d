# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Connector Common",
    "summary": "Technical: the pieces the DHL, Stripe and Twilio connectors share (Retry-After, "
    "test fakes held to the providers' OpenAPI files)",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tools",
    "website": "https://github.com/furniture-suite/furniture-suite",
    "author": "Furniture Suite contributors",
    "maintainers": ["furniture-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["base"],
}
