from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..models import const
from .common import DhlExpressCase


@tagged("post_install", "-at_install")
class TestDhlExpressFailures(DhlExpressCase):
    """Each way DHL can fail gives plain words, DHL's detail for the back office, no lost state."""

    def _rate_failure(self):
        order = self._order(self.swiss_client, (self.sofa, 1))
        result = self.carrier.rate_shipment(order)
        self.assertFalse(result["success"])
        self.assertEqual(result["price"], 0.0)
        return result["error_message"]

    def test_timeout_stays_far_below_the_servers_time_limit(self):
        """A booking chains several calls: a longer wait per call would let Odoo's
        limit_time_real stop the request right after DHL booked. Refused when entered."""
        with self.assertRaises(ValidationError):
            self.carrier.dhl_timeout = const.MAX_TIMEOUT + 1
        self.carrier.dhl_timeout = const.MAX_TIMEOUT
        self.assertEqual(self.carrier._dhl_client().timeout, const.MAX_TIMEOUT)

    def test_timeout_is_retried_once_then_explained(self):
        self.fake.next_timeout("post", "/rates", seconds=2)
        self.fake.next_timeout("post", "/rates", seconds=2)
        message = self._rate_failure()
        self.assertIn("DHL did not answer in time", message)
        self.assertIn("No answer from DHL within 1s", message)
        self.assertEqual(len(self._requests("post", "/rates")), 2)

    def test_a_single_timeout_is_absorbed_by_the_safe_retry(self):
        self.fake.next_timeout("post", "/rates", seconds=2)
        order = self._order(self.swiss_client, (self.sofa, 1))
        result = self.carrier.rate_shipment(order)
        self.assertTrue(result["success"], result["error_message"])

    def test_server_error(self):
        self.fake.next_server_error("post", "/rates")
        self.fake.next_server_error("post", "/rates", status=502)
        message = self._rate_failure()
        self.assertIn("DHL's service is having a problem", message)
        self.assertIn("999: Process failure occurred", message)

    def test_rate_limit_with_retry_after(self):
        self.fake.next_rate_limited("post", "/rates", retry_after=30)
        message = self._rate_failure()
        self.assertIn("too many requests", message)
        self.assertIn("wait 30 seconds", message)
        self.assertEqual(len(self._requests("post", "/rates")), 1, "no retry: DHL said 30 s")

    def test_malformed_json(self):
        self.fake.next_malformed_json("post", "/rates")
        message = self._rate_failure()
        self.assertIn("DHL sent an answer we could not read", message)
        self.assertIn("EXPRESS WORLD", message)

    def test_expired_credentials(self):
        self.fake.next_unauthorized("post", "/rates")
        message = self._rate_failure()
        self.assertIn("DHL refused our connection credentials", message)
        self.assertIn("Invalid Credentials", message)

    def test_missing_configuration(self):
        self.carrier.dhl_api_secret = False
        message = self._rate_failure()
        self.assertIn("not configured", message)
        self.assertEqual(self.fake.requests, [])

    def test_expired_credentials_when_booking_lose_nothing(self):
        self.fake.next_unauthorized("post", "/shipments")
        picking = self._delivery(self.swiss_client, (self.sofa, 1))
        with self.assertRaises(UserError) as caught:
            picking.button_validate()
        self.assertIn("DHL refused our connection credentials", str(caught.exception))
        self.assertNotEqual(picking.state, "done")
        self.assertFalse(picking.carrier_tracking_ref)
        # DHL refused before booking anything: once the key is fixed, the booking goes through.
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(len(self.fake.shipments), 1)

    def test_malformed_answer_to_a_booking_is_an_unknown_outcome(self):
        self.fake.next_malformed_json("post", "/shipments", status=201)
        picking = self._delivery(self.swiss_client, (self.sofa, 1))
        with self.assertRaises(UserError) as caught:
            picking.send_to_shipper()
        self.assertIn("may or may not have booked", str(caught.exception))
        with self.assertRaises(UserError):
            picking.send_to_shipper()
        self.assertEqual(len(self._requests("post", "/shipments")), 1)
