# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from . import const

_logger = logging.getLogger(__name__)


class StockPicking(models.Model):
    _inherit = "stock.picking"

    dhl_dispatch_confirmation_number = fields.Char(
        "DHL Pickup Number", copy=False, readonly=True, help="The courier pickup DHL booked."
    )
    dhl_tracking_status = fields.Selection(
        const.TRACKING_STATUSES, "DHL Status", copy=False, readonly=True
    )
    dhl_planned_shipping_date = fields.Date(
        "DHL Shipping Date",
        copy=False,
        readonly=True,
        help="The hand-over date the shipment was booked for.",
    )
    dhl_booking_message = fields.Text(
        compute="_compute_dhl_booking_message",
        help="Set when a DHL booking of this delivery has an outcome a person must settle.",
    )

    def _compute_dhl_booking_message(self):
        Booking = self.env["dhl.express.booking"].sudo()
        for picking in self:
            message = False
            if picking.id and picking.delivery_type == "dhl_express":
                blocking = Booking._dhl_blocking(picking)
                if blocking:
                    message = Booking._dhl_blocking_message(picking, blocking)
            picking.dhl_booking_message = message

    def write(self, vals):
        res = super().write(vals)
        if vals.get("carrier_tracking_ref"):
            # A person entered the waybill of a shipment DHL booked without answering us.
            Booking = self.env["dhl.express.booking"].sudo()
            for picking in self.filtered(lambda p: p.delivery_type == "dhl_express"):
                settled = Booking._dhl_settle(
                    picking,
                    {
                        "state": "booked",
                        "tracking_number": vals["carrier_tracking_ref"].split(",")[0].strip(),
                        "decided_by": self.env.user.name,
                    },
                )
                if settled:
                    picking.message_post(
                        body=_(
                            "%(user)s recorded DHL waybill %(number)s for the booking DHL had "
                            "not confirmed.",
                            user=self.env.user.name,
                            number=vals["carrier_tracking_ref"],
                        )
                    )
        return res

    def action_dhl_release_booking(self):
        """A person checked MyDHL: the unconfirmed booking does not exist, book again."""
        self.ensure_one()
        settled = (
            self.env["dhl.express.booking"]
            .sudo()
            ._dhl_settle(self, {"state": "released", "decided_by": self.env.user.name})
        )
        if not settled:
            raise UserError(_("No DHL booking of %(name)s waits for a decision.", name=self.name))
        self.message_post(
            body=_(
                "%(user)s released the unconfirmed DHL booking: the delivery may be sent again.",
                user=self.env.user.name,
            )
        )
        return True

    def _dhl_on_delivered(self):
        """DHL confirmed the delivery: tell the sales order's listeners (the customer's text
        message, where the Twilio bridge is installed)."""
        orders = self.sale_id if "sale_id" in self._fields else None
        hook = getattr(orders, "_mto_sms_delivered", None)
        if hook:
            hook()

    def action_dhl_refresh_tracking(self):
        for picking in self:
            if picking.delivery_type != "dhl_express" or not picking.carrier_tracking_ref:
                raise UserError(_("%(name)s has no DHL waybill to track.", name=picking.name))
            picking.carrier_id._dhl_refresh_tracking(picking)
        return True

    def _dhl_waybills(self):
        """The DHL waybill numbers recorded on the delivery (Odoo keeps them comma-separated
        in the tracking reference)."""
        self.ensure_one()
        return [n.strip() for n in (self.carrier_tracking_ref or "").split(",") if n.strip()]

    def action_dhl_download_documents(self):
        """Download the label (waybill) and commercial invoice again, e.g. to reprint them."""
        self.ensure_one()
        if self.delivery_type != "dhl_express" or not self.carrier_tracking_ref:
            raise UserError(_("%(name)s has no DHL waybill.", name=self.name))
        return self.carrier_id._dhl_download_documents(self)

    @api.model
    def _cron_dhl_refresh_tracking(self, limit=50):
        pickings = self.search(
            [
                ("delivery_type", "=", "dhl_express"),
                ("state", "=", "done"),
                ("carrier_tracking_ref", "!=", False),
                ("dhl_tracking_status", "not in", list(const.TRACKING_FINAL_STATUSES)),
            ],
            order="date_done asc",
            limit=limit,
        )
        for picking in pickings:
            try:
                with self.env.cr.savepoint():
                    picking.carrier_id._dhl_refresh_tracking(picking)
            except UserError as error:
                _logger.warning("DHL tracking of %s failed: %s", picking.name, error)
