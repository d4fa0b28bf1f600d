import threading
import time

from psycopg2 import errors

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger

from .common import paris, utc


@tagged("post_install", "-at_install")
class TestConcurrentBookingsInTheDatabase(TransactionCase):
    """Two bookings of the one free slot in two real transactions at once (the HTTP test
    server runs every request on the test's single cursor, so only real connections show what
    PostgreSQL does). The data is committed for the test and removed afterwards."""

    slot = paris(2026, 1, 12, 10, 0)
    now = utc(2026, 1, 1)

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self._env(cr)
            hours = env["resource.calendar"].create(
                {
                    "name": "Concurrency test hours",
                    "tz": "Europe/Paris",
                    "attendance_ids": [
                        (5, 0, 0),
                        (0, 0, {"name": "Day", "dayofweek": "0", "hour_from": 10, "hour_to": 12}),
                    ],
                }
            )
            address = env["res.partner"].create({"name": "Concurrency showroom"})
            showroom = env["showroom.showroom"].create(
                {"name": "Concurrency", "partner_id": address.id, "resource_calendar_id": hours.id}
            )
            appointment_type = env["showroom.appointment.type"].create(
                {
                    "name": "Concurrency consultation",
                    "showroom_id": showroom.id,
                    "min_notice_hours": 0,
                    "horizon_days": 400,
                    "assistant_ids": [(6, 0, env.ref("base.user_admin").ids)],
                }
            )
            clients = env["res.partner"].create(
                [
                    {"name": "First", "email": "first@example.com"},
                    {"name": "Second", "email": "second@example.com"},
                ]
            )
            self.ids = {
                "hours": hours.id,
                "address": address.id,
                "showroom": showroom.id,
                "type": appointment_type.id,
                "clients": clients.ids,
            }
        self.addCleanup(self._remove_committed_data)

    def _env(self, cr):
        """An environment on a real cursor of another thread. The registry is given: the
        test runs while the thread that loads the registries holds their lock."""
        if cr.transaction is None:
            cr.transaction = api.Transaction(self.registry)
        return api.Environment(cr, SUPERUSER_ID, {})

    def _remove_committed_data(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            appointments = env["showroom.appointment"].search([("type_id", "=", self.ids["type"])])
            env["mail.mail"].search(
                [("model", "=", "showroom.appointment"), ("res_id", "in", appointments.ids)]
            ).unlink()
            appointments.event_id.unlink()
            appointments.unlink()
            env["showroom.appointment.type"].browse(self.ids["type"]).unlink()
            env["showroom.showroom"].browse(self.ids["showroom"]).unlink()
            env["resource.calendar"].browse(self.ids["hours"]).unlink()
            env["res.partner"].browse([self.ids["address"], *self.ids["clients"]]).unlink()

    def _book(self, cr, client_index):
        env = self._env(cr)
        return env["showroom.appointment"]._book(
            env["showroom.appointment.type"].browse(self.ids["type"]),
            self.slot,
            env["res.partner"].browse(self.ids["clients"][client_index]),
            now=self.now,
        )

    def test_second_transaction_waits_then_sees_the_first(self):
        ready = threading.Barrier(2)
        outcome = {}

        def first():
            with self.registry.cursor() as cr:
                env = self._env(cr)
                env["showroom.appointment.type"].browse(self.ids["type"])._get_free_assistants(
                    self.slot, now=self.now
                )
                ready.wait()
                self._book(cr, 0)
                time.sleep(1)  # the second one is waiting on the assistant's agenda now
            outcome["first"] = "booked"

        def second():
            try:
                with self.registry.cursor() as cr:
                    env = self._env(cr)
                    # Its snapshot is taken here, before the first booking exists.
                    free = (
                        env["showroom.appointment.type"]
                        .browse(self.ids["type"])
                        ._get_free_assistants(self.slot, now=self.now)
                    )
                    outcome["second saw free"] = bool(free)
                    ready.wait()
                    time.sleep(0.3)
                    with mute_logger("odoo.sql_db"):  # the serialization failure expected
                        self._book(cr, 1)
                outcome["second"] = "booked"
            except errors.SerializationFailure:
                outcome["second"] = "serialization failure"
            # What Odoo does with such a request: run it again, on a fresh snapshot.
            if outcome["second"] != "booked":
                try:
                    with self.registry.cursor() as cr:
                        self._book(cr, 1)
                    outcome["retry"] = "booked"
                except UserError as error:
                    outcome["retry"] = str(error)

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertTrue(outcome["second saw free"])
        self.assertEqual(outcome["first"], "booked")
        self.assertEqual(outcome["second"], "serialization failure", outcome)
        self.assertIn("no longer available", outcome["retry"])
        with self.registry.cursor() as cr:
            env = self._env(cr)
            booked = env["showroom.appointment"].search([("type_id", "=", self.ids["type"])])
            self.assertEqual(booked.partner_id.ids, self.ids["clients"][:1])
