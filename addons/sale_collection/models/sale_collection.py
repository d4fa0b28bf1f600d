from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date


class SaleCollection(models.Model):
    """A collection of products (or of whole product categories), sold to everyone or only
    to chosen clients and client tiers, possibly as a limited edition: between two dates
    and up to a number of pieces."""

    _name = "sale.collection"
    _description = "Collection"
    _order = "date_start desc, name, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    description = fields.Text(translate=True)
    product_tmpl_ids = fields.Many2many(
        "product.template",
        "sale_collection_product_template_rel",
        string="Products",
    )
    product_categ_ids = fields.Many2many(
        "product.category",
        "sale_collection_product_category_rel",
        string="Product Categories",
        help="Every product of these categories (and of their subcategories) is in the collection.",
    )
    access = fields.Selection(
        [("open", "Open to all clients"), ("restricted", "Restricted")],
        required=True,
        default="restricted",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "sale_collection_partner_rel",
        string="Clients",
        help="Clients who may buy the collection (with their contacts).",
    )
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        "sale_collection_partner_category_rel",
        string="Client Tiers",
        help="Clients carrying one of these tags (on the client itself, not only on one of "
        "its contacts) may buy the collection.",
    )
    date_start = fields.Date(string="Available From")
    date_end = fields.Date(string="Available Until")
    quantity_cap = fields.Integer(
        string="Pieces in the Edition",
        help="At most this many pieces are sold (confirmed orders), 0 for no limit.",
    )
    quantity_sold = fields.Float(
        string="Pieces Sold", compute="_compute_quantities", digits="Product Unit of Measure"
    )
    quantity_remaining = fields.Float(
        string="Pieces Left", compute="_compute_quantities", digits="Product Unit of Measure"
    )
    last_sale_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="When an order of the collection was last confirmed.",
    )
    allowed_partner_ids = fields.Many2many(
        "res.partner",
        compute="_compute_allowed_partner_ids",
        string="Clients Who May Buy",
    )
    allowed_partner_count = fields.Integer(compute="_compute_allowed_partner_ids")
    availability = fields.Char(compute="_compute_availability")

    _sql_constraints = [
        ("quantity_cap_positive", "CHECK(quantity_cap >= 0)", "The edition cannot be negative."),
    ]

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for collection in self:
            start, end = collection.date_start, collection.date_end
            if start and end and end < start:
                raise ValidationError(
                    _("%s cannot close before it opens.", collection.display_name)
                )

    # ------------------------------------------------------------------ computes

    def _compute_quantities(self):
        for collection in self:
            sold = collection._get_quantity_sold()
            collection.quantity_sold = sold
            collection.quantity_remaining = (
                max(collection.quantity_cap - sold, 0) if collection.quantity_cap else 0
            )

    @api.depends("access", "partner_ids", "partner_category_ids")
    def _compute_allowed_partner_ids(self):
        for collection in self:
            if collection.access == "open":
                partners = self.env["res.partner"]
            else:
                partners = self.env["res.partner"].search(collection._allowed_partner_domain())
            collection.allowed_partner_ids = partners
            collection.allowed_partner_count = len(partners)

    @api.depends("access", "date_start", "date_end", "quantity_cap")
    def _compute_availability(self):
        for collection in self:
            try:
                collection._ensure_edition(1 if collection.quantity_cap else 0)
                collection.availability = _("Open")
            except UserError as error:
                collection.availability = error.args[0]

    def _allowed_partner_domain(self):
        """The clients (commercial entities) who may buy this restricted collection."""
        self.ensure_one()
        return [
            "|",
            ("id", "in", self.partner_ids.commercial_partner_id.ids),
            "&",
            ("category_id", "in", self.partner_category_ids.ids),
            "|",
            ("is_company", "=", True),
            ("parent_id", "=", False),
        ]

    def _get_order_lines_domain(self):
        self.ensure_one()
        return [
            ("state", "=", "sale"),
            "|",
            ("product_id.product_tmpl_id", "in", self.product_tmpl_ids.ids),
            ("product_id.categ_id", "child_of", self.product_categ_ids.ids),
        ]

    def _get_quantity_sold(self, exclude_orders=None):
        """Pieces on confirmed orders (in each line's product unit), `exclude_orders` aside."""
        self.ensure_one()
        if not self.id:
            return 0.0
        domain = self._get_order_lines_domain()
        if exclude_orders:
            domain.append(("order_id", "not in", exclude_orders.ids))
        lines = self.env["sale.order.line"].sudo().search(domain)
        return sum(
            line.product_uom._compute_quantity(line.product_uom_qty, line.product_id.uom_id)
            for line in lines
        )

    # ------------------------------------------------------------------ rules

    def _covers(self, product):
        self.ensure_one()
        return product.product_tmpl_id in self.product_tmpl_ids or bool(
            self.product_categ_ids
            and product.categ_id.filtered_domain([("id", "child_of", self.product_categ_ids.ids)])
        )

    def _is_client(self, partner):
        self.ensure_one()
        if self.access == "open":
            return True
        client = partner.commercial_partner_id
        return bool(
            client in self.partner_ids.commercial_partner_id
            or partner in self.partner_ids
            or client.category_id & self.partner_category_ids
        )

    def _ensure_edition(self, quantity, exclude_orders=None, today=None):
        """Raise why `quantity` more pieces cannot be sold now, whoever the client."""
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        if self.date_start and today < self.date_start:
            raise UserError(
                _(
                    "%(collection)s is not open yet: it opens on %(date)s.",
                    collection=self.name,
                    date=format_date(self.env, self.date_start),
                )
            )
        if self.date_end and today > self.date_end:
            raise UserError(
                _(
                    "%(collection)s is closed: it closed on %(date)s.",
                    collection=self.name,
                    date=format_date(self.env, self.date_end),
                )
            )
        if self.quantity_cap and quantity:
            left = max(self.quantity_cap - self._get_quantity_sold(exclude_orders), 0)
            if quantity > left:
                if not left:
                    raise UserError(
                        _(
                            "%(collection)s is sold out: its %(cap)s pieces are sold.",
                            collection=self.name,
                            cap=self.quantity_cap,
                        )
                    )
                raise UserError(
                    _(
                        "Only %(left)s pieces of %(collection)s are left (%(asked)s asked).",
                        left=f"{left:g}",
                        collection=self.name,
                        asked=f"{quantity:g}",
                    )
                )

    def _ensure_client(self, partner, product, quantity=0, exclude_orders=None, client_only=False):
        """Raise a UserError saying why `partner` cannot buy `quantity` pieces of `product`
        of this collection. A quantity of 0 checks the client and the dates only;
        `client_only` the client alone."""
        for collection in self:
            if not collection._is_client(partner):
                raise UserError(
                    _(
                        "%(product)s belongs to %(collection)s, reserved to chosen clients: "
                        "%(client)s is not in the collection.",
                        product=product.display_name,
                        collection=collection.name,
                        client=partner.commercial_partner_id.display_name or _("this client"),
                    )
                )
            if not client_only:
                collection._ensure_edition(quantity, exclude_orders=exclude_orders)

    @api.model
    def _get_for_products(self, products):
        """{product: collections} of the active collections covering each product."""
        products = products.sudo()
        result = {product: self.browse() for product in products}
        if not products:
            return result
        categories = products.categ_id
        ancestor_ids = {
            int(i) for path in categories.mapped("parent_path") for i in path.split("/") if i
        }
        collections = self.sudo().search(
            [
                ("company_id", "in", [False, *self.env.companies.ids]),
                "|",
                ("product_tmpl_ids", "in", products.product_tmpl_id.ids),
                ("product_categ_ids", "in", list(ancestor_ids)),
            ]
        )
        for product in products:
            result[product] = collections.filtered(lambda c, p=product: c._covers(p))
        return result

    def _lock_for_sale(self):
        """Serialise confirmations of the same edition: the second of two concurrent
        confirmations waits for the first, then fails to serialise (its snapshot misses the
        pieces just sold) and is retried, as Odoo retries a request, seeing them."""
        if not self.ids:
            return
        self.env.cr.execute(
            SQL(
                "SELECT id FROM sale_collection WHERE id IN %s FOR UPDATE",
                tuple(self.ids),
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE sale_collection SET last_sale_date = now() at time zone 'UTC' "
                "WHERE id IN %s",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["last_sale_date"])
        self._invalidate_quantities()

    @api.model
    def _invalidate_quantities(self):
        """The pieces sold are computed from the order lines, without dependencies: forget
        them when an order of a collection is confirmed or cancelled."""
        self.invalidate_model(["quantity_sold", "quantity_remaining", "availability"])

    # ------------------------------------------------------------------ actions

    def action_view_allowed_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Clients Who May Buy %s", self.name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": self._allowed_partner_domain() if self.access == "restricted" else [],
            "context": {"create": False},
        }

    def action_view_order_lines(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Pieces Sold of %s", self.name),
            "res_model": "sale.order.line",
            "view_mode": "list",
            "domain": self._get_order_lines_domain(),
            "context": {"create": False},
        }
