# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from odoo.addons.queue_job.exception import RetryableJobError

from . import const, dhl_answers, dhl_payloads, dhl_utils

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
        """Hook: DHL confirmed the delivery. Nothing here; modules that act on it override it
        (``sms_twilio_dhl`` texts the customer)."""
        return True

    def action_dhl_refresh_tracking(self):
        for picking in self:
            if picking.delivery_type != "dhl_express" or not picking.carrier_tracking_ref:
                raise UserError(_("%(name)s has no DHL waybill to track.", name=picking.name))
            picking._dhl_refresh_tracking()
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
        return self._dhl_download_documents()

    @api.model
    def _cron_dhl_refresh_tracking(self, limit=50):
        """Queue one tracking job per shipment still on its way (the oldest first); a job
        already waiting for a shipment is not queued twice."""
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
            picking.with_delay(
                identity_key=f"dhl_refresh_tracking:{picking.id}",
                description=_("DHL tracking of %(name)s", name=picking.name),
            )._dhl_job_refresh_tracking()
        return pickings

    def _dhl_job_refresh_tracking(self):
        """The tracking job: DHL's temporary failures (timeout, 5xx, 429) are retried by the
        queue after DHL's ``Retry-After`` or the channel's backoff; others end the job."""
        self.ensure_one()
        if self.delivery_type != "dhl_express" or not self._dhl_waybills():
            return False
        try:
            return self._dhl_refresh_tracking(job=True)
        except dhl_answers.DHLTemporaryError as error:
            raise RetryableJobError(error.user_message, seconds=error.retry_after) from error

    # -- what leaves, for customs ----------------------------------------------------------------

    def _dhl_shipper(self):
        return self.picking_type_id.warehouse_id.partner_id or self.company_id.partner_id

    def _dhl_lines(self):
        """``[(move, product, quantity, unit price, currency)]`` of what leaves."""
        lines = []
        for move in self.move_ids.filtered(
            lambda m: m.state != "cancel" and m.product_id.type == "consu"
        ):
            quantity = move.quantity or move.product_uom_qty
            quantity = move.product_uom._compute_quantity(quantity, move.product_id.uom_id)
            sale_line = move.sale_line_id
            if sale_line:
                price, currency = sale_line.price_reduce_taxexcl, sale_line.currency_id
            else:
                price, currency = move.product_id.lst_price, self.company_id.currency_id
            lines.append((move, move.product_id, quantity, price, currency))
        return lines

    def _dhl_invoice(self):
        return self.sale_id.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        ).sorted("id")[:1]

    def _dhl_incoterm(self):
        return (
            self.sale_id.incoterm or self.company_id.incoterm_id or self.carrier_id.dhl_incoterm_id
        )

    def _dhl_customs_currency(self):
        """The one currency of the customs declaration: the invoice's, else the sales
        order's, else the company's."""
        return (
            self._dhl_invoice().currency_id
            or self.sale_id.currency_id
            or self.company_id.currency_id
        )

    def _dhl_customs_lines(self):
        """:meth:`_dhl_lines` with every unit price in the declaration's currency, converted
        at the invoice date where a line is priced in another one (a line without currency
        keeps none: :meth:`_dhl_shipment_problems` reports it)."""
        currency = self._dhl_customs_currency()
        day = self._dhl_invoice().invoice_date or fields.Date.context_today(self)
        converted = []
        for move, product, quantity, price, line_currency in self._dhl_lines():
            if line_currency and line_currency != currency:
                price = line_currency._convert(price, currency, self.company_id, day, round=False)
            converted.append((move, product, quantity, price, line_currency and currency))
        return converted

    def _dhl_place_of_incoterm(self, incoterm_code, receiver_address):
        """The place the incoterm names: the invoice's incoterm location, else the
        shipper's city for the E and F terms and the receiver's city for the others."""
        place = self._dhl_invoice().incoterm_location
        if not place:
            origin = incoterm_code in const.ORIGIN_INCOTERMS
            place = self._dhl_shipper().city if origin else receiver_address.get("cityName")
        return place or ""

    def _dhl_packages(self, lines):
        """DHL packages of the delivery: one per package put in pack (the move lines'
        ``result_package_id``); what is not in a package by the carrier's
        :meth:`~delivery.carrier._dhl_packages`."""
        carrier = self.carrier_id
        packed_lines = self.move_line_ids.filtered(
            lambda ml: ml.result_package_id and ml.product_id.type == "consu"
        )
        packages = []
        for package in packed_lines.result_package_id:
            weight = package.shipping_weight or package._get_weight(self.id)[package]
            package_type = package.package_type_id
            dims = (package_type.packaging_length, package_type.width, package_type.height)
            packages.append(
                dhl_payloads.package(
                    carrier._dhl_kg(weight),
                    [max(carrier._dhl_cm(d), 0.001) for d in dims] if all(dims) else None,
                    reference=package.name,
                )
            )
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
            packages += carrier._dhl_packages(unpacked)
        return packages

    def _dhl_goods_problems(self, product, quantity, price, currency, declarable):
        found = []
        if product._dhl_weight_kg() <= 0:
            found.append(_("no unit weight"))
        if not declarable:
            return found
        hs_code = dhl_payloads.hs_digits(product.hs_code)
        if not hs_code:
            found.append(_("no HS code"))
        elif not (
            hs_code.isdigit()
            and const.HS_CODE_MIN_DIGITS <= len(hs_code) <= const.HS_CODE_MAX_DIGITS
        ):
            found.append(_("HS code %(code)s is not 6 to 12 digits", code=product.hs_code))
        if not product.country_of_origin:
            found.append(_("no country of origin"))
        description = product._dhl_customs_description()
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
            found.append(_("quantity %(qty)s is not a whole number of pieces", qty=quantity))
        return found

    def _dhl_shipment_problems(self, lines, declarable):
        """Every reason DHL would refuse this shipment, checked before calling DHL."""
        problems = self._dhl_shipper()._dhl_party_problems(_("Exporter"))
        problems += self.partner_id._dhl_party_problems(_("Importer"))
        if not lines:
            problems.append(_("Nothing to ship: the delivery has no goods."))
        for number, (_move, product, quantity, price, currency) in enumerate(lines, 1):
            found = self._dhl_goods_problems(product, quantity, price, currency, declarable)
            if found:
                problems.append(
                    _(
                        "Line %(number)s (%(product)s): %(problems)s.",
                        number=number,
                        product=product.display_name,
                        problems=", ".join(found),
                    )
                )
        if not declarable:
            return problems
        invoice = self._dhl_invoice()
        if not invoice:
            problems.append(
                _("No posted customer invoice: the commercial invoice needs its number.")
            )
        elif len(invoice.name) > const.REFERENCE_MAX_LENGTH:
            problems.append(_("The invoice number %(name)s is too long.", name=invoice.name))
        incoterm = self._dhl_incoterm()
        if not incoterm:
            problems.append(_("No incoterm on the sales order, the company or the carrier."))
        elif incoterm.code not in const.INCOTERMS:
            problems.append(_("DHL does not accept the incoterm %(code)s.", code=incoterm.code))
        if self.carrier_id.dhl_paperless_trade:
            signatory = self.carrier_id._dhl_invoice_signatory()
            if not (signatory.function or "").strip():
                problems.append(
                    _(
                        "Paperless trade: the commercial invoice's signatory %(name)s has no "
                        "job position (DHL prints it under the signature). Set it on the "
                        "contact, or choose another signatory on the carrier.",
                        name=signatory.name,
                    )
                )
        return problems

    def _dhl_shipment_vals(self, receiver_address, lines, declarable, moment):
        """The ``POST /shipments`` body; ``lines`` are priced in the declaration's currency
        (see :meth:`_dhl_customs_lines`)."""
        carrier = self.carrier_id
        shipper, receiver = self._dhl_shipper(), self.partner_id
        goods = [product._dhl_goods(qty, price) for _m, product, qty, price, _c in lines]
        incoterm = (self._dhl_incoterm().code if declarable else None) or "DAP"
        declaration = None
        if declarable:
            invoice = self._dhl_invoice()
            signatory = carrier._dhl_invoice_signatory()
            declaration = dhl_payloads.export_declaration(
                goods,
                invoice.name,
                fields.Date.to_string(invoice.invoice_date or invoice.date),
                signatory.name or "",
                signatory.function or "",
                self._dhl_place_of_incoterm(incoterm, receiver_address),
            )
        return dhl_payloads.shipment_request(
            dhl_payloads.Shipment(
                planned=dhl_utils.format_planned_date(moment),
                product_code=carrier.dhl_product_code
                or ("P" if shipper.country_id != receiver.country_id else "N"),
                reference=self.name,
                shipper=shipper._dhl_party(),
                shipper_address=shipper._dhl_rate_address(),
                receiver=receiver._dhl_party(),
                receiver_address=receiver_address,
                packages=self._dhl_packages(lines),
                goods=goods,
                declarable=declarable,
                currency=self._dhl_customs_currency().name,
                incoterm=incoterm,
                pickup=carrier.dhl_request_pickup,
                paperless_trade=carrier.dhl_paperless_trade,
                export_declaration=declaration,
            )
        )

    # -- documents and tracking ------------------------------------------------------------------

    def _dhl_attachment(self, document, number, label):
        """``(name, content)`` of one of DHL's documents of waybill ``number``, named with
        the carrier's label prefix for a ``label``, its document prefix otherwise."""
        carrier = self.carrier_id
        prefix = (
            carrier._get_delivery_label_prefix() if label else carrier._get_delivery_doc_prefix()
        )
        extension = (document.image_format or "pdf").lower()
        return f"{prefix}-{document.type_code}-{number}.{extension}", document.content

    def _dhl_download_documents(self):
        """Fetch the shipment's documents again from DHL's archive (the waybill, and the
        commercial invoice of goods under customs) and attach them to the delivery."""
        self.ensure_one()
        carrier = self.carrier_id
        numbers = self._dhl_waybills()
        if not numbers:
            raise UserError(_("%(name)s has no DHL waybill.", name=self.name))
        number = numbers[0]
        day = self.dhl_planned_shipping_date or fields.Date.context_today(
            self, self.date_done or None
        )
        type_codes = [const.WAYBILL_IMAGE_TYPE]
        if carrier._dhl_is_customs_declarable(self._dhl_shipper(), self.partner_id):
            type_codes.append(const.INVOICE_IMAGE_TYPE)
        attachments = []
        for type_code in type_codes:
            try:
                documents = carrier._dhl_call(
                    "document_images",
                    number,
                    type_code,
                    f"{day:%Y-%m}",
                    retry=True,
                    expect=(dhl_answers.DHLRequestError,),
                )
            except dhl_answers.DHLRequestError as error:
                if error.status == 404:  # DHL keeps no such document of this shipment
                    continue
                raise carrier._dhl_user_error(error) from error
            label = type_code == const.WAYBILL_IMAGE_TYPE
            attachments += [self._dhl_attachment(doc, number, label) for doc in documents]
        if not attachments:
            raise UserError(
                _(
                    "DHL has no document of waybill %(number)s to download yet. Try again "
                    "later, or print it from MyDHL.",
                    number=number,
                )
            )
        self.message_post(
            body=_("Documents of DHL waybill %(number)s downloaded again.", number=number),
            attachments=attachments,
        )
        return True

    def _dhl_refresh_tracking(self, job=False):
        """Ask DHL where the shipment is; store the status, post a note when it changes.

        ``job``: in a queue job, a temporary failure is raised as it is (the queue retries
        it later) instead of being retried at once as in a user's click."""
        self.ensure_one()
        numbers = self._dhl_waybills()
        if not numbers:
            return False
        expect = (dhl_answers.DHLTemporaryError,) if job else ()
        tracking = self.carrier_id._dhl_call("track", numbers[0], retry=not job, expect=expect)
        status = tracking.status
        if status != self.dhl_tracking_status:
            last = tracking.events[-1] if tracking.events else None
            label = dict(const.TRACKING_STATUSES).get(status, status)
            body = _("DHL Express: %(status)s", status=label)
            if last:
                body += f" ({last.date} {last.time} {last.description} {last.location})".rstrip()
            self.message_post(body=body)
        delivered_now = status == "delivered" and self.dhl_tracking_status != "delivered"
        self.dhl_tracking_status = status
        if delivered_now:
            self._dhl_on_delivered()
        return status
