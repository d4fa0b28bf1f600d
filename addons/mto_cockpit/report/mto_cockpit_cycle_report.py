from odoo import fields, models, tools


class MtoCockpitCycleReport(models.Model):
    """One row per made-to-order line: its way from payment to the customer.

    The manufacturer order is created when the order is paid (or released), so its creation
    date stands for the payment; acceptance and completion come from the order's milestones,
    delivery from the customer's done delivery moves. Amounts are in the company currency of
    the sales line (the suite sells in one currency per company).
    """

    _name = "mto.cockpit.cycle.report"
    _description = "Made-to-Order Cycle Time"
    _auto = False
    _rec_name = "purchase_id"
    _order = "paid_on desc"

    purchase_id = fields.Many2one("purchase.order", string="Manufacturer Order", readonly=True)
    sale_id = fields.Many2one("sale.order", string="Sales Order", readonly=True)
    manufacturer_id = fields.Many2one("res.partner", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    mto_state = fields.Selection(
        lambda self: self.env["purchase.order"]._fields["mto_state"].selection,
        string="Production State",
        readonly=True,
    )
    paid_on = fields.Datetime(string="Paid (ordered) on", readonly=True)
    accepted_on = fields.Datetime(readonly=True)
    completed_on = fields.Datetime(readonly=True)
    delivered_on = fields.Datetime(readonly=True)
    expected_date = fields.Date(string="Expected Completion", readonly=True)
    days_to_accept = fields.Float(aggregator="avg", readonly=True)
    days_in_production = fields.Float(
        string="Lead Time (days)",
        aggregator="avg",
        readonly=True,
        help="From acceptance to completion.",
    )
    days_to_deliver = fields.Float(aggregator="avg", readonly=True)
    days_total = fields.Float(string="Cycle Time (days)", aggregator="avg", readonly=True)
    on_time_rate = fields.Float(
        string="On Time (%)",
        aggregator="avg",
        readonly=True,
        help="100 for an order completed by its expected date, 0 for one completed later "
        "(or still open past it); empty without an expected date.",
    )
    sale_amount = fields.Float(string="Revenue", readonly=True)
    waiting_amount = fields.Float(
        string="Revenue Waiting on Production",
        readonly=True,
        help="Revenue of lines whose manufacturer order is not completed yet.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            """
            CREATE OR REPLACE VIEW mto_cockpit_cycle_report AS (
            WITH delivered AS (
                SELECT sm.sale_line_id, max(sm.date) AS delivered_on
                  FROM stock_move sm
                  JOIN stock_location dest ON dest.id = sm.location_dest_id
                 WHERE sm.state = 'done' AND dest.usage = 'customer'
                   AND sm.sale_line_id IS NOT NULL
                 GROUP BY sm.sale_line_id
            )
            SELECT pol.id AS id,
                   po.id AS purchase_id,
                   po.mto_sale_id AS sale_id,
                   po.partner_id AS manufacturer_id,
                   pol.product_id AS product_id,
                   pt.categ_id AS categ_id,
                   po.company_id AS company_id,
                   po.mto_state AS mto_state,
                   po.create_date AS paid_on,
                   po.mto_accepted_on AS accepted_on,
                   po.mto_completed_on AS completed_on,
                   d.delivered_on AS delivered_on,
                   po.mto_expected_date AS expected_date,
                   EXTRACT(EPOCH FROM po.mto_accepted_on - po.create_date) / 86400
                       AS days_to_accept,
                   EXTRACT(EPOCH FROM po.mto_completed_on - po.mto_accepted_on) / 86400
                       AS days_in_production,
                   EXTRACT(EPOCH FROM d.delivered_on - po.mto_completed_on) / 86400
                       AS days_to_deliver,
                   EXTRACT(EPOCH FROM d.delivered_on - po.create_date) / 86400 AS days_total,
                   CASE
                       WHEN po.mto_expected_date IS NULL THEN NULL
                       WHEN po.mto_completed_on IS NOT NULL
                            AND po.mto_completed_on::date <= po.mto_expected_date THEN 100.0
                       WHEN po.mto_completed_on IS NULL
                            AND po.mto_expected_date >= CURRENT_DATE THEN NULL
                       ELSE 0.0
                   END AS on_time_rate,
                   COALESCE(sol.price_subtotal, 0) AS sale_amount,
                   CASE WHEN po.mto_state != 'completed'
                        THEN COALESCE(sol.price_subtotal, 0) ELSE 0 END AS waiting_amount
              FROM purchase_order_line pol
              JOIN purchase_order po ON po.id = pol.order_id
              JOIN product_product pp ON pp.id = pol.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN sale_order_line sol ON sol.id = pol.mto_sale_line_id
              LEFT JOIN delivered d ON d.sale_line_id = pol.mto_sale_line_id
             WHERE po.mto_state IS NOT NULL AND po.state != 'cancel'
               AND pol.display_type IS NULL
            )
            """
        )
