import secrets
from datetime import timedelta

from odoo import api, fields, models

from .. import const
from .storefront_api_key import hash_secret


class StorefrontClientToken(models.Model):
    """A signed-in client's token for one application: short-lived access tokens, and
    refresh tokens that are used once (each refresh revokes the one it used). Only hashes
    are stored."""

    _name = "storefront.client.token"
    _description = "Storefront Client Token"
    _order = "id desc"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    api_key_id = fields.Many2one(
        "storefront.api.key", required=True, ondelete="cascade", index=True
    )
    kind = fields.Selection([("access", "Access"), ("refresh", "Refresh")], required=True)
    token_hash = fields.Char(required=True, index=True, groups="base.group_system")
    expires_at = fields.Datetime(required=True, index=True)
    revoked = fields.Boolean()

    _sql_constraints = [("token_hash_unique", "unique(token_hash)", "Tokens are unique.")]

    @api.model
    def _storefront_issue(self, partner, api_key):
        """A new access and refresh token pair for ``partner`` through ``api_key``."""
        now = fields.Datetime.now()
        raw = {kind: f"{kind[:3]}_{secrets.token_urlsafe(32)}" for kind in ("access", "refresh")}
        self.sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "api_key_id": api_key.id,
                    "kind": kind,
                    "token_hash": hash_secret(raw[kind]),
                    "expires_at": now + timedelta(seconds=ttl),
                }
                for kind, ttl in (
                    ("access", const.ACCESS_TOKEN_TTL),
                    ("refresh", const.REFRESH_TOKEN_TTL),
                )
            ]
        )
        return {
            "access_token": raw["access"],
            "refresh_token": raw["refresh"],
            "token_type": "bearer",
            "expires_in": const.ACCESS_TOKEN_TTL,
        }

    @api.model
    def _storefront_find(self, raw, kind, api_key):
        """The live token ``raw`` of ``kind`` issued through ``api_key``, or empty: a token
        never works through another application's key."""
        if not raw:
            return self.browse()
        return self.sudo().search(
            [
                ("token_hash", "=", hash_secret(raw)),
                ("kind", "=", kind),
                ("api_key_id", "=", api_key.id),
                ("revoked", "=", False),
                ("expires_at", ">", fields.Datetime.now()),
            ],
            limit=1,
        )

    @api.model
    def _storefront_refresh(self, raw_refresh, api_key):
        token = self._storefront_find(raw_refresh, "refresh", api_key)
        if not token:
            return None
        token.revoked = True
        return self._storefront_issue(token.partner_id, api_key)

    @api.model
    def _storefront_revoke_partner(self, partner, api_key):
        self.sudo().search(
            [("partner_id", "=", partner.id), ("api_key_id", "=", api_key.id)]
        ).revoked = True

    @api.autovacuum
    def _gc_expired_tokens(self):
        self.sudo().search([("expires_at", "<", fields.Datetime.now())]).unlink()
