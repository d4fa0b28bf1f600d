import contextlib
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from .. import const


class StorefrontError(UserError):
    """A request the API refuses (4xx), with the words a client can show; ``status`` is the
    HTTP status (422 unless said otherwise)."""

    def __init__(self, message, status=422):
        super().__init__(message)
        self.status = status


class StorefrontService(models.AbstractModel):
    """What the storefront API does, as small overridable methods; the routers only translate
    HTTP to these calls and their dicts to the response schemas.

    Runs as superuser on purpose (the API's callers are not Odoo users): every method
    answers with the fields it names, never a record, so nothing else leaves."""

    _name = "storefront.service"
    _description = "Storefront API Service"

    # ------------------------------------------------------------------ pricing context

    @api.model
    def _storefront_country(self, code):
        if not code:
            return self.env["res.country"]
        country = self.env["res.country"].sudo().search([("code", "=", code.upper())], limit=1)
        if not country:
            raise StorefrontError(_("Unknown country code %(code)s.", code=code))
        return country

    @api.model
    def _storefront_tax_display(self, country, partner):
        """How prices are shown: tax included for consumers in Europe (EU rules on price
        display), tax excluded elsewhere (the United States add sales tax at the till) and
        for companies."""
        europe = self.env.ref("base.europe", raise_if_not_found=False)
        if country and europe and country in europe.sudo().country_ids and not partner.is_company:
            return "tax_included"
        return "tax_excluded"

    @api.model
    def _storefront_pricing(self, partner=None, country_code=None):
        """Price list, taxes and display for a signed-in client (``partner``) or a guest in
        ``country_code``."""
        env = self.env(su=True)
        if partner:
            partner = partner.sudo()
            country = partner.country_id
            pricelist = partner.property_product_pricelist
            tax_partner = partner
        else:
            country = self._storefront_country(country_code)
            public = env.ref("base.public_partner")
            pricelist = (
                env["product.pricelist"]
                .with_context(country_code=country.code or False)
                ._get_partner_pricelist_multi([public.id])
                .get(public.id)
            )
            tax_partner = env["res.partner"].new({"country_id": country.id})
        company = env.company
        fiscal_position = env["account.fiscal.position"]._get_fiscal_position(tax_partner)
        return {
            "partner": tax_partner,
            "country": country,
            "pricelist": pricelist or env["product.pricelist"],
            "currency": (pricelist.currency_id if pricelist else company.currency_id),
            "company": company,
            "fiscal_position": fiscal_position,
            "tax_display": self._storefront_tax_display(country, tax_partner),
        }

    @api.model
    def _storefront_price(self, product, unit_price, pricing, quantity=1.0):
        """``Price`` of ``quantity`` of ``product`` at ``unit_price`` (price list currency)."""
        company = pricing["company"]
        taxes = product.sudo().taxes_id.filtered(lambda t: t.company_id == company)
        taxes = pricing["fiscal_position"].map_tax(taxes)
        currency = pricing["currency"]
        result = taxes.compute_all(
            unit_price, currency, quantity, product=product, partner=pricing["partner"]
        )
        untaxed, included = result["total_excluded"], result["total_included"]
        shown = included if pricing["tax_display"] == "tax_included" else untaxed
        return {
            "currency": currency.name,
            "amount": currency.round(shown),
            "amount_untaxed": currency.round(untaxed),
            "amount_tax_included": currency.round(included),
            "tax_display": pricing["tax_display"],
        }

    @api.model
    def _storefront_unit_prices(self, products, pricing):
        """{variant id: unit price from the price list}, in one computation."""
        pricelist = pricing["pricelist"]
        if not pricelist:
            return {p.id: p.lst_price for p in products}
        return pricelist._get_products_price(products, 1.0, currency=pricing["currency"])

    # ------------------------------------------------------------------ availability

    @api.model
    def _storefront_lead_time_days(self, product, in_stock):
        """Days until the piece leaves: the customer lead time, plus the manufacturer's
        delay when it must be made or ordered."""
        template = product.product_tmpl_id
        days = template.sale_delay or 0
        if not in_stock:
            days += max(template.seller_ids.mapped("delay") or [0])
        return int(days)

    @api.model
    def _storefront_availability(self, products):
        """{variant id: Availability dict}, stock read for the whole set at once."""
        products = products.sudo()
        warehouse = (
            self.env["stock.warehouse"]
            .sudo()
            .search([("company_id", "=", self.env.company.id)], limit=1)
        )
        free = {p.id: p.free_qty for p in products.with_context(warehouse_id=warehouse.id)}
        result = {}
        for product in products:
            qty = max(free.get(product.id, 0.0), 0.0)
            if product.mto_mode == "made_to_order":
                status, in_stock = "made_to_order", False
            elif qty > 0 or not product.is_storable:
                status, in_stock = "in_stock", True
            else:
                status, in_stock = "on_order", False
            result[product.id] = {
                "status": status,
                "quantity": qty if product.is_storable else 0.0,
                "lead_time_days": self._storefront_lead_time_days(product, in_stock),
            }
        return result

    # ------------------------------------------------------------------ catalogue

    @api.model
    def _storefront_product_domain(
        self, partner, category_id=None, collection_id=None, search=None
    ):
        domain = self.env["product.template"]._storefront_can_buy_domain(partner)
        if category_id:
            domain = [*domain, ("categ_id", "child_of", category_id)]
        if collection_id:
            domain = [*domain, ("product_tag_ids", "in", collection_id)]
        if search:
            domain = [*domain, "|", ("name", "ilike", search), ("default_code", "ilike", search)]
        return domain

    @api.model
    def _storefront_categories(self, partner):
        templates = self.env["product.template"].sudo()
        groups = templates._read_group(
            self._storefront_product_domain(partner), ["categ_id"], ["__count"]
        )
        categories = (
            self.env["product.category"].sudo().browse([categ.id for categ, _count in groups])
        )
        categories |= categories.parent_id  # the tree a storefront menu needs
        return [
            {"id": c.id, "name": c.name, "parent_id": c.parent_id.id or None}
            for c in categories.sorted("complete_name")
        ]

    @api.model
    def _storefront_collections(self, partner):
        """Collections, as Odoo's product tags of products the client may buy."""
        templates = (
            self.env["product.template"].sudo().search(self._storefront_product_domain(partner))
        )
        return [{"id": t.id, "name": t.name} for t in templates.product_tag_ids.sorted("name")]

    SORTS = {
        "name": "name asc, id asc",
        "-name": "name desc, id desc",
        "price": "list_price asc, id asc",
        "-price": "list_price desc, id desc",
        "newest": "create_date desc, id desc",
    }

    @api.model
    def _storefront_image_ids(self, model, ids):
        """Ids of ``model`` records that have an image, in one query."""
        if not ids:
            return set()
        rows = (
            self.env["ir.attachment"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", model),
                    ("res_field", "=", "image_1920"),
                    ("res_id", "in", ids),
                ],
                ["res_id"],
            )
        )
        return {res_id for (res_id,) in rows}

    @api.model
    def _storefront_image_url(self, record):
        return f"/web/image/{record._name}/{record.id}/image_1024"

    @api.model
    def _storefront_dimensions(self, template):
        """Outside dimensions in cm: the measurement ranges' minimum for made-to-order pieces
        without a nominal size."""
        dims = {
            "width": template.storefront_width or None,
            "depth": template.storefront_depth or None,
            "height": template.storefront_height or None,
        }
        return dims

    @api.model
    def _storefront_products(
        self,
        partner,
        pricing,
        *,
        category_id=None,
        collection_id=None,
        search=None,
        availability=None,
        sort="name",
        page=1,
        page_size=const.DEFAULT_PAGE_SIZE,
    ):
        Template = self.env["product.template"].sudo()
        domain = self._storefront_product_domain(partner, category_id, collection_id, search)
        if availability == "made_to_order":
            domain = [*domain, ("mto_mode", "=", "made_to_order")]
        elif availability == "stocked":
            domain = [*domain, ("mto_mode", "!=", "made_to_order")]
        total = Template.search_count(domain)
        templates = Template.search(
            domain, order=self.SORTS[sort], limit=page_size, offset=(page - 1) * page_size
        )
        return {
            "items": self._storefront_summaries(templates, pricing),
            "total": total,
            "page": page,
            "page_size": page_size,
        }

    @api.model
    def _storefront_summaries(self, templates, pricing):
        templates = templates.sudo()
        variants = templates.product_variant_id
        prices = self._storefront_unit_prices(variants, pricing)
        stock = self._storefront_availability(variants)
        images = self._storefront_image_ids("product.template", templates.ids)
        items = []
        for template in templates:
            variant = template.product_variant_id
            items.append(
                {
                    "id": template.id,
                    "name": template.name,
                    "category_id": template.categ_id.id or None,
                    "collection_ids": template.product_tag_ids.ids,
                    "made_to_order": template.mto_mode == "made_to_order",
                    "price": self._storefront_price(variant, prices.get(variant.id, 0.0), pricing),
                    "image_url": (
                        self._storefront_image_url(template) if template.id in images else None
                    ),
                    "dimensions": self._storefront_dimensions(template),
                    "availability": stock.get(variant.id)
                    or {"status": "on_order", "quantity": 0.0, "lead_time_days": 0},
                }
            )
        return items

    @api.model
    def _storefront_template(self, partner, template_id):
        template = self.env["product.template"].sudo().browse(template_id).exists()
        if not template or not template._storefront_can_buy(partner):
            raise StorefrontError(_("No product %(id)s in the catalogue.", id=template_id), 404)
        return template

    @api.model
    def _storefront_measurement_types(self, product):
        if not product.mto_mode:
            return self.env["mto.measurement.type"]
        return product.categ_id.sudo().mto_measurement_type_ids

    @api.model
    def _storefront_product_detail(self, partner, pricing, template_id):
        template = self._storefront_template(partner, template_id)
        (summary,) = self._storefront_summaries(template, pricing)
        variants = template.product_variant_ids
        prices = self._storefront_unit_prices(variants, pricing)
        stock = self._storefront_availability(variants)
        images = self._storefront_image_ids("product.product", variants.ids)
        attributes, customs = [], []
        for line in template.attribute_line_ids:
            values = []
            for ptav in line.product_template_value_ids.filtered("ptav_active"):
                values.append(
                    {
                        "id": ptav.id,
                        "name": ptav.name,
                        "price_extra": ptav.price_extra,
                        "is_custom": ptav.is_custom,
                    }
                )
                if ptav.is_custom:
                    customs.append(
                        {
                            "attribute_value_id": ptav.id,
                            "attribute": line.attribute_id.name,
                            "name": ptav.name,
                        }
                    )
            attributes.append(
                {
                    "id": line.attribute_id.id,
                    "name": line.attribute_id.name,
                    "creates_variants": line.attribute_id.create_variant != "no_variant",
                    "values": values,
                }
            )
        return {
            **summary,
            "description": template.description_sale or None,
            "variants": [
                {
                    "id": v.id,
                    "name": v.display_name,
                    "sku": v.default_code or None,
                    "attribute_value_ids": v.product_template_attribute_value_ids.ids,
                    "price": self._storefront_price(v, prices.get(v.id, 0.0), pricing),
                    "image_url": self._storefront_image_url(v) if v.id in images else None,
                    "availability": stock[v.id],
                }
                for v in variants
            ],
            "attributes": attributes,
            "measurements": [
                {
                    "code": kind.code,
                    "name": kind.name,
                    "unit": kind.uom_id.name,
                    "min": kind.min_value,
                    "max": kind.max_value or None,
                    "required": kind.required,
                }
                for kind in self._storefront_measurement_types(template.product_variant_id)
            ],
            "custom_values": customs,
            "required_documents": self._storefront_documents(template),
        }

    @api.model
    def _storefront_documents(self, template):
        if not template.mto_mode:
            return []
        return [
            {"code": doc.code, "name": doc.name, "description": doc.description or None}
            for doc in template.categ_id.sudo().mto_document_type_ids
        ]

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
