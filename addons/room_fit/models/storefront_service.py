import dataclasses

from odoo import api, models

from odoo.addons.storefront_api.models.storefront_service import StorefrontError

from .. import solver

# Pieces read from the catalogue for one room: the most a request weighs.
MAX_CANDIDATES = 500


class StorefrontService(models.AbstractModel):
    _inherit = "storefront.service"

    @api.model
    def _room_fit_cm(self, kind, value):
        """``value`` of measurement ``kind`` in centimetres."""
        cm = self.env.ref("uom.product_uom_cm")
        if kind.uom_id == cm or kind.uom_id.category_id != cm.category_id:
            return value
        return kind.uom_id._compute_quantity(value, cm, round=False)

    @api.model
    def _room_fit_from_cm(self, kind, value):
        cm = self.env.ref("uom.product_uom_cm")
        if kind.uom_id == cm or kind.uom_id.category_id != cm.category_id:
            return value
        return cm._compute_quantity(value, kind.uom_id, round=False)

    @api.model
    def _room_fit_candidate_domain(self, partner, category_id=None):
        domain = self._storefront_product_domain(partner, category_id=category_id)
        return [
            *domain,
            "|",
            ("mto_mode", "=", "made_to_order"),
            "&",
            ("storefront_width", ">", 0),
            ("storefront_depth", ">", 0),
        ]

    @api.model
    def _room_fit_candidates(self, partner, category_id=None):
        """solver.Candidate of every piece the client may buy: one per variant of stocked
        pieces (in stock or not), one per made-to-order piece with its ranges."""
        templates = (
            self.env["product.template"]
            .sudo()
            .search(
                self._room_fit_candidate_domain(partner, category_id),
                limit=MAX_CANDIDATES,
                order="id",
            )
        )
        variants = templates.product_variant_ids
        stock = self._storefront_availability(variants)
        candidates = []
        for template in templates:
            if template.mto_mode == "made_to_order":
                candidate = self._room_fit_made_to_order(template)
                if candidate:
                    candidates.append(candidate)
                continue
            for variant in template.product_variant_ids:
                candidates.append(
                    solver.Candidate(
                        key=variant.id,
                        name=variant.display_name,
                        width=template.storefront_width,
                        depth=template.storefront_depth,
                        height=template.storefront_height,
                        in_stock=stock[variant.id]["status"] == "in_stock",
                    )
                )
        return candidates

    @api.model
    def _room_fit_made_to_order(self, template):
        variant = template.product_variant_id
        kinds = {k.code: k for k in self._storefront_measurement_types(variant)}
        ranges = {}
        for code in ("width", "depth", "height"):
            kind = kinds.get(code)
            if kind:
                ranges[code] = (
                    self._room_fit_cm(kind, kind.min_value),
                    self._room_fit_cm(kind, kind.max_value) if kind.max_value else 0.0,
                )
        nominal = {
            "width": template.storefront_width,
            "depth": template.storefront_depth,
            "height": template.storefront_height,
        }
        width_min, width_max = ranges.get("width", (nominal["width"], nominal["width"]))
        depth_min, depth_max = ranges.get("depth", (nominal["depth"], nominal["depth"]))
        width = nominal["width"] or width_min
        depth = nominal["depth"] or depth_min
        if not width or not depth:
            return None  # neither a size nor a range: nothing to place
        return solver.Candidate(
            key=variant.id,
            name=template.name,
            width=width,
            depth=depth,
            height=nominal["height"] or ranges.get("height", (0.0, 0.0))[0],
            made_to_order=True,
            width_min=width_min,
            width_max=width_max or 10000.0,
            depth_min=depth_min,
            depth_max=depth_max or 10000.0,
        )

    @api.model
    def _room_fit(self, partner, pricing, room, category_id=None, limit=20):
        candidates = self._room_fit_candidates(partner, category_id)
        try:
            results = solver.suggest(room, candidates)
        except solver.RoomError as error:
            raise StorefrontError(str(error)) from error
        fitting = [s for s in results if s.fits][:limit]
        rejected = [s for s in results if not s.fits][:limit]
        variants = self.env["product.product"].sudo().browse([s.key for s in fitting])
        prices = self._storefront_unit_prices(variants, pricing)
        suggestions = []
        for suggestion in fitting:
            variant = variants.browse(suggestion.key)
            measurements = []
            if suggestion.made_to_order:
                kinds = {k.code: k for k in self._storefront_measurement_types(variant)}
                for code in ("width", "depth"):
                    if code in kinds:
                        value = self._room_fit_from_cm(kinds[code], getattr(suggestion, code))
                        measurements.append({"code": code, "value": value})
            suggestions.append(
                {
                    "product_id": variant.product_tmpl_id.id,
                    "variant_id": variant.id,
                    "name": suggestion.name,
                    "made_to_order": suggestion.made_to_order,
                    "in_stock": suggestion.in_stock,
                    "size": {
                        "width": suggestion.width,
                        "depth": suggestion.depth,
                        "height": suggestion.height or None,
                    },
                    "measurements": measurements,
                    "placements": [dataclasses.asdict(p) for p in suggestion.placements],
                    "score": suggestion.score,
                    "reason": suggestion.reason,
                    "price": self._storefront_price(variant, prices.get(variant.id, 0.0), pricing),
                }
            )
        return {
            "suggestions": suggestions,
            "rejected": [
                {"variant_id": s.key, "name": s.name, "reason": s.reason} for s in rejected
            ],
        }
