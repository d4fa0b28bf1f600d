import uuid

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
        """Photos shared with the manufacturer: images attached to the order's messages that
        the portal shows (never an internal note's, not even by name)."""
        self.ensure_one()
        return self.message_ids.filtered(
            lambda m: (
                m.message_type == "comment" and not m.is_internal and not m.subtype_id.internal
            )
        ).attachment_ids.filtered(lambda a: (a.mimetype or "").startswith("image/"))

    # ------------------------------------------------------------------ tokens

    @api.model
    def _mto_login_only(self, order_id):
        """True for a made-to-order order: it opens to a logged-in manufacturer, never to a
        token or a hash/pid pair (which Odoo's mail and portal routes otherwise accept), so a
        link forwarded or kept after the order moved to another manufacturer opens nothing."""
        return bool(self.sudo().browse(order_id).exists().mto_state)

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        if self._mto_login_only(thread_id):
            kwargs = {k: v for k, v in kwargs.items() if k not in ("token", "hash", "pid")}
        return super()._get_thread_with_access(thread_id, mode=mode, **kwargs)

    def _mto_renew_access_token(self):
        """A new token for orders that change hands: links and hashes of the previous
        manufacturer (they are derived from the token) stop working everywhere."""
        for order in self.sudo().filtered("access_token"):
            order.access_token = str(uuid.uuid4())

    def write(self, vals):
        changing_hands = self.browse()
        if "partner_id" in vals:
            changing_hands = self.filtered(
                lambda o: o.mto_state and o.partner_id.id != vals["partner_id"]
            )
        result = super().write(vals)
        changing_hands._mto_renew_access_token()
        return result

    def _mto_on_decline(self, reason):
        super()._mto_on_decline(reason)
        self._mto_renew_access_token()
