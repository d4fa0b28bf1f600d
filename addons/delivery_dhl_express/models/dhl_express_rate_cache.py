# Copyright 2026 Furniture Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models


class DhlExpressRateCache(models.Model):
    """DHL's rate answers, reused for identical requests within the carrier's cache window.

    A table rather than ``ormcache``: the answer must be shared by every worker (a checkout
    and the back office usually run in different processes), expire after minutes (ormcache
    only empties on registry changes), and never hold stale prices across restarts or
    deployments. Keys are a SHA-256 of the carrier, the server and the request payload.
    """

    _name = "dhl.express.rate.cache"
    _description = "DHL Express Rate Cache"
    _log_access = False

    carrier_id = fields.Many2one("delivery.carrier", required=True, ondelete="cascade")
    key = fields.Char(required=True, index=True)
    expires_at = fields.Datetime(required=True, index=True)
    result = fields.Json()

    @api.model
    def _dhl_get(self, carrier, key):
        if carrier.dhl_rate_cache_minutes <= 0:
            return None
        entry = self.search_fetch(
            [
                ("carrier_id", "=", carrier.id),
                ("key", "=", key),
                ("expires_at", ">", fields.Datetime.now()),
            ],
            ["result"],
            order="id desc",
            limit=1,
        )
        return entry.result or None

    @api.model
    def _dhl_put(self, carrier, key, result):
        if carrier.dhl_rate_cache_minutes <= 0:
            return self
        expires_at = fields.Datetime.now() + timedelta(minutes=carrier.dhl_rate_cache_minutes)
        return self.create(
            {"carrier_id": carrier.id, "key": key, "expires_at": expires_at, "result": result}
        )

    @api.autovacuum
    def _gc_expired(self):
        self.search([("expires_at", "<=", fields.Datetime.now())]).unlink()
