import contextlib
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.tools import float_compare

from .storefront_service import StorefrontError


# One model in three files on purpose: pricing, availability and the catalogue in
# storefront_service.py, configured pieces and checkout here, the client's account in
# storefront_service_account.py (each file under 500 lines).
class StorefrontService(models.AbstractModel):
    """What the storefront API does with a client's configured pieces and checkout: check
    and quote a line, the customer, shipping rates, the order and its payment."""

    _inherit = "storefront.service"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------ configured pieces

    @api.model
    def _storefront_check_line(self, partner, line):
        """The variant of a configured piece once checked exactly as the back office checks
        an order line (mto_production's own range check and messages); raises
        StorefrontError/ValidationError with what is wrong."""
        product = self.env["product.product"].sudo().browse(line["product_id"]).exists()
        if not product or not product._storefront_can_buy(partner):
            raise StorefrontError(
                _("No product variant %(id)s in the catalogue.", id=line["product_id"]), 404
            )
        kinds = {k.code: k for k in self._storefront_measurement_types(product)}
        given = {}
        for measurement in line.get("measurements") or []:
            kind = kinds.get(measurement["code"])
            if not kind:
                raise StorefrontError(
                    _(
                        "%(product)s has no measurement %(code)s: it takes %(codes)s.",
                        product=product.display_name,
                        code=measurement["code"],
                        codes=", ".join(kinds) or _("none"),
                    )
                )
            if kind.code in given:
                raise StorefrontError(_("%(measure)s is given twice.", measure=kind.name))
            kind._mto_check_value(measurement["value"], product)
            given[kind.code] = measurement["value"]
        # A made-to-order piece needs its required measurements; a stocked, customisable one
        # only once the client customises it (as the manufacturer's checklist asks).
        customised = product.mto_mode == "made_to_order" or bool(given)
        for kind in kinds.values():
            if customised and kind.required and kind.code not in given:
                raise StorefrontError(
                    _(
                        "%(product)s: %(measure)s is required (%(range)s).",
                        product=product.display_name,
                        measure=kind.name,
                        range=kind._format_range(),
                    )
                )
        template_values = product.product_tmpl_id.attribute_line_ids.product_template_value_ids
        no_variant = (
            self.env["product.template.attribute.value"]
            .sudo()
            .browse(line.get("attribute_value_ids") or [])
        )
        for ptav in no_variant:
            if ptav not in template_values or ptav.attribute_id.create_variant != "no_variant":
                raise StorefrontError(
                    _(
                        "Attribute value %(id)s is not an option of %(product)s.",
                        id=ptav.id,
                        product=product.display_name,
                    )
                )
        custom_ptavs = product.product_template_attribute_value_ids | no_variant
        for custom in line.get("custom_values") or []:
            ptav = custom_ptavs.filtered(lambda v, c=custom: v.id == c["attribute_value_id"])
            if not ptav or not ptav.is_custom:
                raise StorefrontError(
                    _(
                        "Attribute value %(id)s of %(product)s takes no written-in value: "
                        "choose the variant or option that does.",
                        id=custom["attribute_value_id"],
                        product=product.display_name,
                    )
                )
        return product, kinds, given, no_variant

    @api.model
    def _storefront_prepare_line_vals(self, partner, line):
        """Values of the sales order line of a configured piece (checked first)."""
        product, kinds, given, no_variant = self._storefront_check_line(partner, line)
        return {
            "product_id": product.id,
            "product_uom_qty": line.get("quantity") or 1,
            "product_no_variant_attribute_value_ids": [Command.set(no_variant.ids)],
            "product_custom_attribute_value_ids": [
                Command.create(
                    {
                        "custom_product_template_attribute_value_id": c["attribute_value_id"],
                        "custom_value": c["value"],
                    }
                )
                for c in line.get("custom_values") or []
            ],
            "mto_measurement_ids": [
                Command.create({"type_id": kinds[code].id, "value": value})
                for code, value in given.items()
            ],
        }

    @api.model
    def _storefront_order_in_memory(self, partner, pricing, lines):
        """The sales order the back office would make, computed without saving anything."""
        vals = [self._storefront_prepare_line_vals(partner, line) for line in lines]
        customer = pricing["partner"]
        return (
            self.env["sale.order"]
            .sudo()
            .new(
                {
                    "partner_id": customer.id or self.env.ref("base.public_partner").id,
                    "pricelist_id": pricing["pricelist"].id,
                    "fiscal_position_id": pricing["fiscal_position"].id,
                    "order_line": [Command.create(v) for v in vals],
                }
            )
        )

    @api.model
    def _storefront_quote(self, partner, pricing, line):
        order = self._storefront_order_in_memory(partner, pricing, [line])
        sale_line = order.order_line[:1]
        product = sale_line.product_id
        unit = sale_line.price_unit
        stock = self._storefront_availability(product)[product.id]
        needs_making = product.mto_mode == "made_to_order" or (
            bool(line.get("measurements") or line.get("custom_values"))
            and product.mto_mode == "customisable"
        )
        in_stock = stock["status"] == "in_stock" and not needs_making
        if (
            in_stock
            and product.is_storable
            and float_compare(stock["quantity"], line.get("quantity") or 1, precision_digits=3) < 0
        ):
            in_stock = False
        days = self._storefront_lead_time_days(product, in_stock)
        return {
            "product_id": product.id,
            "quantity": int(line.get("quantity") or 1),
            "unit_price": self._storefront_price(product, unit, pricing),
            "total": self._storefront_price(product, unit, pricing, sale_line.product_uom_qty),
            "made_to_order": not in_stock,
            "lead_time_days": days,
            "estimated_delivery": fields.Date.context_today(self) + timedelta(days=days),
            "required_documents": (
                self._storefront_documents(product.product_tmpl_id) if not in_stock else []
            ),
        }

    # ------------------------------------------------------------------ checkout

    @api.model
    def _storefront_prepare_partner_vals(self, address, parent=None):
        country = self._storefront_country(address["country"])
        vals = {
            "name": address["name"],
            "email": address["email"],
            "phone": address.get("phone") or False,
            "street": address["street"],
            "street2": address.get("street2") or False,
            "city": address["city"],
            "zip": address.get("zip") or False,
            "country_id": country.id,
        }
        if parent:
            vals.update(parent_id=parent.id, type="delivery")
        return vals

    @api.model
    def _storefront_customer(self, partner, body):
        """(customer, shipping partner) of a checkout: the signed-in client, or a new contact
        for a guest (never an existing one found by e-mail: that would let anyone order in
        another client's name and see their addresses)."""
        Partner = self.env["res.partner"].sudo()
        if partner:
            customer = partner.sudo()
        else:
            if not body.get("customer"):
                raise StorefrontError(_("A guest checkout needs the customer's name and address."))
            customer = Partner.create(self._storefront_prepare_partner_vals(body["customer"]))
        shipping = customer
        if body.get("shipping_address"):
            shipping = Partner.create(
                self._storefront_prepare_partner_vals(body["shipping_address"], parent=customer)
            )
        return customer, shipping

    @api.model
    def _storefront_carriers(self, order):
        return (
            self.env["delivery.carrier"]
            .sudo()
            .search([("company_id", "in", [order.company_id.id, False])])
            .available_carriers(order.partner_shipping_id, order)
        )

    @api.model
    def _storefront_rate(self, carrier, order):
        """A carrier's rate for ``order``, through Odoo's ``rate_shipment`` (the DHL
        connector for DHL Express): a provider failure is an unavailable rate, not an
        error of the request."""
        result = carrier.rate_shipment(order)
        return {
            "carrier_id": carrier.id,
            "name": carrier.name,
            "available": bool(result.get("success")),
            "price": order.currency_id.round(result.get("price") or 0.0),
            "currency": order.currency_id.name,
            "message": result.get("error_message") or result.get("warning_message") or None,
        }

    @api.model
    def _storefront_shipping_rates(self, partner, body):
        """Rates of every carrier for the cart, on an order made and rolled back at once."""
        with contextlib.closing(self.env.cr.savepoint()):  # closed = rolled back
            order = self._storefront_create_order(partner, body, name=_("Shipping estimate"))
            rates = [self._storefront_rate(c, order) for c in self._storefront_carriers(order)]
            self.env.flush_all()
        self.env.invalidate_all()
        return rates

    @api.model
    def _storefront_prepare_order_vals(self, partner, customer, shipping, body):
        """``partner``: the signed-in client, None for a guest (``customer`` is then the
        guest's new contact; what a guest may buy is what the public partner may)."""
        pricing = self._storefront_pricing(partner=customer)
        buyer = partner or self.env.ref("base.public_partner")
        return {
            "partner_id": customer.id,
            "partner_invoice_id": customer.id,
            "partner_shipping_id": shipping.id,
            "pricelist_id": pricing["pricelist"].id,
            "note": body.get("note") or False,
            "order_line": [
                Command.create(self._storefront_prepare_line_vals(buyer, line))
                for line in body["lines"]
            ],
        }

    @api.model
    def _storefront_create_order(self, partner, body, name=None):
        customer, shipping = self._storefront_customer(partner, body)
        vals = self._storefront_prepare_order_vals(partner, customer, shipping, body)
        if name:
            vals["name"] = name
        order = self.env["sale.order"].sudo().create(vals)
        return order

    @api.model
    def _storefront_stripe_provider(self, company):
        return (
            self.env["payment.provider"]
            .sudo()
            .search(
                [
                    ("code", "=", "stripe"),
                    ("state", "in", ("enabled", "test")),
                    ("company_id", "=", company.id),
                ],
                limit=1,
            )
        )

    @api.model
    def _storefront_prepare_transaction_vals(self, order, provider, amount):
        method = (
            provider.payment_method_ids.filtered(lambda m: m.code == "card")[:1]
            or (provider.payment_method_ids[:1])
        )
        return {
            "provider_id": provider.id,
            "payment_method_id": method.id,
            "reference": self.env["payment.transaction"]._compute_reference(
                provider.code, prefix=order.name
            ),
            "amount": amount,
            "currency_id": order.currency_id.id,
            "partner_id": order.partner_id.id,
            "operation": "online_direct",
            "tokenize": True,  # the balance is charged off-session later (with consent)
            "sale_order_ids": [Command.set(order.ids)],
        }

    @api.model
    def _storefront_payment(self, order, kind):
        """A Stripe PaymentIntent for the deposit (Odoo's prepayment amount of the order, one
        call: whoever owns the deposit share sets it there) or for the whole order."""
        provider = self._storefront_stripe_provider(order.company_id)
        if not provider:
            raise StorefrontError(_("Online payment is not available: no Stripe account."), 409)
        amount = (
            order._get_prepayment_required_amount() if kind == "deposit" else order.amount_total
        )
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .create(self._storefront_prepare_transaction_vals(order, provider, amount))
        )
        processing = tx._get_processing_values()
        return {
            "kind": kind,
            "amount": tx.amount,
            "currency": tx.currency_id.name,
            "provider": "stripe",
            "publishable_key": provider.stripe_publishable_key,
            "client_secret": processing["client_secret"],
            "reference": tx.reference,
        }

    @api.model
    def _storefront_checkout(self, partner, body):
        order = self._storefront_create_order(partner, body)
        shipping = None
        if body.get("carrier_id"):
            carrier = self._storefront_carriers(order).filtered(
                lambda c: c.id == body["carrier_id"]
            )
            if not carrier:
                raise StorefrontError(
                    _("Carrier %(id)s does not deliver this order.", id=body["carrier_id"])
                )
            shipping = self._storefront_rate(carrier, order)
            if not shipping["available"]:
                raise StorefrontError(
                    _(
                        "%(carrier)s cannot ship this order: %(why)s",
                        carrier=carrier.name,
                        why=shipping["message"] or "",
                    )
                )
            order.set_delivery_line(carrier, shipping["price"])
        payment = self._storefront_payment(order, body.get("payment") or "deposit")
        return {
            "reference": order.name,
            "access_token": order._portal_ensure_token(),
            "state": order.state,
            "currency": order.currency_id.name,
            "amount_untaxed": order.amount_untaxed,
            "amount_tax": order.amount_tax,
            "amount_total": order.amount_total,
            "shipping": shipping,
            "payment": payment,
        }
