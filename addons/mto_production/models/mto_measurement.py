from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, float_repr


class MtoMeasurementType(models.Model):
    """A measurement a product category asks for on each order line (width, depth, ...)."""

    _name = "mto.measurement.type"
    _description = "Measurement Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", required=True, ondelete="cascade"
    )
    uom_id = fields.Many2one("uom.uom", string="Unit", required=True)
    min_value = fields.Float(string="Minimum", digits="Product Unit of Measure")
    max_value = fields.Float(string="Maximum", digits="Product Unit of Measure")
    required = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "code_categ_unique",
            "unique(categ_id, code)",
            "A measurement code must be unique within its product category.",
        ),
        (
            "range_check",
            "CHECK(max_value = 0 OR max_value >= min_value)",
            "A measurement's maximum cannot be below its minimum.",
        ),
    ]

    def _mto_check_value(self, value, product):
        """Raise the back office's ValidationError when ``value`` (in this measurement's
        unit) is out of range for ``product``; callers outside an order line (a quote
        through the API) get the same check and the same message."""
        self.ensure_one()
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        too_small = float_compare(value, self.min_value, precision) < 0
        too_big = self.max_value and float_compare(value, self.max_value, precision) > 0
        if too_small or too_big:
            raise ValidationError(
                _(
                    "%(measure)s of %(product)s is %(value)s %(unit)s: it must be %(range)s.",
                    measure=self.name,
                    product=product.display_name,
                    value=float_repr(value, precision),
                    unit=self.uom_id.name,
                    range=self._format_range(),
                )
            )

    def _format_range(self):
        self.ensure_one()
        unit = self.uom_id.name
        if self.max_value:
            return _(
                "%(min)s to %(max)s %(unit)s", min=self.min_value, max=self.max_value, unit=unit
            )
        return _("at least %(min)s %(unit)s", min=self.min_value, unit=unit)


class MtoLineMeasurement(models.Model):
    """One measurement of a customised sales order line."""

    _name = "mto.line.measurement"
    _description = "Order Line Measurement"
    _order = "sequence, id"

    sale_line_id = fields.Many2one("sale.order.line", required=True, ondelete="cascade", index=True)
    type_id = fields.Many2one("mto.measurement.type", string="Measurement", required=True)
    sequence = fields.Integer(related="type_id.sequence", store=True)
    value = fields.Float(digits="Product Unit of Measure")
    uom_id = fields.Many2one(related="type_id.uom_id", string="Unit")
    required = fields.Boolean(related="type_id.required")

    _sql_constraints = [
        (
            "type_line_unique",
            "unique(sale_line_id, type_id)",
            "Each measurement is given once per order line.",
        ),
    ]

    @api.constrains("value", "type_id")
    def _check_value_range(self):
        for measurement in self:
            if not measurement.value:
                continue  # not given yet: the purchase order checklist asks for it
            measurement.type_id._mto_check_value(
                measurement.value, measurement.sale_line_id.product_id
            )

    def _display_value(self):
        self.ensure_one()
        return f"{self.type_id.name}: {self.value:g} {self.uom_id.name}"
