from odoo import fields, models


class ClientelingPreference(models.Model):
    _name = "clienteling.preference"
    _description = "Client preference"
    _order = "kind, sequence, name"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(
        [("style", "Style"), ("material", "Material"), ("colour", "Colour")],
        required=True,
        default="style",
    )
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_kind_unique", "unique(name, kind)", "This preference exists already."),
    ]

    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for preference in self:
            preference.display_name = f"{kinds.get(preference.kind)}: {preference.name}"
