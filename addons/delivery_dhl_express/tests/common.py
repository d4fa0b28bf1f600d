import time as time_module
from datetime import UTC, date, datetime, timedelta
from unittest.mock import patch

from odoo import Command
from odoo.tests import TransactionCase

from odoo.addons.connector_common.tests.common import LoopbackFakeMixin

from .dhl_fake import (
    ACCOUNT_NUMBER,
    API_KEY,
    API_SECRET,
    INVOICE_PDF,
    LABEL_PDF,
    DHLFake,
    is_message_reference,
)

__all__ = [
    "ACCOUNT_NUMBER",
    "API_KEY",
    "API_SECRET",
    "INVOICE_PDF",
    "LABEL_PDF",
    "DhlExpressCase",
]


class DhlExpressCase(LoopbackFakeMixin, TransactionCase):
    """A Munich furniture retailer shipping with DHL Express, against a local fake MyDHL API.

    The fake checks every request against DHL's OpenAPI file (and the ``x-version`` header);
    each test ends with its ``assert_clean()``. Booking attempts are committed in transactions
    of their own, as in production, so the test's rollback does not undo them: each test
    deletes its own, and the class first deletes any left by an interrupted run. The clock is
    set to 07:00 UTC today (09:00 or 08:00 in Munich), so the planned dates stay inside DHL's
    ten-day window.
    """

    # The fake sees the connector's own timeout (1 s here), not Odoo's 10 s for test requests.
    fake_url_markers = ("/mydhlapi/",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            # Attempts of deliveries that were never committed: an earlier run's, interrupted.
            cr.execute(
                "DELETE FROM dhl_express_booking b WHERE NOT EXISTS "
                "(SELECT 1 FROM stock_picking p WHERE p.id = b.picking_res_id)"
            )
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.fake = DHLFake().start()
        cls.addClassCleanup(cls.fake.stop)

        cls.company = cls.env.company
        cls.calendar = cls.company.resource_calendar_id
        cls.calendar.tz = "Europe/Berlin"
        # Public holidays are the tests' to declare.
        cls.env["resource.calendar.leaves"].search([("resource_id", "=", False)]).unlink()
        germany = cls.env.ref("base.de")
        cls.company.partner_id.write(
            {
                "street": "Maximilianstraße 12",
                "zip": "80331",
                "city": "München",
                "country_id": germany.id,
                "phone": "+49 89 1234567",
                "email": "shipping@furniture.example",
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.warehouse.partner_id = cls.company.partner_id

        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Test DHL Express",
                "delivery_type": "dhl_express",
                "product_id": cls.env["product.product"]
                .create({"name": "Test DHL shipping", "type": "service"})
                .id,
                "dhl_api_key": API_KEY,
                "dhl_api_secret": API_SECRET,
                "dhl_account_number": ACCOUNT_NUMBER,
                "dhl_api_base_url": cls.fake.base_url,
                "dhl_timeout": 1,
                "dhl_cutoff_hour": 16.0,
                "dhl_max_lookahead_days": 3,
                "dhl_rate_cache_minutes": 10,
                "dhl_incoterm_id": cls.env.ref("account.incoterm_DAP").id,
            }
        )
        cls.swiss_client = cls.env["res.partner"].create(
            {
                "name": "Luca Meier",
                "street": "Bahnhofstrasse 45, 3. Stock",
                "zip": "8001",
                "city": "Zürich",
                "country_id": cls.env.ref("base.ch").id,
                "phone": "+41 44 123 45 67",
                "email": "luca@example.ch",
            }
        )
        cls.hamburg_client = cls.env["res.partner"].create(
            {
                "name": "Greta Hansen",
                "street": "Elbchaussee 100",
                "zip": "22763",
                "city": "Hamburg",
                "country_id": germany.id,
                "phone": "+49 40 123456",
            }
        )
        italy = cls.env.ref("base.it")
        cls.sofa = cls.env["product.product"].create(
            {
                "name": "Three-seat sofa, walnut",
                "type": "consu",
                "is_storable": True,
                "list_price": 12400.0,
                "weight": 86.5,
                "packed_length": 220,
                "packed_width": 95,
                "packed_height": 80,
                "hs_code": "9401.61",
                "country_of_origin": italy.id,
            }
        )
        cls.lamp = cls.env["product.product"].create(
            {
                "name": "Brass floor lamp",
                "type": "consu",
                "is_storable": True,
                "list_price": 900.0,
                "weight": 6.0,
                "hs_code": "940520",
                "country_of_origin": italy.id,
            }
        )
        for product in (cls.sofa, cls.lamp):
            cls.env["stock.quant"]._update_available_quantity(
                product, cls.warehouse.lot_stock_id, 10
            )

    def setUp(self):
        super().setUp()
        self.fake.reset()
        with self.registry.cursor() as cr:
            cr.execute("SELECT COALESCE(MAX(id), 0) FROM dhl_express_booking")
            last_booking_id = cr.fetchone()[0]
        self.addCleanup(self._delete_committed_bookings, last_booking_id)
        self.now = datetime.combine(date.today(), datetime.min.time(), UTC) + timedelta(hours=7)
        clock = patch.object(
            self.registry["delivery.carrier"], "_dhl_now", autospec=True, side_effect=self._now
        )
        clock.start()
        self.addCleanup(clock.stop)

    def tearDown(self):
        # Every request the connector sent was valid against DHL's spec, x-version included.
        for request in self.fake.requests:
            self.assertEqual(request.header("x-version"), "3.3.1")
            self.assertTrue(is_message_reference(request.header("Message-Reference")))
        self.fake.assert_clean()
        super().tearDown()

    def _now(self, _carrier=None):
        return self.now

    def _delete_committed_bookings(self, after_id):
        """The booking attempts this test committed, in a fresh transaction of their own."""
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM dhl_express_booking WHERE id > %s", [after_id])

    def _committed_bookings(self, picking):
        """``[(state, tracking number)]`` of ``picking``'s attempts, as another worker sees."""
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT state, tracking_number FROM dhl_express_booking "
                "WHERE picking_res_id = %s ORDER BY id",
                [picking.id],
            )
            return cr.fetchall()

    # -- stories' building blocks --------------------------------------------------------------

    def _working_days(self, count=3, holidays=()):
        """The next ``count`` Monday-to-Friday days from today, skipping ``holidays``."""
        days, day = [], date.today()
        while len(days) < count:
            if day.weekday() < 5 and day not in holidays:
                days.append(day)
            day += timedelta(days=1)
        return days

    def _public_holiday(self, day):
        return self.env["resource.calendar.leaves"].create(
            {
                "name": "Test public holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime.combine(day, datetime.min.time()) - timedelta(hours=2),
                "date_to": datetime.combine(day, datetime.max.time()) - timedelta(hours=2),
            }
        )

    def _order(self, partner, *lines, confirm=False):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "carrier_id": self.carrier.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def _delivery(self, partner, *lines, invoice=True):
        """A confirmed, invoiced order's delivery, ready to validate."""
        order = self._order(partner, *lines, confirm=True)
        if invoice:
            order._create_invoices().action_post()
        picking = order.picking_ids
        picking.carrier_id = self.carrier
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        return picking

    def _requests(self, method, path):
        return self.fake.requests_to(method, path)

    def _wait_for(self, condition, seconds=5):
        """The fake answers a timed-out request later, in its own thread."""
        deadline = time_module.monotonic() + seconds
        while not condition() and time_module.monotonic() < deadline:
            time_module.sleep(0.05)
        return condition()
