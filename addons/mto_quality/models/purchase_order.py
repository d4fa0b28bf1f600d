from odoo import models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def _mto_on_complete(self):
        """A piece that failed its inspection comes back, after rework, to a new inspection
        linked to the failed one."""
        super()._mto_on_complete()
        failed = self.mto_piece_ids.filtered(lambda piece: piece.quality_state == "failed")
        self.env["mto.quality.inspection"].sudo()._create_for_pieces(failed)
