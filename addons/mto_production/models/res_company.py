from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    mto_prepayment_percent = fields.Float(
        string="Made-to-Order Prepayment",
        default=1.0,
        help="Share of a sales order's total that must be paid before its made-to-order lines "
        "are ordered from the manufacturers (1.0 = fully paid).",
    )
    mto_po_grouping = fields.Selection(
        [
            ("sale_order", "One purchase order per sales order and manufacturer"),
            ("sale_line", "One purchase order per sales order line"),
        ],
        string="Manufacturer Order Grouping",
        default="sale_order",
        required=True,
        help="Purchase orders to manufacturers are never merged across customers' orders.",
    )

    _sql_constraints = [
        (
            "mto_prepayment_percent_range",
            "CHECK(mto_prepayment_percent > 0 AND mto_prepayment_percent <= 1)",
            "The made-to-order prepayment must be more than 0% and at most 100%.",
        ),
    ]
