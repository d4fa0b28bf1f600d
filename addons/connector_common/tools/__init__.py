"""Plain-Python pieces shared by the connector clients: no import from ``odoo`` here."""

from .retry import USER_RETRY_MAX_WAIT, parse_retry_after
