import hashlib
import json

from odoo import api, fields, models


class StorefrontCheckout(models.Model):
    """One checkout request, by the application's ``Idempotency-Key``: a retried request
    (a timeout, a double tap, two identical requests at once) gets the first one's answer
    and never a second order."""

    _name = "storefront.checkout"
    _description = "Storefront Checkout"
    _order = "id desc"

    api_key_id = fields.Many2one("storefront.api.key", ondelete="cascade", index=True)
    idempotency_key = fields.Char(required=True)
    request_hash = fields.Char(required=True)
    sale_order_id = fields.Many2one("sale.order", ondelete="set null", index="btree_not_null")
    response = fields.Json()

    _sql_constraints = [
        (
            "idempotency_key_unique",
            "unique(api_key_id, idempotency_key)",
            "An Idempotency-Key is used once per application.",
        ),
    ]

    @api.model
    def _storefront_request_hash(self, payload):
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()

    @api.model
    def _storefront_claim(self, api_key, idempotency_key, request_hash):
        """``(record, fresh)``: the checkout of this key, claimed by this request when
        ``fresh``. The row is inserted first, so a concurrent identical request waits on the
        unique index; once this one commits, the other fails to serialise and Odoo retries it,
        and the retry finds this answer."""
        self.env.cr.execute(
            """
            INSERT INTO storefront_checkout
                (api_key_id, idempotency_key, request_hash, create_uid, create_date,
                 write_uid, write_date)
            VALUES (%s, %s, %s, %s, now() at time zone 'UTC', %s, now() at time zone 'UTC')
            ON CONFLICT (api_key_id, idempotency_key) DO NOTHING
            RETURNING id
            """,
            [api_key.id, idempotency_key, request_hash, self.env.uid, self.env.uid],
        )
        row = self.env.cr.fetchone()
        if row:
            return self.browse(row[0]), True
        existing = self.sudo().search(
            [("api_key_id", "=", api_key.id), ("idempotency_key", "=", idempotency_key)], limit=1
        )
        return existing, False

    @api.autovacuum
    def _gc_old_checkouts(self):
        """Keys are kept 30 days: long after any client retries."""
        limit = fields.Datetime.subtract(fields.Datetime.now(), days=30)
        self.sudo().search([("create_date", "<", limit)]).unlink()
