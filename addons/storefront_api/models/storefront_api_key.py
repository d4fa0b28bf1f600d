import hashlib
import hmac
import secrets

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import const


def hash_secret(raw):
    """Keys and tokens are random (256 bits): one SHA-256 is enough to store them, unlike
    passwords, which need a slow hash against guessing."""
    return hashlib.sha256(raw.encode()).hexdigest()


class StorefrontApiKey(models.Model):
    """The key of one client application (the storefront, the mobile app), with its scopes.

    Only a hash is stored; the key itself is shown once, when it is generated."""

    _name = "storefront.api.key"
    _description = "Storefront API Key"
    _order = "name, id"

    name = fields.Char(required=True, help="The application using the key, e.g. Storefront.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    key_prefix = fields.Char(readonly=True, copy=False, index=True, help="Public part.")
    key_hash = fields.Char(readonly=True, copy=False, groups="base.group_system")
    scope_catalogue = fields.Boolean("Catalogue and quotes", default=True)
    scope_checkout = fields.Boolean("Checkout", default=True)
    scope_account = fields.Boolean("Client accounts", default=True)
    scope_room_fit = fields.Boolean("Room fit", default=True)
    rate_limit = fields.Integer(
        "Requests per Minute",
        default=const.DEFAULT_KEY_RATE_LIMIT,
        help="Requests this key may make per minute (per server process).",
    )
    client_token_ids = fields.One2many("storefront.client.token", "api_key_id")

    _sql_constraints = [
        ("key_prefix_unique", "unique(key_prefix)", "An API key prefix must be unique."),
        ("rate_limit_positive", "CHECK(rate_limit > 0)", "The rate limit must be above 0."),
    ]

    def _storefront_scopes(self):
        self.ensure_one()
        return {scope for scope in const.SCOPES if self[f"scope_{scope}"]}

    def _storefront_generate(self):
        """A new key replaces the old one at once; return it (the only time it is seen)."""
        self.ensure_one()
        prefix = secrets.token_hex(6)
        raw = f"{const.KEY_MARK}_{prefix}_{secrets.token_urlsafe(32)}"
        self.sudo().write({"key_prefix": prefix, "key_hash": hash_secret(raw)})
        return raw

    def action_generate_key(self):
        self.ensure_one()
        if not self.env.user.has_group("storefront_api.group_storefront_api_manager"):
            raise UserError(_("Only a storefront API manager generates keys."))
        secret = self.env["storefront.api.key.secret"].create(
            {"api_key_id": self.id, "key": self._storefront_generate()}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "storefront.api.key.secret",
            "res_id": secret.id,
            "view_mode": "form",
            "target": "new",
            "name": _("New API key of %(name)s", name=self.name),
        }

    @api.model
    def _storefront_authenticate(self, raw):
        """The active key ``raw`` is, or an empty recordset."""
        parts = (raw or "").split("_")
        if len(parts) < 3 or parts[0] != const.KEY_MARK:
            return self.browse()
        key = self.sudo().search([("key_prefix", "=", parts[1])], limit=1)
        if key and key.key_hash and hmac.compare_digest(key.key_hash, hash_secret(raw)):
            return key
        return self.browse()


class StorefrontApiKeySecret(models.TransientModel):
    """Shows a freshly generated key once; vacuumed with the other transient records."""

    _name = "storefront.api.key.secret"
    _description = "New Storefront API Key"

    api_key_id = fields.Many2one("storefront.api.key", required=True, ondelete="cascade")
    key = fields.Char(readonly=True)
