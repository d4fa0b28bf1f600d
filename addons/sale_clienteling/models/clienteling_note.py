from odoo import api, fields, models


class ClientelingNote(models.Model):
    """What an assistant knows of a client and keeps to themselves: sizes, taste, budget,
    family events. A model of its own, readable by the client's assistant and the sales
    managers only (record rules); not a mail thread, so a note never goes out by e-mail
    and no portal route shows it."""

    _name = "clienteling.note"
    _description = "Private note on a client"
    _order = "date desc, id desc"
    _rec_name = "summary"

    partner_id = fields.Many2one(
        "res.partner",
        "Client",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('parent_id', '=', False)]",
    )
    kind = fields.Selection(
        [
            ("preference", "Preference"),
            ("size", "Sizes and measurements"),
            ("taste", "Taste"),
            ("budget", "Budget"),
            ("family", "Family event"),
            ("other", "Other"),
        ],
        required=True,
        default="preference",
    )
    summary = fields.Char(required=True)
    note = fields.Text()
    date = fields.Date(default=fields.Date.context_today, help="For an event, its date.")
    user_id = fields.Many2one(
        "res.users", "Written by", default=lambda self: self.env.user, readonly=True
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        # Notes are kept on the client itself, not on one of its addresses.
        for vals in vals_list:
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
        return super().create(vals_list)
