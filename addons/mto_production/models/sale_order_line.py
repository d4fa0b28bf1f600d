from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

# Purchase order production states in which the manufacturer has not committed yet: the
# order can still be changed or withdrawn without asking it.
MTO_UNCOMMITTED = ("to_validate", "awaiting", "declined")


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    mto_mode = fields.Selection(related="product_id.mto_mode", string="Production Mode")
    mto_procurement = fields.Selection(
        [("manufacturer", "From the manufacturer"), ("stock", "From stock")],
        string="Supplied",
        readonly=True,
        copy=False,
        help="Decided when the order is paid (or released): made to order, customised or "
        "out-of-stock lines come from the manufacturer, the others from stock.",
    )
    mto_measurement_ids = fields.One2many(
        "mto.line.measurement", "sale_line_id", string="Measurements", copy=True
    )
    mto_workshop_note = fields.Text(
        string="Notes for the Workshop", help="Free notes passed on to the manufacturer."
    )
    mto_file_ids = fields.One2many("mto.production.file", "sale_line_id", string="Files")
    mto_purchase_line_ids = fields.One2many(
        "purchase.order.line", "mto_sale_line_id", string="Manufacturer Lines", readonly=True
    )
    mto_state = fields.Selection(
        related="mto_purchase_line_ids.order_id.mto_state", string="Production"
    )

    # ------------------------------------------------------------------ specification

    def _mto_is_customised(self):
        self.ensure_one()
        return bool(
            self.mto_measurement_ids.filtered("value")
            or self.product_custom_attribute_value_ids.filtered("custom_value")
        )

    def _mto_needs_production(self):
        """Whether this line must be ordered from the product's manufacturer."""
        self.ensure_one()
        mode = self.product_id.mto_mode
        if mode == "made_to_order":
            return True
        if mode != "customisable":
            return False
        if self._mto_is_customised():
            return True
        free = self.product_id.with_context(warehouse_id=self.warehouse_id.id).free_qty
        needed = self.product_uom._compute_quantity(self.product_uom_qty, self.product_id.uom_id)
        return float_compare(free, needed, precision_rounding=self.product_id.uom_id.rounding) < 0

    def _mto_specification_html(self):
        """The full specification, as the manufacturer reads it."""
        self.ensure_one()
        rows = [(_("Product"), self.product_id.display_name)]
        for ptav in self.product_no_variant_attribute_value_ids:
            rows.append((ptav.attribute_id.name, ptav.name))
        for custom in self.product_custom_attribute_value_ids:
            rows.append(
                (
                    custom.custom_product_template_attribute_value_id.display_name,
                    custom.custom_value or "",
                )
            )
        for measurement in self.mto_measurement_ids:
            rows.append(
                (measurement.type_id.name, f"{measurement.value:g} {measurement.uom_id.name}")
            )
        if self.mto_workshop_note:
            rows.append((_("Notes"), self.mto_workshop_note))
        date = self.order_id.commitment_date or self.order_id.expected_date
        if date:
            rows.append((_("Requested date"), fields.Date.to_string(date)))
        body = Markup("").join(
            Markup("<tr><th>%s</th><td>%s</td></tr>") % (escape(k), escape(v)) for k, v in rows
        )
        return Markup('<table class="table table-sm o_mto_specification">%s</table>') % body

    @api.onchange("product_id")
    def _onchange_product_id_mto_measurements(self):
        kinds = (
            self.product_id.categ_id.mto_measurement_type_ids
            if self.product_id.mto_mode
            else self.env["mto.measurement.type"]
        )
        existing = self.mto_measurement_ids.type_id
        if kinds != existing:
            self.mto_measurement_ids = [fields.Command.clear()] + [
                fields.Command.create({"type_id": kind.id}) for kind in kinds
            ]

    def _mto_add_missing_measurements(self):
        for line in self.filtered("product_id.mto_mode"):
            missing = (
                line.product_id.categ_id.mto_measurement_type_ids - line.mto_measurement_ids.type_id
            )
            if missing:
                line.mto_measurement_ids = [
                    fields.Command.create({"type_id": kind.id}) for kind in missing
                ]

    def action_mto_open_specification(self):
        """The line's specification for the manufacturer, in a dialog."""
        self.ensure_one()
        self._mto_add_missing_measurements()
        return {
            "type": "ir.actions.act_window",
            "name": _("Specification of %(product)s", product=self.product_id.display_name),
            "res_model": "sale.order.line",
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("mto_production.sale_order_line_view_form_mto_specification").id,
                    "form",
                )
            ],
            "target": "new",
        }

    # ------------------------------------------------------------------ procurement

    def _prepare_mto_purchase_line_vals(self):
        """Values a manufacturer's purchase line takes from the sales line it serves."""
        self.ensure_one()
        return {"mto_sale_line_id": self.id}

    def _mto_lock(self):
        """Serialise concurrent procurement of the same lines (payment twice, two users)."""
        if self.ids:
            self.env.cr.execute(
                "SELECT id FROM sale_order_line WHERE id IN %s FOR UPDATE", [tuple(self.ids)]
            )

    def _action_launch_stock_rule(self, previous_product_uom_qty=False):
        if self.env.context.get("skip_procurement"):
            return super()._action_launch_stock_rule(previous_product_uom_qty)
        lines = self.filtered(lambda line: line.state == "sale" and line.product_id.mto_mode)
        lines._mto_lock()
        lines.invalidate_recordset(["mto_procurement"])
        held = self.env["sale.order.line"]
        released = {}  # order -> whether it is paid (or released): asked once per order
        for line in lines:
            if line.mto_procurement == "manufacturer":
                if not line._mto_prepare_more_quantity():
                    held |= line
                continue
            if line.mto_procurement == "stock":
                continue
            if not line._mto_needs_production():
                line.mto_procurement = "stock"
                continue
            order = line.order_id
            if order not in released:
                released[order] = order._mto_is_released()
            if released[order]:
                line.mto_procurement = "manufacturer"
            else:
                held |= line  # procured once the order is paid, or released by a manager
        return super(SaleOrderLine, self - held)._action_launch_stock_rule(previous_product_uom_qty)

    def _mto_prepare_more_quantity(self):
        """A quantity change on a line already at its manufacturer: True if it may go through."""
        self.ensure_one()
        live = self.mto_purchase_line_ids.filtered(lambda pol: pol.state != "cancel")
        order = live.order_id
        if not order or order.mto_state == "to_validate":
            return True
        if order.mto_state in MTO_UNCOMMITTED:
            order._mto_back_to_validation(
                _("The quantity of %(product)s changed.", product=self.product_id.display_name)
            )
            return True
        self.env["mto.change.request"]._mto_request(
            live[:1],
            "quantity",
            _(
                "Quantity of %(product)s changed to %(qty)s.",
                product=self.product_id.display_name,
                qty=self.product_uom_qty,
            ),
        )
        return False

    def _prepare_procurement_values(self, group_id=False):
        values = super()._prepare_procurement_values(group_id=group_id)
        if self.mto_procurement == "manufacturer":
            values["route_ids"] = self.warehouse_id._mto_production_routes()
        return values

    # ------------------------------------------------------------------ changes after payment

    def _mto_on_specification_change(self, description):
        """A paid line's specification changed: back to validation, or ask the manufacturer."""
        for line in self:
            for pol in line.mto_purchase_line_ids.filtered(lambda p: p.state != "cancel"):
                order = pol.order_id
                if order.mto_state in MTO_UNCOMMITTED:
                    order._mto_back_to_validation(description)
                elif order.mto_state == "completed":
                    raise UserError(
                        _(
                            "%(product)s is already made (%(order)s): its specification can no "
                            "longer change. Create a new order line instead.",
                            product=line.product_id.display_name,
                            order=order.name,
                        )
                    )
                else:
                    self.env["mto.change.request"]._mto_request(pol, "specification", description)

    def write(self, vals):
        spec_fields = {
            "mto_workshop_note",
            "product_custom_attribute_value_ids",
            "product_no_variant_attribute_value_ids",
        }
        changed = spec_fields.intersection(vals)
        price_changed = {"price_unit", "discount", "product_uom_qty"}.intersection(vals)
        res = super().write(vals)
        if price_changed:
            self.order_id._mto_notify_price_difference()
        if changed and not self.env.context.get("mto_no_spec_tracking"):
            procured = self.filtered("mto_purchase_line_ids")
            for line in procured:
                line._mto_on_specification_change(
                    _(
                        "The specification of %(product)s changed (%(what)s).",
                        product=line.product_id.display_name,
                        what=", ".join(sorted(self._fields[f].string for f in changed)),
                    )
                )
        return res

    def _mto_cancel_production(self):
        """The customer withdrew these lines: withdraw them from the manufacturer too."""
        for line in self:
            for pol in line.mto_purchase_line_ids.filtered(lambda p: p.state != "cancel"):
                order = pol.order_id
                if order.mto_state in MTO_UNCOMMITTED:
                    order._mto_withdraw_lines(pol)
                else:
                    self.env["mto.change.request"]._mto_request(
                        pol,
                        "cancellation",
                        _(
                            "The customer cancelled %(product)s (%(sale)s) after the manufacturer "
                            "accepted it.",
                            product=line.product_id.display_name,
                            sale=line.order_id.name,
                        ),
                    )


class MtoLineMeasurement(models.Model):
    _inherit = "mto.line.measurement"

    def write(self, vals):
        res = super().write(vals)
        if "value" in vals:
            for sale_line in self.sale_line_id.filtered("mto_purchase_line_ids"):
                sale_line._mto_on_specification_change(
                    _(
                        "Measurements of %(product)s changed: %(values)s.",
                        product=sale_line.product_id.display_name,
                        values=", ".join(m._display_value() for m in sale_line.mto_measurement_ids),
                    )
                )
        return res
