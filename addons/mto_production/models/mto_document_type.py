from odoo import fields, models


class MtoDocumentType(models.Model):
    """A kind of production file a manufacturer needs (CAD drawing, rendering, ...)."""

    _name = "mto.document.type"
    _description = "Production Document Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "A production document type code must be unique."),
    ]
