import threading
import time
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import tagged

from .common import DhlExpressCase


@tagged("post_install", "-at_install")
class TestDhlExpressBookingRace(DhlExpressCase):
    def test_two_workers_booking_one_delivery_at_once_book_it_once(self):
        """Two workers send the same delivery at the same moment, both after checking that
        no attempt is open: the database lets one through, the other is told why."""
        picking = self._delivery(self.swiss_client, (self.sofa, 1))
        carrier = self.carrier
        lines = picking._dhl_customs_lines()
        payload = picking._dhl_shipment_vals(
            picking.partner_id._dhl_rate_address(),
            lines,
            True,
            carrier._dhl_handover_moment(self.company),
        )
        # What the workers read of the delivery and the carrier is read now: the test's
        # cursor is not theirs to use. Each attempt is written through a cursor of its own.
        picking.read(["name", "carrier_tracking_ref"])
        carrier._dhl_client()
        attempts = self.env["dhl.express.booking"].sudo()

        start = threading.Barrier(2, timeout=10)
        Booking = self.registry["dhl.express.booking"]
        check = Booking._dhl_blocking_attempts

        def check_slowly(booking, delivery):
            blocking = check(booking, delivery)
            time.sleep(0.3)  # a slow worker: the other one arrives before this one records
            return blocking

        outcomes = {}

        def worker(name):
            try:
                start.wait()
                outcomes[name] = attempts._dhl_book(picking, carrier, payload)
            except Exception as error:  # the test reports what each worker got
                outcomes[name] = error

        # The test runner holds the registries' lock while tests run, which another thread
        # needs to open an environment: lift it as Odoo's own test mode does.
        with (
            patch.object(Registry, "_lock", DummyRLock()),
            patch.object(
                Booking, "_dhl_blocking_attempts", autospec=True, side_effect=check_slowly
            ),
        ):
            workers = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
            for thread in workers:
                thread.start()
            for thread in workers:
                thread.join(30)
        self.assertFalse([thread for thread in workers if thread.is_alive()], "a worker hangs")

        refused = [o for o in outcomes.values() if isinstance(o, Exception)]
        booked = [o for o in outcomes.values() if not isinstance(o, Exception)]
        self.assertEqual(len(booked), 1, outcomes)
        self.assertEqual(len(refused), 1, outcomes)
        self.assertIsInstance(refused[0], UserError)
        # The second worker waited for the first one's attempt, then saw it.
        self.assertRegex(
            str(refused[0]),
            f"{picking.name} was sent on .* never confirmed|DHL already booked waybill",
        )
        self.assertEqual(len(self._requests("post", "/shipments")), 1, "DHL was called once")
        self.assertEqual(list(self.fake.shipments), [booked[0].tracking_number])
        self.assertEqual(self._committed_bookings(picking), [("booked", booked[0].tracking_number)])

        # The loser's user tries again: the waybill the winner got is not recorded on the
        # delivery yet (its transaction is not committed), so nothing is sent again.
        with self.assertRaises(UserError) as caught:
            picking.send_to_shipper()
        self.assertIn(
            f"DHL already booked waybill {booked[0].tracking_number}", str(caught.exception)
        )
        self.assertEqual(len(self._requests("post", "/shipments")), 1)

    def test_booking_attempts_of_a_test_are_committed_then_deleted(self):
        picking = self._delivery(self.hamburg_client, (self.lamp, 1))
        picking.button_validate()
        number = picking.carrier_tracking_ref
        # Committed, as in production: another worker sees the attempt.
        self.assertEqual(self._committed_bookings(picking), [("booked", number)])

        with self.registry.cursor() as cr:
            cr.execute("SELECT COALESCE(MAX(id), 0) FROM dhl_express_booking")
            last_id = cr.fetchone()[0]
        self._delete_committed_bookings(last_id - 1)

        self.assertEqual(self._committed_bookings(picking), [])
