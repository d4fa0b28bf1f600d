from odoo import models


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    def _get_fastapi_routers(self):
        routers = super()._get_fastapi_routers()
        if self.app == "storefront":
            from ..routers.room_fit import room_fit_router

            routers.append(room_fit_router)
        return routers
