from odoo import api, fields, models


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    mto_sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Made-to-Order Sales Line",
        index="btree_not_null",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The customer's line this manufacturer line is made for.",
    )
    # Odoo's links to the customer's order (sale_purchase): their display names name the
    # customer, so they are for the back office only, like ``mto_sale_line_id``.
    sale_line_id = fields.Many2one(groups="base.group_user")
    sale_order_id = fields.Many2one(groups="base.group_user")
    mto_specification = fields.Html(
        string="Specification", compute="_compute_mto_specification", sanitize=True
    )
    mto_measurement_ids = fields.One2many(related="mto_sale_line_id.mto_measurement_ids")
    mto_workshop_note = fields.Text(related="mto_sale_line_id.mto_workshop_note")
    mto_piece_ids = fields.One2many("mto.piece", "purchase_line_id", string="Pieces")

    def init(self):
        # Exactly once: a sales line is served by at most one live purchase line, whatever the
        # number of payment notifications, clicks or retried jobs racing for it.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS purchase_order_line_mto_sale_line_once
                ON purchase_order_line (mto_sale_line_id)
             WHERE mto_sale_line_id IS NOT NULL AND state != 'cancel'
            """
        )

    @api.depends(
        "mto_sale_line_id.mto_measurement_ids.value",
        "mto_sale_line_id.product_custom_attribute_value_ids.custom_value",
        "mto_sale_line_id.product_no_variant_attribute_value_ids",
        "mto_sale_line_id.mto_workshop_note",
    )
    def _compute_mto_specification(self):
        for line in self:
            sale_line = line.mto_sale_line_id
            line.mto_specification = sale_line._mto_specification_html() if sale_line else False

    def _find_candidate(
        self, product_id, product_qty, product_uom, location_id, name, origin, company_id, values
    ):
        sale_line = self.env["stock.rule"]._mto_sale_line(values)
        lines = self.filtered(lambda pol: pol.mto_sale_line_id == sale_line)
        return super(PurchaseOrderLine, lines)._find_candidate(
            product_id, product_qty, product_uom, location_id, name, origin, company_id, values
        )

    @api.model
    def _prepare_purchase_order_line_from_procurement(
        self,
        product_id,
        product_qty,
        product_uom,
        location_dest_id,
        name,
        origin,
        company_id,
        values,
        po,
    ):
        vals = super()._prepare_purchase_order_line_from_procurement(
            product_id,
            product_qty,
            product_uom,
            location_dest_id,
            name,
            origin,
            company_id,
            values,
            po,
        )
        sale_line = self.env["stock.rule"]._mto_sale_line(values)
        if sale_line:
            vals.update(sale_line._prepare_mto_purchase_line_vals())
        return vals
