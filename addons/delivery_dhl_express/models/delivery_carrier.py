# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import math
import time as time_module
from datetime import UTC, datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import _, api, fields, models, release
from odoo.exceptions import UserError, ValidationError

from odoo.addons.connector_common.tools.retry import USER_RETRY_MAX_WAIT

from . import const, dhl_answers, dhl_payloads, dhl_request, dhl_utils

_logger = logging.getLogger(__name__)


class DeliveryCarrier(models.Model):
    """DHL Express (MyDHL API 3.3.1) as a ``delivery.carrier`` provider.

    Provider contract (dispatched by ``delivery_type`` in ``delivery``/``stock_delivery``):
    ``dhl_express_rate_shipment(order)``, ``dhl_express_send_shipping(pickings)``,
    ``dhl_express_get_tracking_link(picking)``, ``dhl_express_cancel_shipment(pickings)``.
    The HTTP client is the plain class ``dhl_request.DHLExpressClient``, built in
    :meth:`_dhl_client` only and called through :meth:`_dhl_call` only. Request bodies are
    built by the pure functions of ``dhl_payloads`` from plain objects the contacts and
    products give (``res.partner._dhl_party``, ``product.product._dhl_goods``); the booking
    lives with ``dhl.express.booking``, customs data, documents and tracking with the
    delivery (``stock.picking``).
    """

    _inherit = "delivery.carrier"  # pylint: disable=consider-merging-classes-inherited

    delivery_type = fields.Selection(
        selection_add=[("dhl_express", "DHL Express")],
        ondelete={"dhl_express": lambda recs: recs.write({"delivery_type": "fixed"})},
    )
    dhl_api_key = fields.Char("DHL API Key", groups="base.group_system", copy=False)
    dhl_api_secret = fields.Char("DHL API Secret", groups="base.group_system", copy=False)
    dhl_account_number = fields.Char("DHL Account Number", groups="base.group_system", copy=False)
    dhl_api_base_url = fields.Char(
        "DHL API Address",
        groups="base.group_system",
        copy=False,
        help="Technical: another server for the test environment (a local fake in automated "
        "tests). Ignored in production; not shown in any view.",
    )
    dhl_timeout = fields.Integer(
        "DHL Timeout (s)",
        default=const.DEFAULT_TIMEOUT,
        help=f"Seconds to wait for DHL (1 to {const.MAX_TIMEOUT}).",
    )
    dhl_cutoff_hour = fields.Float(
        "Hand-over Cut-off",
        default=16.0,
        help="Local time after which a shipment is handed over to DHL on the next working "
        "day of the company's calendar.",
    )
    dhl_max_lookahead_days = fields.Integer(
        "Days to Look Ahead",
        default=5,
        help="When DHL offers no service on the planned date, how many further working days "
        "to try.",
    )
    dhl_rate_cache_minutes = fields.Integer(
        "Rate Cache (minutes)",
        default=10,
        help="Identical rate requests within this time reuse DHL's answer (0: never).",
    )
    dhl_product_code = fields.Char(
        "DHL Product Code",
        help="Global product code to rate and book (e.g. P: Express Worldwide, N: Express "
        "Domestic). Empty: the cheapest product offered when rating; P abroad and N at home "
        "when booking.",
    )
    dhl_incoterm_id = fields.Many2one(
        "account.incoterms",
        "Default Incoterm",
        help="Used for customs when the sales order and the company give none.",
    )
    dhl_paperless_trade = fields.Boolean(
        "Paperless Trade",
        help="DHL draws up the commercial invoice from the customs data and sends it "
        "electronically to customs: no paper copy travels with the goods (the DHL account "
        "must allow it).",
    )
    dhl_invoice_signatory_id = fields.Many2one(
        "res.partner",
        "Commercial Invoice Signatory",
        help="The person whose name and job position DHL prints as signature of the "
        "commercial invoice. Empty: the user who books the shipment.",
    )
    dhl_landed_cost = fields.Boolean(
        "Estimate Duties and Taxes",
        help="With international rates, ask DHL's landed cost for the duties, taxes and fees "
        "the receiver will pay, and show them with the price.",
    )
    dhl_request_pickup = fields.Boolean(
        "Book Courier Pickup", help="Ask DHL to collect each shipment when booking it."
    )

    # -- the client ---------------------------------------------------------------------------

    @api.constrains("dhl_timeout")
    def _check_dhl_timeout(self):
        for carrier in self:
            if not 0 <= carrier.dhl_timeout <= const.MAX_TIMEOUT:
                raise ValidationError(
                    _(
                        "The DHL timeout of %(carrier)s must be between 1 and %(max)s seconds: "
                        "a longer wait would let the server stop the request in the middle "
                        "of a booking.",
                        carrier=carrier.name,
                        max=const.MAX_TIMEOUT,
                    )
                )

    def _dhl_client(self):
        """The MyDHL API client of this carrier: the one place it is built."""
        self.ensure_one()
        config = self.sudo()
        if not (config.dhl_api_key and config.dhl_api_secret and config.dhl_account_number):
            raise UserError(
                _(
                    "The DHL Express connection of %(carrier)s is not configured: an "
                    "administrator must enter the API key, secret and account number.",
                    carrier=self.name,
                )
            )
        base_url = None if self.prod_environment else (config.dhl_api_base_url or None)
        logger = None
        if self.debug_logging:

            def logger(line):
                self.log_xml(line, "dhl_express")

        return dhl_request.DHLExpressClient(
            config.dhl_api_key,
            config.dhl_api_secret,
            config.dhl_account_number,
            production=self.prod_environment,
            base_url=base_url,
            timeout=min(max(self.dhl_timeout, 1), const.MAX_TIMEOUT),
            logger=logger,
            platform_headers={
                "Shipping-System-Platform-Name": "Odoo",
                "Shipping-System-Platform-Version": release.major_version,
                "Plugin-Name": "delivery_dhl_express",
                "Plugin-Version": "18.0.1.0.0",
            },
        )

    def _dhl_call(self, operation, *args, retry=False, expect=(), **kwargs):
        """Run ``client.<operation>(...)``, mapping every DHL failure to a ``UserError``.

        ``retry``: the call is safe to repeat (it books nothing), so one temporary failure is
        retried at once, or after DHL's ``Retry-After`` when that is short. Exceptions listed
        in ``expect`` are raised as they are, for the caller to handle.
        """
        client = self._dhl_client()
        attempts = 2 if retry else 1
        for attempt in range(1, attempts + 1):
            try:
                return getattr(client, operation)(*args, **kwargs)
            except dhl_answers.DHLTemporaryError as error:
                wait = error.retry_after or 0
                if attempt < attempts and wait <= USER_RETRY_MAX_WAIT:
                    _logger.info("DHL %s failed (%s), retrying once", operation, error.detail)
                    time_module.sleep(wait)
                    continue
                if isinstance(error, expect):
                    raise
                raise self._dhl_user_error(error) from error
            except dhl_answers.DHLError as error:
                if isinstance(error, expect):
                    raise
                raise self._dhl_user_error(error) from error

    def _dhl_user_error(self, error, intro=None):
        """Plain words for the user; DHL's own detail for back-office users."""
        parts = [intro] if intro else []
        parts.append(error.user_message)
        retry_after = getattr(error, "retry_after", None)
        if retry_after:
            parts.append(_("DHL asks to wait %(seconds)s seconds.", seconds=retry_after))
        if error.detail and self.env.user._is_internal():
            parts.append(_("DHL's detail: %(detail)s", detail=error.detail))
        return UserError("\n".join(parts))

    # -- dates ----------------------------------------------------------------------------------

    def _dhl_now(self):
        """The current moment (aware, UTC); tests move it."""
        return datetime.now(UTC)

    def _dhl_timezone(self, company):
        calendar = company.resource_calendar_id
        return pytz.timezone(calendar.tz or company.partner_id.tz or "UTC")

    def _dhl_handover_moment(self, company, after=None):
        """The next moment the company can really hand a shipment over to DHL.

        A working moment of the company's calendar (its global leaves, the public holidays,
        excluded), before the carrier's cut-off hour, not before ``after`` (default: now,
        rounded up to the hour so that rate requests stay identical for a while).
        Returns an aware datetime in the calendar's time zone.
        """
        self.ensure_one()
        calendar = company.resource_calendar_id
        tz = self._dhl_timezone(company)
        earliest = (after or self._dhl_now()).astimezone(tz)
        if earliest.minute or earliest.second or earliest.microsecond:
            earliest = earliest.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        day = earliest.date()
        for _offset in range(const.HANDOVER_SEARCH_DAYS):
            start = tz.localize(datetime.combine(day, time.min))
            end = tz.localize(datetime.combine(day + timedelta(days=1), time.min))
            cutoff = tz.localize(
                datetime.combine(day, time.min) + timedelta(hours=self.dhl_cutoff_hour)
            )
            if calendar:
                intervals = [
                    (begin, stop)
                    for begin, stop, _meta in calendar._work_intervals_batch(start, end)[False]
                ]
            elif day.weekday() < 5:
                intervals = [(start + timedelta(hours=9), cutoff)]
            else:
                intervals = []
            for begin, stop in intervals:
                candidate = max(begin, earliest)
                if candidate < min(stop, cutoff):
                    return candidate.astimezone(tz)
            day += timedelta(days=1)
        raise UserError(
            _(
                "The company's working calendar has no working day in the next %(days)s days: "
                "no date to hand the shipment over to DHL.",
                days=const.HANDOVER_SEARCH_DAYS,
            )
        )

    def _dhl_next_handover_moment(self, company, moment):
        """The first hand-over moment of the working day after ``moment``'s."""
        tz = self._dhl_timezone(company)
        next_day = moment.astimezone(tz).date() + timedelta(days=1)
        return self._dhl_handover_moment(company, tz.localize(datetime.combine(next_day, time.min)))

    # -- addresses and packages -----------------------------------------------------------------

    def _dhl_is_customs_declarable(self, shipper, receiver):
        """Goods crossing a customs border: other country, and not both in the EU."""
        origin, destination = shipper.country_id, receiver.country_id
        if not origin or not destination or origin == destination:
            return False
        europe = self.env.ref("base.europe", raise_if_not_found=False)
        return not (europe and origin in europe.country_ids and destination in europe.country_ids)

    @api.model
    def _dhl_kg(self, weight):
        """``weight`` in the database's weight unit, in kg."""
        uom = self.env["product.template"]._get_weight_uom_id_from_ir_config_parameter()
        return uom._compute_quantity(weight, self.env.ref("uom.product_uom_kgm"), round=False)

    @api.model
    def _dhl_cm(self, length):
        """``length`` in the database's length unit (package types' sizes), in cm."""
        uom = self.env["product.template"]._get_length_uom_id_from_ir_config_parameter()
        return uom._compute_quantity(length, self.env.ref("uom.product_uom_cm"), round=False)

    @api.model
    def _dhl_packages(self, lines):
        """DHL packages for ``lines`` of ``(product, quantity)``.

        A product with packed dimensions ships as one package per unit (a sofa is a crate of
        its own, and its volumetric weight is what DHL bills); the others share one package
        by weight.
        """
        packages = []
        bulk_weight = 0.0
        for product, quantity in lines:
            weight = product._dhl_weight_kg()
            dims = (product.packed_length, product.packed_width, product.packed_height)
            if all(dims):
                _logger.debug(
                    "%s: %.3f kg, volumetric %.3f kg",
                    product.display_name,
                    weight,
                    dhl_utils.volumetric_weight(*dims),
                )
                packages += [
                    dhl_payloads.package(weight, dims)
                    for _unit in range(max(1, math.ceil(quantity)))
                ]
            else:
                bulk_weight += weight * quantity
        if bulk_weight > 0 or not packages:
            packages.append(dhl_payloads.package(bulk_weight))
        return packages

    @api.model
    def _dhl_order_lines(self, order):
        """``[(product, quantity, unit price)]`` of the goods, in the product's unit."""
        lines = []
        for line in order.order_line:
            if line.is_delivery or line.display_type or line.product_id.type != "consu":
                continue
            quantity = line.product_uom._compute_quantity(
                line.product_uom_qty, line.product_id.uom_id
            )
            unit_price = (
                line.price_reduce_taxexcl * line.product_uom_qty / quantity if quantity else 0
            )
            lines.append((line.product_id, quantity, unit_price))
        return lines

    def _dhl_invoice_signatory(self):
        """Who signs the commercial invoice DHL draws up: the carrier's signatory, else the
        user booking the shipment."""
        return self.dhl_invoice_signatory_id or self.env.user.partner_id

    # -- the provider contract ------------------------------------------------------------------

    def dhl_express_rate_shipment(self, order):
        self.ensure_one()
        shipper = order.warehouse_id.partner_id or order.company_id.partner_id
        lines = self._dhl_order_lines(order)
        value = sum(qty * price for _product, qty, price in lines)
        try:
            if not lines:
                raise UserError(_("Nothing to ship: the order has no goods."))
            outcome = self._dhl_rate(
                order.company_id,
                shipper,
                order.partner_shipping_id,
                lines,
                value,
                order.currency_id,
            )
        except UserError as error:
            return {
                "success": False,
                "price": 0.0,
                "error_message": error.args[0],
                "warning_message": False,
            }
        return {
            "success": True,
            "price": outcome["price"],
            "error_message": False,
            "warning_message": outcome["message"],
        }

    def dhl_express_send_shipping(self, pickings):
        self.ensure_one()
        Booking = self.env["dhl.express.booking"].sudo()
        return [Booking._dhl_send(picking, self) for picking in pickings]

    def dhl_express_get_tracking_link(self, picking):
        numbers = picking._dhl_waybills()
        return const.TRACKING_LINK.format(number=numbers[0]) if numbers else False

    def dhl_express_cancel_shipment(self, pickings):
        """The MyDHL API cannot cancel a waybill: one never handed over is not billed. What
        can be cancelled is the courier pickup booked with it; the waybill is forgotten."""
        self.ensure_one()
        Booking = self.env["dhl.express.booking"].sudo()
        for picking in pickings:
            notes = [
                _(
                    "DHL Express has no cancellation of a waybill: %(number)s is not billed as "
                    "long as it is not handed over. Destroy its label.",
                    number=picking.carrier_tracking_ref,
                )
            ]
            if picking.dhl_dispatch_confirmation_number:
                self._dhl_call(
                    "cancel_pickup",
                    picking.dhl_dispatch_confirmation_number,
                    self.env.user.name[:35] or "Odoo",
                    "Shipment cancelled",
                )
                notes.append(
                    _(
                        "Courier pickup %(number)s cancelled.",
                        number=picking.dhl_dispatch_confirmation_number,
                    )
                )
            Booking._dhl_cancel(picking)
            picking.message_post(body=Markup("<br/>").join(notes))
            picking.write({"dhl_dispatch_confirmation_number": False, "dhl_tracking_status": False})
