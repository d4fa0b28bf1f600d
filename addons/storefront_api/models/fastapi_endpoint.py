from fastapi import APIRouter
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from odoo import api, fields, models

from .. import const


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    app = fields.Selection(
        selection_add=[("storefront", "Storefront API")], ondelete={"storefront": "cascade"}
    )
    storefront_cors_origins = fields.Text(
        "Allowed Origins",
        help="Web origins whose pages may call the API from a browser, one per line "
        "(e.g. https://shop.example.com). Empty: no browser page may.",
    )
    storefront_ip_rate_limit = fields.Integer(
        "Requests per Minute per Address",
        default=const.DEFAULT_IP_RATE_LIMIT,
        help="Requests one client address may make per minute (per server process).",
    )

    def _fastapi_app_fields(self):
        return [*super()._fastapi_app_fields(), "storefront_cors_origins"]

    def _storefront_cors_origins(self):
        self.ensure_one()
        return [
            line.strip().rstrip("/")
            for line in (self.storefront_cors_origins or "").splitlines()
            if line.strip()
        ]

    def _get_fastapi_routers(self) -> list[APIRouter]:
        if self.app != "storefront":
            return super()._get_fastapi_routers()
        from ..routers import account_router, catalogue_router, checkout_router

        return [catalogue_router, checkout_router, account_router]

    def _get_fastapi_app_middlewares(self):
        middlewares = super()._get_fastapi_app_middlewares()
        if self.app == "storefront":
            from ..routers.common import RefusalsAsInformation

            middlewares.append(Middleware(RefusalsAsInformation))
            middlewares.append(
                Middleware(
                    CORSMiddleware,
                    allow_origins=self._storefront_cors_origins(),
                    allow_methods=["GET", "POST"],
                    allow_headers=[
                        "Authorization",
                        "Content-Type",
                        "Idempotency-Key",
                        "If-None-Match",
                        "X-API-Key",
                        "Accept-Language",
                    ],
                    expose_headers=["ETag", "Retry-After"],
                    max_age=600,
                )
            )
        return middlewares

    @api.model
    def get_app(self, path):
        """The storefront's application through its own bridge: every failure reaches the
        dispatcher (see ``asgi.py``)."""
        app = super().get_app(path)
        if app is not None and self._get_endpoint(path).app == "storefront":
            from ..asgi import StorefrontASGIMiddleware

            return StorefrontASGIMiddleware(app.app)
        return app

    def _prepare_fastapi_app_params(self):
        params = super()._prepare_fastapi_app_params()
        if self.app == "storefront":
            params.update(version="1.0.0")
        return params
