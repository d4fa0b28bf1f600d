from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    eori_number = fields.Char(
        string="EORI Number",
        help="Economic Operators Registration and Identification number, which customs ask "
        "of exporters and importers in the EU and the UK. Sent to DHL with shipments that "
        "cross a customs border.",
    )

    @api.model
    def _commercial_fields(self):
        # The company's number, shown and used on its contacts too.
        return [*super()._commercial_fields(), "eori_number"]
