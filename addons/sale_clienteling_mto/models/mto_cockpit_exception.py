from odoo import api, fields, models


class MtoCockpitException(models.Model):
    _inherit = "mto.cockpit.exception"

    clienteling_partner_id = fields.Many2one(
        "res.partner",
        "Client",
        compute="_compute_clienteling_partner_id",
        store=True,
        index="btree_not_null",
        help="The client the exception's record is about, so that private client books "
        "keep it to the client's assistant.",
    )

    @api.depends("res_model", "res_id")
    def _compute_clienteling_partner_id(self):
        for exception in self:
            exception.clienteling_partner_id = exception._clienteling_partner()

    def _clienteling_partner(self):
        """The client of the record concerned: an order's customer, the customer of a
        made-to-order purchase, a text's recipient."""
        record = self.sudo()._record()
        if not record:
            return False
        if record._name == "purchase.order":
            record = record.mto_sale_id
        partner = record["partner_id"] if "partner_id" in record._fields else False
        return partner and partner.commercial_partner_id
