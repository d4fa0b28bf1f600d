# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json
import logging
import math
import time as time_module
from collections import defaultdict
from datetime import UTC, datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import _, api, fields, models, release
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from . import const, dhl_request, dhl_utils

_logger = logging.getLogger(__name__)


class DeliveryCarrier(models.Model):
    """DHL Express (MyDHL API 3.3.1) as a ``delivery.carrier`` provider.

    Provider contract (dispatched by ``delivery_type`` in ``delivery``/``stock_delivery``):
    ``dhl_express_rate_shipment(order)``, ``dhl_express_send_shipping(pickings)``,
    ``dhl_express_get_tracking_link(picking)``, ``dhl_express_cancel_shipment(pickings)``.
    The HTTP client is the plain class ``dhl_request.DHLExpressClient``, built in
    :meth:`_dhl_request` only.
    """

    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[("dhl_express", "DHL Express")],
        ondelete={"dhl_express": lambda recs: recs.write({"delivery_type": "fixed"})},
    )
    dhl_api_key = fields.Char("DHL API Key", groups="base.group_system", copy=False)
    dhl_api_secret = fields.Char("DHL API Secret", groups="base.group_system", copy=False)
    dhl_account_number = fields.Char("DHL Account Number", groups="base.group_system", copy=False)
    dhl_test_base_url = fields.Char(
        "DHL Test Server Override",
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

    def _dhl_request(self):
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
        base_url = None if self.prod_environment else (config.dhl_test_base_url or None)
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
        client = self._dhl_request()
        attempts = 2 if retry else 1
        for attempt in range(1, attempts + 1):
            try:
                return getattr(client, operation)(*args, **kwargs)
            except dhl_request.DHLTemporaryError as error:
                wait = error.retry_after or 0
                if attempt < attempts and wait <= const.SAFE_RETRY_MAX_WAIT:
                    _logger.info("DHL %s failed (%s), retrying once", operation, error.detail)
                    time_module.sleep(wait)
                    continue
                if isinstance(error, expect):
                    raise
                raise self._dhl_user_error(error) from error
            except dhl_request.DHLError as error:
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
    def _dhl_rate_address(self, partner):
        """``customerDetails.*Details`` of a rate request (no street needed)."""
        if not partner.country_id or not partner.city:
            raise UserError(
                _(
                    "The address of %(partner)s needs a city and a country for DHL Express.",
                    partner=partner.display_name,
                )
            )
        return {
            "postalCode": (partner.zip or "").strip(),
            "cityName": partner.city.strip()[: const.CITY_MAX_LENGTH],
            "countryCode": partner.country_id.code,
        }

    def _dhl_check_address(self, partner, address):
        """Check ``address`` (DHL keys) with ``address-validate``; never blocks.

        Returns ``(address, notes)``: the address to send (DHL's spelling when it proposes a
        close match) and notes for the user (a suggestion, an unknown place, an outage).
        """
        internal = self.env.user._is_internal()
        try:
            validation = self._dhl_call(
                "validate_address",
                address["countryCode"],
                address.get("postalCode") or None,
                address.get("cityName") or None,
                retry=True,
                expect=(dhl_request.DHLError,),
            )
        except dhl_request.DHLError as error:
            _logger.warning("DHL address check of %s failed: %s", partner.display_name, error)
            note = _("DHL could not check the address right now; going on without the check.")
            if internal and error.detail:
                note += " " + _("DHL's detail: %(detail)s", detail=error.detail)
            return address, [note]
        shown = f"{address.get('postalCode', '')} {address.get('cityName', '')}".strip()
        best = validation.best_match(address)
        if best is None:
            if validation.addresses:
                other = validation.addresses[0]
                return address, [
                    _(
                        "DHL does not recognise %(ours)s as written (it knows %(theirs)s): "
                        "please check the delivery address.",
                        ours=shown,
                        theirs=f"{other.postal_code} {other.city_name}".strip(),
                    )
                ]
            return address, [
                _(
                    "DHL could not confirm the delivery address %(ours)s: please check it.",
                    ours=shown,
                )
            ]
        same_city = (best.city_name or "").casefold() == address["cityName"].casefold()
        same_zip = dhl_utils.normalize_postcode(best.postal_code) == dhl_utils.normalize_postcode(
            address.get("postalCode", "")
        )
        if (same_city or not best.city_name) and (same_zip or not best.postal_code):
            return address, []
        corrected = dict(address)
        if best.city_name:
            corrected["cityName"] = best.city_name[: const.CITY_MAX_LENGTH]
        if best.postal_code:
            corrected["postalCode"] = best.postal_code
        theirs = f"{corrected['postalCode']} {corrected['cityName']}".strip()
        if internal:
            note = _(
                "DHL writes the address of %(partner)s as %(theirs)s (not %(ours)s): DHL's "
                "spelling is used; update the contact if you agree.",
                partner=partner.display_name,
                theirs=theirs,
                ours=shown,
            )
        else:
            note = _("Address completed with DHL's spelling: %(theirs)s.", theirs=theirs)
        return corrected, [note]

    @api.model
    def _dhl_weight_kg(self, product):
        return self._dhl_kg(product.weight)

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
            weight = self._dhl_weight_kg(product)
            if product.packed_length and product.packed_width and product.packed_height:
                for _unit in range(max(1, math.ceil(quantity))):
                    packages.append(self._dhl_prepare_package_vals(product, weight))
            else:
                bulk_weight += weight * quantity
        if bulk_weight > 0 or not packages:
            packages.append({"weight": max(round(bulk_weight, 3), 0.001)})
        return packages

    @api.model
    def _dhl_prepare_package_vals(self, product, weight):
        dims = (product.packed_length, product.packed_width, product.packed_height)
        volumetric = dhl_utils.volumetric_weight(*dims)
        _logger.debug("%s: %.3f kg, volumetric %.3f kg", product.display_name, weight, volumetric)
        return {
            "weight": max(round(weight, 3), 0.001),
            "dimensions": {
                "length": round(dims[0], 3),
                "width": round(dims[1], 3),
                "height": round(dims[2], 3),
            },
        }

    def _dhl_picking_packages(self, picking, lines):
        """DHL packages of a delivery: one per package put in pack (the move lines'
        ``result_package_id``); what is not in a package by :meth:`_dhl_packages`."""
        packed_lines = picking.move_line_ids.filtered(
            lambda ml: ml.result_package_id and ml.product_id.type == "consu"
        )
        packages = [
            self._dhl_prepare_packed_package_vals(package, picking)
            for package in packed_lines.result_package_id
        ]
        packed = defaultdict(float)  # move -> quantity in packages, in the product's unit
        for move_line in packed_lines:
            packed[move_line.move_id] += move_line.product_uom_id._compute_quantity(
                move_line.quantity, move_line.product_id.uom_id
            )
        unpacked = []
        for move, product, quantity, _price, _currency in lines:
            rest = quantity - packed[move]
            if float_compare(rest, 0, precision_rounding=product.uom_id.rounding) > 0:
                unpacked.append((product, rest))
        if unpacked or not packages:
            packages += self._dhl_packages(unpacked)
        return packages

    def _dhl_prepare_packed_package_vals(self, package, picking):
        """The DHL package of a ``stock.quant.package``: its shipping weight (else its
        content's and its type's), its package type's size, its name as reference."""
        weight = package.shipping_weight or package._get_weight(picking.id)[package]
        vals = {
            "weight": max(round(self._dhl_kg(weight), 3), 0.001),
            "customerReferences": [
                {"value": package.name[: const.REFERENCE_MAX_LENGTH], "typeCode": "CU"}
            ],
        }
        package_type = package.package_type_id
        dims = (package_type.packaging_length, package_type.width, package_type.height)
        if all(dims):
            vals["dimensions"] = {
                key: max(round(self._dhl_cm(value), 3), 0.001)
                for key, value in zip(("length", "width", "height"), dims, strict=True)
            }
        return vals

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

    # -- rates ----------------------------------------------------------------------------------

    def _dhl_prepare_rate_vals(self, shipper, receiver, packages, declarable, value, currency):
        vals = {
            "customerDetails": {
                "shipperDetails": self._dhl_rate_address(shipper),
                "receiverDetails": self._dhl_rate_address(receiver),
            },
            "plannedShippingDateAndTime": "",
            "unitOfMeasurement": "metric",
            "isCustomsDeclarable": declarable,
            "nextBusinessDay": True,
            "packages": packages,
        }
        if self.dhl_product_code:
            vals["productCode"] = self.dhl_product_code
        if declarable and value > 0:
            vals["monetaryAmount"] = [
                {"typeCode": "declaredValue", "value": round(value, 3), "currency": currency.name}
            ]
        return vals

    def _dhl_cache_key(self, payload):
        config = self.sudo()
        material = {
            "carrier": self.id,
            "server": self.prod_environment or config.dhl_test_base_url or "",
            "account": config.dhl_account_number or "",
            "internal": self.env.user._is_internal(),
            "payload": payload,
        }
        return hashlib.sha256(
            json.dumps(material, sort_keys=True, default=str).encode()
        ).hexdigest()

    def _dhl_rates_from(self, payload, moment, company):
        """Ask DHL for rates from ``moment``, moving to the next working day when DHL offers no
        product, up to ``dhl_max_lookahead_days`` more days. Returns ``(result, moment,
        skipped_moments)``."""
        skipped = []
        today = self._dhl_now().astimezone(moment.tzinfo).date()
        last_error = None
        for _attempt in range(max(self.dhl_max_lookahead_days, 0) + 1):
            if (moment.date() - today).days > const.PLANNED_DATE_MAX_DAYS_AHEAD:
                break
            payload["plannedShippingDateAndTime"] = dhl_utils.format_planned_date(moment)
            try:
                result = self._dhl_call(
                    "rates", payload, retry=True, expect=(dhl_request.DHLNoProductError,)
                )
            except dhl_request.DHLNoProductError as error:
                last_error = error
                result = None
            if result is not None and self._dhl_pick_product(result):
                return result, moment, skipped
            skipped.append(moment)
            moment = self._dhl_next_handover_moment(company, moment)
        message = _(
            "DHL Express offers no service for this delivery from %(first)s over %(days)s "
            "working days.",
            first=self._dhl_format_day(skipped[0] if skipped else moment),
            days=len(skipped),
        )
        if last_error is not None:
            raise self._dhl_user_error(last_error, intro=message)
        raise UserError(message)

    def _dhl_pick_product(self, result):
        if self.dhl_product_code:
            return next(
                (p for p in result.products if p.product_code == self.dhl_product_code), None
            )
        return result.cheapest()

    def _dhl_format_day(self, moment):
        return fields.Date.to_string(moment.date()) + moment.strftime(" %H:%M")

    def _dhl_to_company_currency(self, amount, currency_code, company):
        currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", currency_code)], limit=1)
        )
        if not currency:
            raise UserError(
                _("DHL priced in %(currency)s, a currency unknown here.", currency=currency_code)
            )
        return currency._convert(
            amount, company.currency_id, company, fields.Date.context_today(self)
        )

    def _dhl_rate(self, company, shipper, receiver, lines, value, currency):
        """Price of shipping ``lines``: ``{"price", "message", "planned", "product_code"}``."""
        packages = self._dhl_packages([(product, qty) for product, qty, _price in lines])
        declarable = self._dhl_is_customs_declarable(shipper, receiver)
        payload = self._dhl_prepare_rate_vals(
            shipper, receiver, packages, declarable, value, currency
        )
        first_moment = self._dhl_handover_moment(company)
        payload["plannedShippingDateAndTime"] = dhl_utils.format_planned_date(first_moment)
        key = self._dhl_cache_key(payload)
        Cache = self.env["dhl.express.rate.cache"].sudo()
        cached = Cache._dhl_get(self, key)
        if cached:
            return cached
        address, notes = self._dhl_check_address(
            receiver, payload["customerDetails"]["receiverDetails"]
        )
        payload["customerDetails"]["receiverDetails"] = address
        result, moment, skipped = self._dhl_rates_from(payload, first_moment, company)
        product = self._dhl_pick_product(result)
        price = self._dhl_to_company_currency(product.price, product.currency, company)
        lines_of_message = [
            _(
                "%(product)s, price for a hand-over to DHL on %(day)s.",
                product=product.product_name or product.product_code,
                day=self._dhl_format_day(moment),
            )
        ]
        if skipped:
            lines_of_message.append(
                _(
                    "DHL offers no service on %(days)s.",
                    days=", ".join(fields.Date.to_string(m.date()) for m in skipped),
                )
            )
        pickup = (product.raw.get("pickupCapabilities") or {}) if product.raw else {}
        if pickup.get("nextBusinessDay"):
            lines_of_message.append(_("DHL collects on its next business day after that date."))
        if declarable and self.dhl_landed_cost:
            lines_of_message.append(
                self._dhl_landed_cost_note(payload, product.product_code, lines, currency)
            )
        outcome = {
            "price": price,
            "message": "\n".join(lines_of_message + notes),
            "planned": dhl_utils.format_planned_date(moment),
            "product_code": product.product_code,
        }
        Cache._dhl_put(self, key, outcome)
        return outcome

    def _dhl_landed_cost_note(self, payload, product_code, lines, currency):
        """DHL's estimate of the duties, taxes and fees at destination, as a sentence."""
        missing = [
            product.display_name
            for product, _qty, _price in lines
            if not product.country_of_origin or not product.hs_code
        ]
        if missing:
            return _(
                "No duties and taxes estimate: %(products)s lack an HS code or a country of "
                "origin.",
                products=", ".join(missing),
            )
        landed_payload = {
            "customerDetails": payload["customerDetails"],
            "productCode": product_code,
            "unitOfMeasurement": "metric",
            "currencyCode": currency.name,
            "isCustomsDeclarable": True,
            "getCostBreakdown": True,
            "shipmentPurpose": "commercial",
            "packages": payload["packages"],
            "items": [
                {
                    "number": number,
                    "name": self._dhl_customs_description(product)[:512] or product.display_name,
                    "manufacturerCountry": product.country_of_origin.code,
                    "quantity": qty,
                    "quantityType": "prt",
                    "unitPrice": round(price, 3),
                    "unitPriceCurrencyCode": currency.name,
                    "commodityCode": "".join(c for c in product.hs_code if c not in ". ")[:18],
                }
                for number, (product, qty, price) in enumerate(lines, 1)
            ],
        }
        try:
            cost = self._dhl_call("landed_cost", landed_payload, retry=True)
        except UserError as error:
            return _("No duties and taxes estimate: %(reason)s", reason=error.args[0])
        return _(
            "DHL's estimate at destination: duties %(duties).2f, taxes %(taxes).2f, fees "
            "%(fees).2f %(currency)s.",
            duties=cost.duties,
            taxes=cost.taxes,
            fees=cost.fees,
            currency=cost.currency,
        )

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

    # -- shipments ------------------------------------------------------------------------------

    def _dhl_picking_lines(self, picking):
        """``[(move, product, quantity, unit price, currency)]`` of what leaves."""
        lines = []
        for move in picking.move_ids.filtered(
            lambda m: m.state != "cancel" and m.product_id.type == "consu"
        ):
            quantity = move.quantity or move.product_uom_qty
            quantity = move.product_uom._compute_quantity(quantity, move.product_id.uom_id)
            sale_line = move.sale_line_id
            if sale_line:
                price, currency = sale_line.price_reduce_taxexcl, sale_line.currency_id
            else:
                price, currency = move.product_id.lst_price, picking.company_id.currency_id
            lines.append((move, move.product_id, quantity, price, currency))
        return lines

    def _dhl_customs_currency(self, picking):
        """The one currency of the customs declaration: the invoice's, else the sales
        order's, else the company's."""
        return (
            self._dhl_invoice(picking).currency_id
            or picking.sale_id.currency_id
            or picking.company_id.currency_id
        )

    def _dhl_customs_lines(self, picking, lines):
        """``lines`` with every unit price in the declaration's currency, converted at the
        invoice date where a line is priced in another one (a line without currency keeps
        none: :meth:`_dhl_shipment_problems` reports it)."""
        currency = self._dhl_customs_currency(picking)
        day = self._dhl_invoice(picking).invoice_date or fields.Date.context_today(self)
        converted = []
        for move, product, quantity, price, line_currency in lines:
            if line_currency and line_currency != currency:
                price = line_currency._convert(
                    price, currency, picking.company_id, day, round=False
                )
            converted.append((move, product, quantity, price, line_currency and currency))
        return converted

    def _dhl_invoice_signatory(self):
        """Who signs the commercial invoice DHL draws up: the carrier's signatory, else the
        user booking the shipment."""
        return self.dhl_invoice_signatory_id or self.env.user.partner_id

    def _dhl_place_of_incoterm(self, picking, incoterm_code, shipper, receiver_address):
        """The place the incoterm names: the invoice's incoterm location, else the
        shipper's city for the E and F terms and the receiver's city for the others."""
        place = self._dhl_invoice(picking).incoterm_location
        if not place:
            origin = incoterm_code in const.ORIGIN_INCOTERMS
            place = shipper.city if origin else receiver_address.get("cityName")
        return (place or "").strip()[: const.PLACE_OF_INCOTERM_MAX_LENGTH]

    @api.model
    def _dhl_customs_description(self, product):
        return (
            product.customs_description or product.with_context(lang="en_US").name or ""
        ).strip()

    def _dhl_invoice(self, picking):
        return picking.sale_id.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        ).sorted("id")[:1]

    def _dhl_incoterm(self, picking):
        return picking.sale_id.incoterm or picking.company_id.incoterm_id or self.dhl_incoterm_id

    @api.model
    def _dhl_party_problems(self, partner, role):
        problems = []
        what = f"{role} ({partner.display_name})" if partner else role
        if not partner:
            return [_("%(role)s: missing.", role=role)]
        if not partner.street:
            problems.append(_("%(who)s: no street.", who=what))
        else:
            try:
                dhl_utils.split_address_lines(
                    " ".join(filter(None, [partner.street, partner.street2]))
                )
            except ValueError as error:
                problems.append(_("%(who)s: %(reason)s", who=what, reason=str(error)))
        if not partner.city:
            problems.append(_("%(who)s: no city.", who=what))
        if not partner.country_id:
            problems.append(_("%(who)s: no country.", who=what))
        elif partner.country_id.zip_required and not partner.zip:
            problems.append(_("%(who)s: no postcode.", who=what))
        if not (partner.phone or partner.mobile):
            problems.append(_("%(who)s: no phone number (DHL requires one).", who=what))
        return problems

    def _dhl_shipment_problems(self, picking, shipper, receiver, lines, declarable):
        """Every reason DHL would refuse this shipment, checked before calling DHL."""
        problems = []
        problems += self._dhl_party_problems(shipper, _("Exporter"))
        problems += self._dhl_party_problems(receiver, _("Importer"))
        if not lines:
            problems.append(_("Nothing to ship: the delivery has no goods."))
        for number, (_move, product, quantity, price, currency) in enumerate(lines, 1):
            found = []
            if self._dhl_weight_kg(product) <= 0:
                found.append(_("no unit weight"))
            if declarable:
                hs_code = "".join(c for c in (product.hs_code or "") if c not in ". ")
                if not hs_code:
                    found.append(_("no HS code"))
                elif not (
                    hs_code.isdigit()
                    and const.HS_CODE_MIN_DIGITS <= len(hs_code) <= const.HS_CODE_MAX_DIGITS
                ):
                    found.append(_("HS code %(code)s is not 6 to 12 digits", code=product.hs_code))
                if not product.country_of_origin:
                    found.append(_("no country of origin"))
                description = self._dhl_customs_description(product)
                if not description:
                    found.append(_("no English description"))
                elif any(ord(c) > 0x24F for c in description):
                    found.append(_("the English description has non-Latin characters"))
                elif len(description) > const.LINE_DESCRIPTION_MAX_LENGTH:
                    found.append(_("the English description is longer than 512 characters"))
                if not currency:
                    found.append(_("no currency"))
                elif round(price, 3) <= 0:
                    found.append(_("no customs value in %(currency)s", currency=currency.name))
                if quantity <= 0 or quantity != int(quantity):
                    found.append(
                        _("quantity %(qty)s is not a whole number of pieces", qty=quantity)
                    )
            if found:
                problems.append(
                    _(
                        "Line %(number)s (%(product)s): %(problems)s.",
                        number=number,
                        product=product.display_name,
                        problems=", ".join(found),
                    )
                )
        if declarable:
            invoice = self._dhl_invoice(picking)
            if not invoice:
                problems.append(
                    _("No posted customer invoice: the commercial invoice needs its number.")
                )
            elif len(invoice.name) > const.REFERENCE_MAX_LENGTH:
                problems.append(_("The invoice number %(name)s is too long.", name=invoice.name))
            incoterm = self._dhl_incoterm(picking)
            if not incoterm:
                problems.append(_("No incoterm on the sales order, the company or the carrier."))
            elif incoterm.code not in const.INCOTERMS:
                problems.append(_("DHL does not accept the incoterm %(code)s.", code=incoterm.code))
            if self.dhl_paperless_trade:
                problems += self._dhl_paperless_trade_problems()
        return problems

    def _dhl_paperless_trade_problems(self):
        """What DHL needs to draw up and sign the commercial invoice it sends itself."""
        signatory = self._dhl_invoice_signatory()
        if not (signatory.function or "").strip():
            return [
                _(
                    "Paperless trade: the commercial invoice's signatory %(name)s has no job "
                    "position (DHL prints it under the signature). Set it on the contact, or "
                    "choose another signatory on the carrier.",
                    name=signatory.name,
                )
            ]
        return []

    @api.model
    def _dhl_party_vals(self, partner, address):
        lines = dhl_utils.split_address_lines(
            " ".join(filter(None, [partner.street, partner.street2]))
        )
        postal = dict(address)
        postal.update({f"addressLine{i}": line for i, line in enumerate(lines, 1)})
        company_name = partner.commercial_company_name or partner.name
        contact = {
            "phone": (partner.phone or partner.mobile)[:70],
            "companyName": company_name[:100],
            "fullName": partner.name[:255],
        }
        if partner.email:
            contact["email"] = partner.email[:70]
        return {"postalAddress": postal, "contactInformation": contact}

    @api.model
    def _dhl_registration_numbers(self, partner):
        """The VAT and EORI numbers customs ask of the exporter and the importer (MyDHL's
        ``registrationNumbers``), issued by the company's country."""
        company = partner.commercial_partner_id
        country = company.country_id.code
        if not country:
            return []
        numbers = []
        for type_code, number in (
            ("VAT", company.vat),
            ("EOR", company.eori_number),
        ):
            number = "".join((number or "").split())
            if number:
                numbers.append(
                    {
                        "typeCode": type_code,
                        "number": number[: const.REGISTRATION_NUMBER_MAX_LENGTH],
                        "issuerCountryCode": country,
                    }
                )
        return numbers

    def _dhl_prepare_shipment_vals(
        self, picking, shipper, receiver_address, lines, declarable, moment
    ):
        """The ``POST /shipments`` body; ``lines`` are priced in the declaration's currency
        (see :meth:`_dhl_customs_lines`)."""
        receiver = picking.partner_id
        shipper_address = self._dhl_rate_address(shipper)
        packages = self._dhl_picking_packages(picking, lines)
        currency = self._dhl_customs_currency(picking)
        value = sum(qty * round(price, 3) for _m, _p, qty, price, _c in lines)
        product_code = self.dhl_product_code or (
            "P" if shipper.country_id != receiver.country_id else "N"
        )
        description = ", ".join(
            dict.fromkeys(self._dhl_customs_description(p) for _m, p, _q, _pr, _c in lines)
        )
        content = {
            "packages": packages,
            "isCustomsDeclarable": declarable,
            "description": (description or picking.name)[
                : const.CONTENT_DESCRIPTION_MAX_LENGTH
            ].strip(),
            "incoterm": (self._dhl_incoterm(picking).code if declarable else None) or "DAP",
            "unitOfMeasurement": "metric",
        }
        vals = {
            "plannedShippingDateAndTime": dhl_utils.format_planned_date(moment),
            "pickup": {"isRequested": bool(self.dhl_request_pickup)},
            "productCode": product_code,
            "customerReferences": [
                {"value": picking.name[: const.REFERENCE_MAX_LENGTH], "typeCode": "CU"}
            ],
            "customerDetails": {
                "shipperDetails": self._dhl_party_vals(shipper, shipper_address),
                "receiverDetails": self._dhl_party_vals(receiver, receiver_address),
            },
            "content": content,
        }
        if declarable:
            for details, partner in (("shipperDetails", shipper), ("receiverDetails", receiver)):
                numbers = self._dhl_registration_numbers(partner)
                if numbers:
                    vals["customerDetails"][details]["registrationNumbers"] = numbers
            content["declaredValue"] = round(value, 3)
            content["declaredValueCurrency"] = currency.name
            content["exportDeclaration"] = self._dhl_prepare_export_declaration_vals(
                picking,
                lines,
                self._dhl_place_of_incoterm(
                    picking, content["incoterm"], shipper, receiver_address
                ),
            )
            # DHL draws up the commercial invoice from the declaration: with paperless trade
            # it also sends it to customs itself; without, staff print it for the goods.
            vals["outputImageProperties"] = {
                "imageOptions": [self._dhl_prepare_invoice_image_vals(picking)]
            }
            if self.dhl_paperless_trade:
                vals["valueAddedServices"] = [{"serviceCode": const.PAPERLESS_TRADE_SERVICE}]
        return vals

    def _dhl_prepare_export_declaration_vals(self, picking, lines, place_of_incoterm):
        invoice = self._dhl_invoice(picking)
        invoice_vals = {
            "number": invoice.name,
            "date": fields.Date.to_string(invoice.invoice_date or invoice.date),
        }
        signatory = self._dhl_invoice_signatory()
        if signatory.name:
            invoice_vals["signatureName"] = signatory.name[: const.SIGNATURE_MAX_LENGTH].strip()
        if (signatory.function or "").strip():
            invoice_vals["signatureTitle"] = signatory.function.strip()[
                : const.SIGNATURE_MAX_LENGTH
            ]
        vals = {
            "lineItems": [
                self._dhl_prepare_line_item_vals(number, product, qty, price)
                for number, (_m, product, qty, price, _c) in enumerate(lines, 1)
            ],
            "invoice": invoice_vals,
            "exportReasonType": "commercial_purpose_or_sale",
        }
        if place_of_incoterm:
            vals["placeOfIncoterm"] = place_of_incoterm
        return vals

    def _dhl_prepare_invoice_image_vals(self, picking):
        """``outputImageProperties.imageOptions[]`` asking DHL for the commercial invoice."""
        return {
            "typeCode": const.INVOICE_DOCUMENT_TYPE,
            "isRequested": True,
            "invoiceType": const.INVOICE_TYPE_COMMERCIAL,
            "languageCode": const.INVOICE_LANGUAGE_CODE,
        }

    @api.model
    def _dhl_prepare_line_item_vals(self, number, product, quantity, price):
        weight = round(self._dhl_weight_kg(product), 3)
        hs_code = "".join(c for c in product.hs_code if c not in ". ")
        return {
            "number": number,
            "description": self._dhl_customs_description(product),
            "price": round(price, 3),
            "quantity": {"value": int(quantity), "unitOfMeasurement": "PCS"},
            "commodityCodes": [{"typeCode": "outbound", "value": hs_code}],
            "manufacturerCountry": product.country_of_origin.code,
            "weight": {"netValue": weight, "grossValue": weight},
        }

    def _dhl_shipment_price(self, result, payload, company):
        """What DHL charges for the booked shipment, in the company's currency."""
        charges = [c for c in result.charges if isinstance(c, dict)]
        charge = next(
            (c for c in charges if c.get("currencyType") == const.BILLING_CURRENCY_TYPE),
            charges[0] if charges else None,
        )
        if charge and isinstance(charge.get("price"), int | float):
            return self._dhl_to_company_currency(charge["price"], charge["priceCurrency"], company)
        # The account does not return charges with the booking: ask the rate of the product.
        content = payload["content"]
        rate_payload = {
            "customerDetails": {
                kind: {
                    key: details["postalAddress"][key]
                    for key in ("postalCode", "cityName", "countryCode")
                }
                for kind, details in payload["customerDetails"].items()
            },
            "plannedShippingDateAndTime": payload["plannedShippingDateAndTime"],
            "unitOfMeasurement": "metric",
            "isCustomsDeclarable": content["isCustomsDeclarable"],
            "productCode": payload["productCode"],
            "packages": [
                {key: package[key] for key in ("weight", "dimensions") if key in package}
                for package in content["packages"]
            ],
        }
        try:
            rates = self._dhl_call("rates", rate_payload, retry=True)
        except UserError as error:
            _logger.warning("No DHL price for a booked shipment: %s", error)
            return 0.0
        product = next(
            (p for p in rates.products if p.product_code == payload["productCode"]),
            rates.cheapest(),
        )
        if product is None:
            return 0.0
        return self._dhl_to_company_currency(product.price, product.currency, company)

    def _dhl_shipper(self, picking):
        return picking.picking_type_id.warehouse_id.partner_id or picking.company_id.partner_id

    def _dhl_send_picking(self, picking):
        Booking = self.env["dhl.express.booking"].sudo()
        blocking = Booking._dhl_blocking(picking)
        if blocking:
            raise UserError(Booking._dhl_blocking_message(picking, blocking))
        company = picking.company_id
        shipper = self._dhl_shipper(picking)
        receiver = picking.partner_id
        declarable = self._dhl_is_customs_declarable(shipper, receiver)
        lines = self._dhl_customs_lines(picking, self._dhl_picking_lines(picking))
        problems = self._dhl_shipment_problems(picking, shipper, receiver, lines, declarable)
        if problems:
            raise UserError(
                _(
                    "DHL Express cannot book %(picking)s yet, nothing was sent to DHL:\n%(list)s",
                    picking=picking.name,
                    list="\n".join(f"- {problem}" for problem in problems),
                )
            )
        receiver_address, notes = self._dhl_check_address(
            receiver, self._dhl_rate_address(receiver)
        )
        moment = self._dhl_handover_moment(company)
        payload = self._dhl_prepare_shipment_vals(
            picking, shipper, receiver_address, lines, declarable, moment
        )
        result = self._dhl_book(picking, payload)
        if declarable and self.dhl_paperless_trade:
            notes = [
                *notes,
                _(
                    "Paperless trade: DHL sends the commercial invoice to customs "
                    "electronically; no paper copy needs to travel with the goods."
                ),
            ]
        self._dhl_attach_documents(picking, result, notes)
        picking.write(
            {
                "dhl_dispatch_confirmation_number": result.dispatch_confirmation_number or False,
                "dhl_tracking_status": "created",
                "dhl_planned_shipping_date": moment.date(),
            }
        )
        return {
            "exact_price": self._dhl_shipment_price(result, payload, company),
            "tracking_number": result.tracking_number,
        }

    def _dhl_book(self, picking, payload):
        """Send ``payload`` to DHL under a committed booking attempt: the one place a
        shipment is booked. Returns DHL's ``ShipmentResult``.

        Only plain reads of ``picking`` and the carrier happen here, besides the attempt's
        own transactions: two workers may run it at once, the attempts' unique index lets one
        through.
        """
        Booking = self.env["dhl.express.booking"].sudo()
        booking_id = Booking._dhl_start(picking, self)
        try:
            result = self._dhl_call("create_shipment", payload, expect=(dhl_request.DHLError,))
        except dhl_request.DHLError as error:
            if error.status and 400 <= error.status < 500:
                # DHL refused the request: nothing was booked, a corrected retry is safe.
                Booking._dhl_finish(booking_id, {"state": "refused", "note": error.detail})
                raise self._dhl_user_error(
                    error, intro=_("DHL refused the shipment of %(picking)s.", picking=picking.name)
                ) from error
            # No answer, or one we cannot read: DHL may have booked it. Keep the marker.
            Booking._dhl_finish(booking_id, {"note": error.detail})
            raise UserError(
                "\n".join(
                    [
                        error.user_message,
                        Booking.browse(booking_id)._dhl_unknown_outcome_message(picking.name),
                    ]
                    + ([_("DHL's detail: %(detail)s", detail=error.detail)] if error.detail else [])
                )
            ) from error
        Booking._dhl_finish(
            booking_id,
            {
                "state": "booked",
                "tracking_number": result.tracking_number,
                "dispatch_confirmation_number": result.dispatch_confirmation_number or False,
            },
        )
        return result

    def _dhl_attach_documents(self, picking, result, notes):
        attachments = []
        for document in result.documents:
            prefix = (
                self._get_delivery_label_prefix()
                if document.type_code == const.LABEL_DOCUMENT_TYPE
                else self._get_delivery_doc_prefix()
            )
            extension = (document.image_format or "pdf").lower()
            attachments.append(
                (
                    f"{prefix}-{document.type_code}-{result.tracking_number}.{extension}",
                    document.content,
                )
            )
        body = _(
            "Shipment booked with DHL Express, waybill %(number)s.", number=result.tracking_number
        )
        extra = list(notes) + [str(w) for w in result.warnings]
        if extra:
            body = Markup("%s<br/>%s") % (body, Markup("<br/>").join(extra))
        picking.message_post(body=body, attachments=attachments)

    def dhl_express_send_shipping(self, pickings):
        self.ensure_one()
        return [self._dhl_send_picking(picking) for picking in pickings]

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

    # -- documents again -------------------------------------------------------------------------

    def _dhl_download_documents(self, picking):
        """Fetch the shipment's documents again from DHL's archive (the waybill, and the
        commercial invoice of goods under customs) and attach them to the delivery."""
        numbers = picking._dhl_waybills()
        if not numbers:
            raise UserError(_("%(name)s has no DHL waybill.", name=picking.name))
        number = numbers[0]
        day = picking.dhl_planned_shipping_date or fields.Date.context_today(
            self, picking.date_done or None
        )
        type_codes = [const.WAYBILL_IMAGE_TYPE]
        if self._dhl_is_customs_declarable(self._dhl_shipper(picking), picking.partner_id):
            type_codes.append(const.INVOICE_IMAGE_TYPE)
        attachments = []
        for type_code in type_codes:
            try:
                documents = self._dhl_call(
                    "document_images",
                    number,
                    type_code,
                    f"{day:%Y-%m}",
                    retry=True,
                    expect=(dhl_request.DHLRequestError,),
                )
            except dhl_request.DHLRequestError as error:
                if error.status == 404:  # DHL keeps no such document of this shipment
                    continue
                raise self._dhl_user_error(error) from error
            prefix = (
                self._get_delivery_label_prefix()
                if type_code == const.WAYBILL_IMAGE_TYPE
                else self._get_delivery_doc_prefix()
            )
            for document in documents:
                extension = (document.image_format or "pdf").lower()
                attachments.append(
                    (f"{prefix}-{document.type_code}-{number}.{extension}", document.content)
                )
        if not attachments:
            raise UserError(
                _(
                    "DHL has no document of waybill %(number)s to download yet. Try again "
                    "later, or print it from MyDHL.",
                    number=number,
                )
            )
        picking.message_post(
            body=_("Documents of DHL waybill %(number)s downloaded again.", number=number),
            attachments=attachments,
        )
        return True

    # -- tracking -------------------------------------------------------------------------------

    def _dhl_refresh_tracking(self, picking):
        """Ask DHL where the shipment is; store the status, post a note when it changes."""
        numbers = picking._dhl_waybills()
        if not numbers:
            return False
        tracking = self._dhl_call("track", numbers[0], retry=True)
        status = tracking.status
        if status != picking.dhl_tracking_status:
            last = tracking.events[-1] if tracking.events else None
            label = dict(const.TRACKING_STATUSES).get(status, status)
            body = _("DHL Express: %(status)s", status=label)
            if last:
                body += f" ({last.date} {last.time} {last.description} {last.location})".rstrip()
            picking.message_post(body=body)
        delivered_now = status == "delivered" and picking.dhl_tracking_status != "delivered"
        picking.dhl_tracking_status = status
        if delivered_now:
            picking._dhl_on_delivered()
        return status
