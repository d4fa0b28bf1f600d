from psycopg2 import errorcodes, errors

from odoo import SUPERUSER_ID, api
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestConcurrentCheckout(TransactionCase):
    """Two identical checkouts at the same moment, on two real database connections as two
    HTTP workers have them: the first claims the Idempotency-Key; the second cannot while the
    first is under way (it waits, here at most a second, and fails with an error Odoo
    retries the request on) and its retry, once the first committed, finds the first
    checkout instead of making a second order."""

    def test_two_identical_requests_at_once_claim_the_key_once(self):
        database = db_connect(self.env.cr.dbname)
        with database.cursor() as cr:
            key_id = (
                api.Environment(cr, SUPERUSER_ID, {})["storefront.api.key"]
                .create({"name": "Concurrency test key"})
                .id
            )
        try:
            with database.cursor() as first_cr, database.cursor() as second_cr:
                first = api.Environment(first_cr, SUPERUSER_ID, {})
                second = api.Environment(second_cr, SUPERUSER_ID, {})
                second_cr.execute("SET LOCAL lock_timeout = '1s'")
                record, fresh = first["storefront.checkout"]._storefront_claim(
                    first["storefront.api.key"].browse(key_id), "same-key-0001", "same-body"
                )
                self.assertTrue(fresh)
                with (
                    mute_logger("odoo.sql_db"),
                    self.assertRaises(errors.LockNotAvailable) as waited,
                ):
                    second["storefront.checkout"]._storefront_claim(
                        second["storefront.api.key"].browse(key_id), "same-key-0001", "same-body"
                    )
                self.assertIn(waited.exception.pgcode, PG_CONCURRENCY_ERRORS_TO_RETRY)
                self.assertEqual(waited.exception.pgcode, errorcodes.LOCK_NOT_AVAILABLE)
                second_cr.rollback()
                first_cr.commit()
                # Odoo's retry of the second request
                again, fresh = second["storefront.checkout"]._storefront_claim(
                    second["storefront.api.key"].browse(key_id), "same-key-0001", "same-body"
                )
                self.assertFalse(fresh)
                self.assertEqual(again.id, record.id)
                second_cr.rollback()
            with database.cursor() as cr:
                cr.execute(
                    "SELECT count(*) FROM storefront_checkout WHERE api_key_id = %s", [key_id]
                )
                self.assertEqual(cr.fetchone()[0], 1)
        finally:
            with database.cursor() as cr:
                cr.execute("DELETE FROM storefront_checkout WHERE api_key_id = %s", [key_id])
                cr.execute("DELETE FROM storefront_api_key WHERE id = %s", [key_id])
