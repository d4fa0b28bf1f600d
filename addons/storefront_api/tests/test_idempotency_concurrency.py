import threading

from psycopg2 import errorcodes

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestConcurrentCheckout(TransactionCase):
    """Two identical checkouts at the same moment, on two real database connections as two
    HTTP workers have them: one claims the Idempotency-Key, the other waits for it, fails to
    serialise (Odoo retries such a request) and its retry finds the first one's checkout."""

    def test_two_identical_requests_at_once_claim_the_key_once(self):
        database = db_connect(self.env.cr.dbname)
        with database.cursor() as cr:
            key_id = (
                api.Environment(cr, SUPERUSER_ID, {})["storefront.api.key"]
                .create({"name": "Concurrency test key"})
                .id
            )
            cr.commit()
        outcome = {}

        def second_request(started, go):
            with database.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                cr.execute("SELECT 1")  # its snapshot predates the first request's commit
                started.set()
                go.wait(10)
                key = env["storefront.api.key"].browse(key_id)
                try:
                    outcome["first_try"] = env["storefront.checkout"]._storefront_claim(
                        key, "same-key-0001", "same-body"
                    )
                except Exception as error:
                    outcome["first_try"] = getattr(error, "pgcode", repr(error))
                    cr.rollback()
                    env.invalidate_all()
                    record, fresh = env["storefront.checkout"]._storefront_claim(
                        key, "same-key-0001", "same-body"
                    )
                    outcome["retry"] = (record.id, fresh)
                cr.commit()

        try:
            with database.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                key = env["storefront.api.key"].browse(key_id)
                started, go = threading.Event(), threading.Event()
                thread = threading.Thread(target=second_request, args=(started, go))
                thread.start()
                started.wait(10)
                record, fresh = env["storefront.checkout"]._storefront_claim(
                    key, "same-key-0001", "same-body"
                )
                self.assertTrue(fresh)
                go.set()
                thread.join(0.5)
                self.assertTrue(thread.is_alive(), "the second request waits for the first")
                first_id = record.id
                cr.commit()
            thread.join(10)
            self.assertFalse(thread.is_alive())
            if outcome["first_try"] == errorcodes.SERIALIZATION_FAILURE:
                self.assertEqual(outcome["retry"], (first_id, False))
            else:
                record, fresh = outcome["first_try"]
                self.assertEqual((record.id, fresh), (first_id, False))
            with database.cursor() as cr:
                cr.execute(
                    "SELECT count(*) FROM storefront_checkout WHERE api_key_id = %s", [key_id]
                )
                self.assertEqual(cr.fetchone()[0], 1)
        finally:
            with database.cursor() as cr:
                cr.execute("DELETE FROM storefront_checkout WHERE api_key_id = %s", [key_id])
                cr.execute("DELETE FROM storefront_api_key WHERE id = %s", [key_id])
                cr.commit()
