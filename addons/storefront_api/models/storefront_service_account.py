from odoo import _, api, models
from odoo.exceptions import UserError, ValidationError

from .. import const
from .storefront_service import StorefrontError


# One model in three files on purpose: pricing, availability and the catalogue in
# storefront_service.py, configured pieces and checkout in storefront_service_order.py,
# the client's account here (each file under 500 lines).
class StorefrontService(models.AbstractModel):
    """What the storefront API shows a signed-in client: its orders, their stage and
    tracking, its invoices."""

    _inherit = "storefront.service"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------ client account

    @api.model
    def _storefront_client_orders_domain(self, partner):
        """A client's orders: those of its commercial entity (the portal's rule)."""
        return [
            ("partner_id", "child_of", [partner.commercial_partner_id.id]),
            ("state", "in", ("draft", "sent", "sale", "cancel")),
        ]

    @api.model
    def _storefront_order_stage(self, order):
        """awaiting_payment, accepted, in_production, quality_passed, shipped, delivered."""
        pickings = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"
        )
        if pickings and all(p.state == "done" for p in pickings):
            return "delivered" if not pickings.filtered("carrier_tracking_ref") else "shipped"
        if order.state != "sale" or order.mto_awaiting_payment:
            return "awaiting_payment"
        purchases = order.sudo().mto_purchase_ids.filtered(lambda po: po.state != "cancel")
        if not purchases:
            return "accepted"
        stages = {const.CLIENT_STAGES.get(po.mto_state, "accepted") for po in purchases}
        if stages == {"quality_passed"} and self._storefront_quality_passed(purchases):
            return "quality_passed"
        if "in_production" in stages or "quality_passed" in stages:
            return "in_production"
        return "accepted"

    @api.model
    def _storefront_quality_passed(self, purchases):
        """Hook: every piece made passed its inspection. Without a quality module, a
        completed manufacturer order counts as passed."""
        pieces = purchases.mto_piece_ids
        if "quality_state" not in pieces._fields:
            return True
        return all(p.quality_state in ("passed", "deviation") for p in pieces)

    @api.model
    def _storefront_tracking(self, order):
        tracking = []
        for picking in order.picking_ids.filtered("carrier_tracking_ref"):
            url = False
            if picking.carrier_id:
                try:
                    url = picking.carrier_id.get_tracking_link(picking)
                except (UserError, ValidationError):
                    url = False
            for number in picking.carrier_tracking_ref.split(","):
                tracking.append(
                    {
                        "carrier": picking.carrier_id.name or "",
                        "number": number.strip(),
                        "url": url or None,
                    }
                )
        return tracking

    @api.model
    def _storefront_order_data(self, order):
        state = {"sale": "confirmed", "cancel": "cancelled"}.get(order.state, "quotation")
        return {
            "reference": order.name,
            "date": order.date_order.date(),
            "state": state,
            "stage": self._storefront_order_stage(order),
            "currency": order.currency_id.name,
            "amount_total": order.amount_total,
            "amount_paid": order.currency_id.round(order._mto_get_amount_paid()),
            "tracking": self._storefront_tracking(order),
            "lines": [
                {
                    "product_id": line.product_id.id or None,
                    "description": line.name,
                    "quantity": line.product_uom_qty,
                    "price_total": line.price_total,
                }
                for line in order.order_line.filtered(lambda line: not line.display_type)
            ],
        }

    @api.model
    def _storefront_client_order(self, partner, reference):
        order = (
            self.env["sale.order"]
            .sudo()
            .search(
                [*self._storefront_client_orders_domain(partner), ("name", "=", reference)], limit=1
            )
        )
        if not order:
            raise StorefrontError(_("No order %(ref)s in your account.", ref=reference), 404)
        return order

    @api.model
    def _storefront_client_invoices(self, partner):
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", [partner.commercial_partner_id.id]),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "=", "posted"),
                ],
                order="invoice_date desc, id desc",
            )
        )
        return [
            {
                "reference": move.name,
                "date": move.invoice_date,
                "currency": move.currency_id.name,
                "amount_total": move.amount_total,
                "amount_residual": move.amount_residual,
                "payment_state": move.payment_state,
                "pdf_url": move.get_portal_url(report_type="pdf"),
            }
            for move in moves
        ]
