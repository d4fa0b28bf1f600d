from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError

MTO_STATES = [
    ("to_validate", "To Validate"),
    ("awaiting", "Awaiting Manufacturer"),
    ("accepted", "Accepted"),
    ("in_production", "In Production"),
    ("completed", "Completed"),
    ("declined", "Declined"),
    ("rework", "Rework"),
]


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    mto_state = fields.Selection(
        MTO_STATES,
        string="Production State",
        index=True,
        copy=False,
        readonly=True,
        tracking=True,
    )
    # Back office only: a sales order's display name (as the ORM computes it for a many2one,
    # as superuser) carries the customer's name; a manufacturer sees ``mto_customer_ref``.
    mto_sale_id = fields.Many2one(
        "sale.order",
        string="Made for",
        index="btree_not_null",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    mto_customer_ref = fields.Char(
        compute="_compute_mto_customer_ref",
        string="Customer Reference",
        help="The reference a manufacturer sees instead of the customer's contact details.",
    )
    mto_requested_date = fields.Datetime(string="Requested Delivery", copy=False, index=True)
    mto_expected_date = fields.Date(
        string="Expected Completion",
        tracking=True,
        copy=False,
        help="When the manufacturer expects the pieces to be finished.",
    )
    mto_is_late = fields.Boolean(compute="_compute_mto_is_late", search="_search_mto_is_late")
    mto_manager_note = fields.Html(
        string="Message for the Manufacturer",
        copy=False,
        help="Sent to the manufacturer with the order when it is validated.",
    )
    mto_decline_reason = fields.Text(string="Decline Reason", readonly=True, copy=False)
    mto_own_file_ids = fields.One2many(
        "mto.production.file", "purchase_id", string="Files for the Manufacturer"
    )
    mto_file_ids = fields.Many2many(
        "mto.production.file", compute="_compute_mto_file_ids", string="Production Files"
    )
    # The lines again, read-only, for the Production tab: a second ``order_line`` in the form
    # would make the editable one read-only for the form's clients (and Odoo's own tests).
    mto_specification_line_ids = fields.One2many(
        related="order_line", string="Specification Lines", readonly=True
    )
    mto_checklist = fields.Html(compute="_compute_mto_checklist", sanitize=False)
    mto_checklist_done = fields.Boolean(compute="_compute_mto_checklist")
    mto_piece_ids = fields.One2many("mto.piece", "purchase_id", string="Pieces")
    mto_piece_count = fields.Integer(compute="_compute_mto_piece_count")
    mto_change_request_ids = fields.One2many(
        "mto.change.request", "purchase_id", string="Change Requests"
    )
    mto_pending_change_count = fields.Integer(compute="_compute_mto_pending_change_count")

    @api.depends("mto_sale_id.name")
    def _compute_mto_customer_ref(self):
        # The reference is what the manufacturer may know of the sales order, so it is read
        # for whoever reads the purchase order (a portal user cannot read sales orders).
        for order in self:
            order.mto_customer_ref = order.sudo().mto_sale_id.name or False

    @api.depends("mto_requested_date", "mto_expected_date", "mto_state")
    def _compute_mto_is_late(self):
        now = fields.Datetime.now()
        for order in self:
            due = order.mto_requested_date
            order.mto_is_late = bool(
                due and due < now and order.mto_state not in (False, "completed")
            )

    def _search_mto_is_late(self, operator, value):
        late = [
            ("mto_requested_date", "<", fields.Datetime.now()),
            ("mto_state", "not in", (False, "completed")),
        ]
        positive = (operator == "=") == bool(value)
        if positive:
            return late
        return [
            "|",
            "|",
            ("mto_requested_date", "=", False),
            ("mto_requested_date", ">=", fields.Datetime.now()),
            ("mto_state", "in", (False, "completed")),
        ]

    @api.depends(
        "order_line.mto_sale_line_id.mto_file_ids",
        "mto_own_file_ids",
        "order_line.product_id.product_tmpl_id.mto_file_ids",
    )
    def _compute_mto_file_ids(self):
        for order in self:
            lines = order.order_line
            order.mto_file_ids = (
                lines.mto_sale_line_id.mto_file_ids
                | lines.product_id.product_tmpl_id.mto_file_ids
                | order.mto_own_file_ids
            )

    def _compute_mto_piece_count(self):
        for order in self:
            order.mto_piece_count = len(order.mto_piece_ids)

    @api.depends("mto_change_request_ids.state")
    def _compute_mto_pending_change_count(self):
        for order in self:
            order.mto_pending_change_count = len(
                order.mto_change_request_ids.filtered(lambda r: r.state == "pending")
            )

    # ------------------------------------------------------------------ checklist

    def _mto_checklist_items(self):
        """[(done, text)]: what a manager checks before the order goes to the manufacturer."""
        self.ensure_one()
        items = []
        partner = self.partner_id
        items.append(
            (
                partner.is_manufacturer,
                _("%(partner)s is a manufacturer", partner=partner.display_name),
            )
        )
        lines = self.order_line.filtered(lambda line: not line.display_type and line.product_qty)
        items.append((bool(lines), _("The order has at least one line to make")))
        files = self.mto_file_ids
        for line in lines:
            product = line.product_id
            sale_line = line.mto_sale_line_id
            given = {m.type_id: m.value for m in sale_line.mto_measurement_ids}
            for kind in product.categ_id.mto_measurement_type_ids.filtered("required"):
                items.append(
                    (
                        bool(given.get(kind)),
                        _(
                            "%(product)s: %(measure)s given",
                            product=product.display_name,
                            measure=kind.name,
                        ),
                    )
                )
            for custom in sale_line.product_custom_attribute_value_ids:
                items.append(
                    (
                        bool(custom.custom_value),
                        _(
                            "%(product)s: %(attribute)s specified",
                            product=product.display_name,
                            attribute=custom.custom_product_template_attribute_value_id.display_name,
                        ),
                    )
                )
            line_files = files.filtered(
                lambda f, line=line: (
                    f.purchase_id == self
                    or f.sale_line_id == line.mto_sale_line_id
                    or f.product_tmpl_id == line.product_id.product_tmpl_id
                )
            )
            for doc_type in product.categ_id.mto_document_type_ids:
                items.append(
                    (
                        doc_type in line_files.document_type_id,
                        _(
                            "%(product)s: %(document)s attached",
                            product=product.display_name,
                            document=doc_type.name,
                        ),
                    )
                )
        return items

    @api.depends(
        "partner_id.is_manufacturer",
        "order_line.product_qty",
        "mto_file_ids",
        "order_line.mto_sale_line_id.mto_measurement_ids.value",
        "order_line.mto_sale_line_id.product_custom_attribute_value_ids.custom_value",
    )
    def _compute_mto_checklist(self):
        for order in self:
            if not order.mto_state:
                order.mto_checklist = False
                order.mto_checklist_done = False
                continue
            items = order._mto_checklist_items()
            order.mto_checklist_done = all(done for done, _text in items)
            order.mto_checklist = Markup('<ul class="list-unstyled o_mto_checklist">%s</ul>') % (
                Markup("").join(
                    Markup('<li class="%s"><i class="fa %s"/> %s</li>')
                    % (
                        "text-success" if done else "text-danger",
                        "fa-check" if done else "fa-times",
                        escape(text),
                    )
                    for done, text in items
                )
            )

    def write(self, vals):
        if "origin" in vals and not self.env.context.get("mto_keep_origin"):
            # Procurement appends "<order> - <customer's reference>"; a manufacturer sees only
            # the order's number.
            for order in self.filtered("mto_sale_id"):
                super(PurchaseOrder, order.with_context(mto_keep_origin=True)).write(
                    dict(vals, origin=order.mto_sale_id.name)
                )
            others = self.filtered(lambda o: not o.mto_sale_id)
            return super(PurchaseOrder, others).write(vals) if others else True
        return super().write(vals)

    def action_view_mto_pieces(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("mto_production.action_mto_piece")
        action["domain"] = [("purchase_id", "=", self.id)]
        return action

    def action_print_mto_labels(self):
        self.ensure_one()
        if not self.mto_piece_ids:
            raise UserError(
                _(
                    "%(order)s has no piece codes yet: they are created when the "
                    "manufacturer accepts the order.",
                    order=self.name,
                )
            )
        return self.env.ref("mto_production.action_report_mto_piece_labels").report_action(self)
