# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json
import logging

from odoo import _, fields, models
from odoo.exceptions import UserError

from . import const, dhl_answers, dhl_payloads, dhl_utils

_logger = logging.getLogger(__name__)


# One model in two files on purpose: the carrier's contract and client in delivery_carrier.py,
# its rates here (each file under 500 lines).
class DeliveryCarrier(models.Model):
    """DHL Express rates of ``delivery.carrier``: the rate cache, the address check, the next
    days' rates, landed cost.

    Every DHL answer used to price is kept in ``dhl.express.rate.cache`` for the carrier's cache
    window, keyed by a hash of the request: a repeated rate (a checkout reloaded, the back
    office opening the same order) reads one row and calls nothing.
    """

    _inherit = "delivery.carrier"  # pylint: disable=consider-merging-classes-inherited

    def _dhl_check_address(self, partner, address):
        """Check ``address`` (DHL keys) with ``address-validate``; never blocks.

        Returns ``(address, notes)``: the address to send (DHL's spelling when it proposes a
        close match) and notes for the user (a suggestion, an unknown place, an outage). DHL's
        answer is kept for the rate cache window: an address checked a moment ago is not
        checked again.
        """
        internal = self.env.user._is_internal()
        Cache = self.env["dhl.express.rate.cache"].sudo()
        key = self._dhl_cache_key({"address-validate": address})
        known = Cache._dhl_get(self, key)
        if known is None:
            try:
                validation = self._dhl_call(
                    "validate_address",
                    address["countryCode"],
                    address.get("postalCode") or None,
                    address.get("cityName") or None,
                    retry=True,
                    expect=(dhl_answers.DHLError,),
                )
            except dhl_answers.DHLError as error:
                _logger.warning("DHL address check of %s failed: %s", partner.display_name, error)
                note = _("DHL could not check the address right now; going on without the check.")
                if internal and error.detail:
                    note += " " + _("DHL's detail: %(detail)s", detail=error.detail)
                return address, [note]
            known = {
                "places": [
                    {
                        "country_code": place.country_code,
                        "postal_code": place.postal_code,
                        "city_name": place.city_name,
                    }
                    for place in validation.addresses
                ]
            }
            Cache._dhl_put(self, key, known)
        return self._dhl_address_outcome(partner, address, known["places"], internal)

    def _dhl_address_outcome(self, partner, address, known, internal):
        """The address to send and the notes, from the places DHL knows (``known``:
        ``[{"country_code", "postal_code", "city_name"}]``, best first)."""
        shown = f"{address.get('postalCode', '')} {address.get('cityName', '')}".strip()
        best = dhl_answers.AddressValidation(
            [dhl_answers.AddressSuggestion(**place) for place in known], []
        ).best_match(address)
        if best is None:
            if known:
                other = known[0]
                return address, [
                    _(
                        "DHL does not recognise %(ours)s as written (it knows %(theirs)s): "
                        "please check the delivery address.",
                        ours=shown,
                        theirs=f"{other['postal_code']} {other['city_name']}".strip(),
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

    # -- rates ----------------------------------------------------------------------------------

    def _dhl_cache_key(self, payload):
        config = self.sudo()
        material = {
            "carrier": self.id,
            "server": self.prod_environment or config.dhl_api_base_url or "",
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
                    "rates", payload, retry=True, expect=(dhl_answers.DHLNoProductError,)
                )
            except dhl_answers.DHLNoProductError as error:
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
        """Price of shipping ``lines``: ``{"price", "message", "planned", "product_code"}``.

        The cache is asked before anything costly: its key holds what the request is made of
        (the carrier's settings in :meth:`_dhl_cache_key`) and the hour it is asked in (the
        hand-over moment only moves with the hour), so a hit reads one row.
        """
        packages = self._dhl_packages([(product, qty) for product, qty, _price in lines])
        shipper_address = shipper._dhl_rate_address()
        receiver_address = receiver._dhl_rate_address()
        hour = self._dhl_now().replace(minute=0, second=0, microsecond=0)
        request = [
            shipper_address,
            receiver_address,
            packages,
            value,
            currency.name,
            self.dhl_product_code,
        ]
        key = self._dhl_cache_key({"rates": request, "hour": hour.isoformat()})
        Cache = self.env["dhl.express.rate.cache"].sudo()
        cached = Cache._dhl_get(self, key)
        if cached:
            return cached
        declarable = self._dhl_is_customs_declarable(shipper, receiver)
        payload = dhl_payloads.rate_request(
            shipper_address,
            receiver_address,
            packages,
            declarable,
            value,
            currency.name,
            self.dhl_product_code,
        )
        first_moment = self._dhl_handover_moment(company)
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
        landed_payload = dhl_payloads.landed_cost_request(
            payload["customerDetails"],
            product_code,
            currency.name,
            payload["packages"],
            [product._dhl_goods(qty, price) for product, qty, price in lines],
        )
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
        try:
            rates = self._dhl_call(
                "rates", dhl_payloads.rate_request_of_shipment(payload), retry=True
            )
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
