import psycopg2
from psycopg2.pool import PoolError

from odoo import http
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..http import RETRY_AFTER, is_database_unavailable


class FakeRequest:
    """What a dispatcher keeps of the request: handle_error reads nothing else here."""

    def __init__(self):
        self.session = None


@tagged("post_install", "-at_install")
class TestServiceUnavailable(TransactionCase):
    def _answer(self, dispatcher_class, exc):
        return dispatcher_class(FakeRequest()).handle_error(exc)

    def test_no_free_connection_answers_503_with_retry_after(self):
        for dispatcher_class in (http.HttpDispatcher, http.JsonRPCDispatcher):
            answer = self._answer(dispatcher_class, PoolError("The Connection Pool Is Full"))
            self.assertEqual(answer.code, 503, dispatcher_class)
            response = answer.get_response()
            self.assertEqual(response.headers["Retry-After"], str(RETRY_AFTER))

    def test_database_restarting_answers_503(self):
        refused = psycopg2.OperationalError("connection to server failed: Connection refused")
        self.assertTrue(is_database_unavailable(refused))
        self.assertEqual(self._answer(http.HttpDispatcher, refused).code, 503)

    def test_errors_of_the_request_itself_keep_odoos_answer(self):
        """A statement PostgreSQL stopped (here its timeout) carries PostgreSQL's code: the
        request met its database, Odoo's own answer stands. So does a plain bug."""
        with (
            self.assertRaises(psycopg2.OperationalError) as caught,
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute("SET LOCAL statement_timeout = 1")
            self.env.cr.execute("SELECT pg_sleep(0.2)")
        self.assertTrue(caught.exception.pgcode)
        self.assertFalse(is_database_unavailable(caught.exception))
        self.assertEqual(self._answer(http.HttpDispatcher, caught.exception).code, 500)
        self.assertEqual(self._answer(http.HttpDispatcher, ValueError("a bug")).code, 500)
