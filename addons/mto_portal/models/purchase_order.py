from odoo import api, models

# The production states a manufacturer sees (never an order still being validated).
PORTAL_STATES = ("awaiting", "accepted", "in_production", "completed", "declined", "rework")


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def _compute_access_url(self):
        super()._compute_access_url()
        for order in self.filtered("mto_state"):
            order.access_url = f"/my/production/{order.id}"

    @api.model
    def _mto_portal_domain(self, partner):
        """Orders a manufacturer's portal user works on (on top of the record rules)."""
        return [
            ("mto_state", "in", PORTAL_STATES),
            ("partner_id", "child_of", partner.commercial_partner_id.id),
        ]

    def _mto_portal_photos(self):
        """Photos the manufacturer sent with the order (images attached to its messages)."""
        self.ensure_one()
        return self.message_ids.filtered(
            lambda m: m.message_type == "comment"
        ).attachment_ids.filtered(lambda a: (a.mimetype or "").startswith("image/"))
