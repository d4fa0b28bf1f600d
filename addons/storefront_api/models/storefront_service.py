from odoo import _, api, models
from odoo.exceptions import UserError

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
    answers with the fields it names, never a record, so nothing else leaves.

    One model in three files: pricing, availability and the catalogue here; configured pieces
    and checkout in storefront_service_order.py; the client's account in
    storefront_service_account.py."""

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
