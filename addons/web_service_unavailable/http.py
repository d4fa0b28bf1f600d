"""Requests that cannot get a database connection are answered ``503 Service Unavailable``
with ``Retry-After``, instead of Odoo's ``500 Internal Server Error`` (or a JSON-RPC error in
a ``200``).

Two moments of production make a request meet no database: every connection of the
process's pool is taken (``db_maxconn``: the gevent process serves many requests with one
pool), or PostgreSQL itself is restarting, failing over or refusing new clients. Nothing of
the request was done then; a load balancer, the web client or an integration (Stripe,
Twilio) can try again a moment later, which ``503`` and ``Retry-After`` say in HTTP's own
words.

Odoo has no hook for this (errors met before the database is reached never get to
``ir.http``): the ``handle_error`` of Odoo's two dispatchers is wrapped once per process, at
``post_load``. List the module in ``server_wide_modules`` so that it applies from the start.
"""

import functools
import logging

import psycopg2
from psycopg2.pool import PoolError
from werkzeug.exceptions import ServiceUnavailable

from odoo import http

_logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying again.
RETRY_AFTER = 5
DESCRIPTION = "The service is busy or restarting; nothing was done. Please retry in a moment."


def is_database_unavailable(exc):
    """True when ``exc`` says no database connection could be had, as opposed to an error
    of the request's own SQL (those carry a PostgreSQL error code)."""
    if isinstance(exc, PoolError):
        return True
    return isinstance(exc, psycopg2.OperationalError | psycopg2.InterfaceError) and not getattr(
        exc, "pgcode", None
    )


def _answer_503(handle_error):
    @functools.wraps(handle_error)
    def handle_error_503(self, exc):
        if is_database_unavailable(exc):
            _logger.warning("database unavailable, answered 503: %s", str(exc).strip())
            return ServiceUnavailable(description=DESCRIPTION, retry_after=RETRY_AFTER)
        return handle_error(self, exc)

    handle_error_503.answers_503 = True
    return handle_error_503


def post_load():
    for dispatcher in (http.HttpDispatcher, http.JsonRPCDispatcher):
        if not getattr(dispatcher.handle_error, "answers_503", False):
            dispatcher.handle_error = _answer_503(dispatcher.handle_error)
