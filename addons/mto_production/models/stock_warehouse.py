from odoo import _, models
from odoo.exceptions import UserError


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    def _mto_production_routes(self):
        """The warehouse's own "Replenish on Order (MTO)" and "Buy" routes, MTO activated."""
        routes = self.env["stock.route"]
        for warehouse in self:
            mto_route = warehouse.mto_pull_id.route_id
            if not mto_route:
                mto_route = self.env.ref("stock.route_warehouse0_mto", raise_if_not_found=False)
            buy_route = warehouse.buy_pull_id.route_id
            if not (mto_route and buy_route):
                raise UserError(
                    _(
                        "Warehouse %(warehouse)s has no make-to-order or buy route: made-to-order "
                        "lines cannot be ordered from manufacturers. Check its Buy setting.",
                        warehouse=warehouse.display_name,
                    )
                )
            if not mto_route.active:
                mto_route.sudo().action_unarchive()
            routes |= mto_route | buy_route
        return routes
