from odoo import _, models
from odoo.exceptions import UserError

from .mto_quality_inspection import DELIVERABLE


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        # The gate lives here, under every way of validating (button, batch, API call).
        self._mto_check_quality_gate()
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves._mto_create_inspections()
        return moves

    def _mto_check_quality_gate(self):
        """A customer delivery of made-to-order pieces waits until each one passed."""
        problems = []
        labels = dict(
            self.env["mto.piece"]._fields["quality_state"]._description_selection(self.env),
            none=_("not received yet"),
            todo=_("not inspected yet"),
        )
        deliveries = self.filtered(
            lambda m: (
                m.location_dest_id.usage == "customer"
                and m.sale_line_id
                and m.state not in ("done", "cancel")
            )
        )
        for move in deliveries:
            pieces = (
                move.sale_line_id.sudo()
                .mto_purchase_line_ids.filtered(lambda pol: pol.state != "cancel")
                .mto_piece_ids
            )
            for piece in pieces.filtered(
                lambda p: p.quality_state not in (*DELIVERABLE, "scrapped")
            ):
                problems.append(
                    _(
                        "%(code)s (%(product)s): %(state)s",
                        code=piece.code,
                        product=piece.product_id.display_name,
                        state=labels[piece.quality_state],
                    )
                )
        if problems:
            raise UserError(
                _(
                    "This delivery cannot be validated until every piece on it has passed quality "
                    "control:\n%(pieces)s",
                    pieces="\n".join(f"- {p}" for p in problems),
                )
            )

    def _mto_create_inspections(self):
        """Pieces that reached the retailer get their inspection, tied to the receipt move."""
        for move in self.filtered(lambda m: m.state == "done" and m.purchase_line_id):
            pieces = move.purchase_line_id.sudo().mto_piece_ids.filtered(
                lambda p: p.quality_state in ("none", "failed")
            )
            units = int(move.product_uom._compute_quantity(move.quantity, move.product_id.uom_id))
            self.env["mto.quality.inspection"].sudo()._create_for_pieces(
                pieces.sorted("sequence")[:units], move=move
            )
