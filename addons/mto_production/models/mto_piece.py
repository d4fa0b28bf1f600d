import base64
import io

import qrcode

from odoo import api, fields, models


class MtoPiece(models.Model):
    """One unit a manufacturer makes, with a code unique across the whole company group.

    The suite's own model rather than Odoo's serial numbers (stock.lot): codes exist from the
    moment a manufacturer accepts an order, long before any stock move, and they must not
    turn on serial tracking (and its constraints on every stock operation) for products that
    are also sold from stock.
    """

    _name = "mto.piece"
    _description = "Piece"
    _inherit = ["mail.thread"]
    _order = "purchase_id desc, sequence, id"
    _rec_name = "code"

    code = fields.Char(required=True, readonly=True, copy=False, index=True)
    sequence = fields.Integer(readonly=True)
    purchase_line_id = fields.Many2one(
        "purchase.order.line", required=True, readonly=True, ondelete="cascade", index=True
    )
    purchase_id = fields.Many2one(
        related="purchase_line_id.order_id", store=True, index=True, string="Purchase Order"
    )
    manufacturer_id = fields.Many2one(
        related="purchase_line_id.order_id.partner_id", store=True, index=True
    )
    sale_line_id = fields.Many2one(
        related="purchase_line_id.mto_sale_line_id", store=True, groups="base.group_user"
    )
    product_id = fields.Many2one(related="purchase_line_id.product_id", store=True)
    company_id = fields.Many2one(related="purchase_line_id.company_id", store=True, index=True)
    mto_state = fields.Selection(related="purchase_id.mto_state", string="Production State")

    _sql_constraints = [("code_unique", "unique(code)", "A piece code must be unique.")]

    @api.model
    def _prepare_piece_vals(self, purchase_line, index):
        return {
            "code": self.env["ir.sequence"].next_by_code("mto.piece"),
            "purchase_line_id": purchase_line.id,
            "sequence": index,
        }

    @api.model
    def _mto_create_for(self, purchase_lines):
        """One piece per unit to make; lines that already have their pieces are left alone."""
        vals = []
        for line in purchase_lines.filtered(lambda pol: not pol.display_type):
            units = int(
                line.product_uom._compute_quantity(line.product_qty, line.product_id.uom_id)
            )
            for index in range(len(line.mto_piece_ids) + 1, units + 1):
                vals.append(self._prepare_piece_vals(line, index))
        return self.create(vals)

    def _qr_data_uri(self):
        """PNG of the piece's QR code, inline, so the PDF needs no request to the server."""
        self.ensure_one()
        image = qrcode.make(self.code, box_size=6, border=2)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
