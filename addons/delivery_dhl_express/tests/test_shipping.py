from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.connector_common.tests.common import trap_jobs
from odoo.addons.queue_job.exception import RetryableJobError

from .common import API_SECRET, LABEL_PDF, DhlExpressCase


@tagged("post_install", "-at_install")
class TestDhlExpressShipping(DhlExpressCase):
    def _labels(self, picking):
        return self.env["ir.attachment"].search(
            [
                ("res_model", "=", "stock.picking"),
                ("res_id", "=", picking.id),
                ("name", "=like", "LabelShipping-dhl_express-%"),
            ]
        )

    def test_validating_a_delivery_books_it_with_customs_and_attaches_the_label(self):
        picking = self._delivery(self.swiss_client, (self.sofa, 1), (self.lamp, 2))

        picking.button_validate()

        self.assertEqual(picking.state, "done")
        self.assertEqual(len(self.fake.shipments), 1)
        number, body = next(iter(self.fake.shipments.items()))
        self.assertEqual(picking.carrier_tracking_ref, number)
        self.assertEqual(picking.dhl_tracking_status, "created")
        self.assertGreater(picking.carrier_price, 0)
        label = self._labels(picking)
        self.assertEqual(len(label), 1)
        self.assertEqual(label.raw, LABEL_PDF)
        self.assertIn(number, picking.carrier_tracking_url)
        content = body["content"]
        self.assertTrue(content["isCustomsDeclarable"])
        self.assertEqual(content["incoterm"], "DAP")
        items = content["exportDeclaration"]["lineItems"]
        self.assertEqual([i["commodityCodes"][0]["value"] for i in items], ["940161", "940520"])
        self.assertEqual([i["quantity"]["value"] for i in items], [1, 2])
        self.assertEqual([i["manufacturerCountry"] for i in items], ["IT", "IT"])
        invoice = picking.sale_id.invoice_ids
        self.assertEqual(content["exportDeclaration"]["invoice"]["number"], invoice.name)
        self.assertEqual(len(content["packages"]), 2, "the sofa's crate, and the lamps' box")
        receiver = body["customerDetails"]["receiverDetails"]
        self.assertEqual(receiver["postalAddress"]["addressLine1"], "Bahnhofstrasse 45, 3. Stock")
        self.assertEqual(body["customerReferences"], [{"value": picking.name, "typeCode": "CU"}])

    def test_customs_are_checked_line_by_line_before_calling_dhl(self):
        self.sofa.hs_code = False
        self.lamp.write({"country_of_origin": False, "weight": 0})
        picking = self._delivery(self.swiss_client, (self.sofa, 1), (self.lamp, 1), invoice=False)

        with self.assertRaises(UserError) as caught:
            picking.button_validate()

        message = str(caught.exception)
        self.assertIn("nothing was sent to DHL", message)
        self.assertIn(f"Line 1 ({self.sofa.display_name}): no HS code.", message)
        self.assertIn(
            f"Line 2 ({self.lamp.display_name}): no unit weight, no country of origin.", message
        )
        self.assertIn("No posted customer invoice", message)
        self.assertEqual(self.fake.requests, [], "DHL was not called")

    def test_address_lines_too_long_for_dhl_are_split_not_cut(self):
        self.hamburg_client.street = (
            "Residenz am Elbufer, Haus Seeblick, Elbchaussee 100, Hintereingang links"
        )
        picking = self._delivery(self.hamburg_client, (self.lamp, 1))

        picking.button_validate()

        address = next(iter(self.fake.shipments.values()))["customerDetails"]["receiverDetails"]
        lines = [address["postalAddress"][f"addressLine{i}"] for i in (1, 2)]
        self.assertEqual(" ".join(lines), self.hamburg_client.street)
        self.assertFalse(next(iter(self.fake.shipments.values()))["content"]["isCustomsDeclarable"])

    def test_customs_refusal_by_dhl_is_explained_and_may_be_retried(self):
        self.fake.refuse_customs()
        picking = self._delivery(self.swiss_client, (self.sofa, 1))

        with self.assertRaises(UserError) as caught:
            picking.send_to_shipper()

        message = str(caught.exception)
        self.assertIn("DHL refused the shipment", message)
        self.assertIn("Invoice line item manufacturer country code is missing", message)
        self.assertFalse(picking.carrier_tracking_ref)
        # DHL refused: nothing was booked, so sending again needs no one's decision.
        picking.send_to_shipper()
        self.assertEqual(len(self.fake.shipments), 1)
        self.assertTrue(picking.carrier_tracking_ref)

    def test_retry_after_a_timeout_never_books_twice(self):
        self.fake.next_timeout("post", "/shipments", seconds=2)
        picking = self._delivery(self.swiss_client, (self.sofa, 1))

        with self.assertRaises(UserError) as caught:
            picking.button_validate()
        self.assertIn("may or may not have booked", str(caught.exception))
        # DHL did the work after our client gave up: the shipment exists.
        self.assertTrue(self._wait_for(lambda: len(self.fake.shipments) == 1))

        # The transaction was rolled back, but the committed marker stays.
        with self.assertRaises(UserError) as caught:
            picking.button_validate()
        self.assertIn("never confirmed", str(caught.exception))
        self.assertEqual(len(self._requests("post", "/shipments")), 1, "not sent again")
        picking.invalidate_recordset()
        self.assertIn("Look for the reference", picking.dhl_booking_message)

        # A person finds the waybill in MyDHL and records it: the delivery goes out with it.
        number = next(iter(self.fake.shipments))
        picking.carrier_tracking_ref = number
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(len(self._requests("post", "/shipments")), 1)
        picking.invalidate_recordset()
        self.assertFalse(picking.dhl_booking_message)

    def test_released_booking_may_be_sent_again(self):
        self.fake.next_server_error("post", "/shipments", status=503)
        picking = self._delivery(self.swiss_client, (self.sofa, 1))
        with self.assertRaises(UserError):
            picking.send_to_shipper()
        with self.assertRaises(UserError):
            picking.send_to_shipper()
        self.assertEqual(len(self._requests("post", "/shipments")), 1)

        # A person checked MyDHL: nothing was booked.
        picking.action_dhl_release_booking()
        picking.send_to_shipper()

        self.assertEqual(len(self._requests("post", "/shipments")), 2)
        self.assertTrue(picking.carrier_tracking_ref)
        with self.assertRaises(UserError):
            picking.action_dhl_release_booking()

    def test_tracking_job_waits_as_long_as_dhl_asks(self):
        """A rate-limited tracking call is not retried in the job: the queue retries the job
        after DHL's Retry-After, and the status is kept until DHL answers."""
        picking = self._delivery(self.swiss_client, (self.sofa, 1))
        picking.button_validate()
        number = picking.carrier_tracking_ref
        self.fake.set_tracking(number, "PU")
        path = "/shipments/{shipmentTrackingNumber}/tracking"
        self.fake.next_rate_limited("get", path, retry_after="45")

        with self.assertRaises(RetryableJobError) as caught:
            picking._dhl_job_refresh_tracking()

        self.assertEqual(caught.exception.seconds, 45)
        self.assertEqual(len(self._requests("get", path)), 1, "no retry inside the job")
        self.assertEqual(picking.dhl_tracking_status, "created")
        picking._dhl_job_refresh_tracking()  # the queue's retry
        self.assertEqual(picking.dhl_tracking_status, "picked_up")

    def test_tracking_refresh_and_cancellation_of_the_pickup(self):
        self.carrier.dhl_request_pickup = True
        picking = self._delivery(self.swiss_client, (self.sofa, 1))
        picking.button_validate()
        number = picking.carrier_tracking_ref
        self.assertEqual(picking.dhl_dispatch_confirmation_number, f"PRG{number}")

        self.fake.set_tracking(number, "PU", "PL", "AF")
        picking.action_dhl_refresh_tracking()
        self.assertEqual(picking.dhl_tracking_status, "in_transit")
        self.fake.set_tracking(number, "PU", "PL", "AF", "WC", "OK")
        with trap_jobs() as trap:
            self.env["stock.picking"]._cron_dhl_refresh_tracking()
            trap.assert_jobs_count(1, only=picking._dhl_job_refresh_tracking)
            trap.perform_enqueued_jobs()
        self.assertEqual(picking.dhl_tracking_status, "delivered")

        picking.cancel_shipment()

        self.assertEqual([p for p, _query in self.fake.cancelled_pickups], [f"PRG{number}"])
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertFalse(picking.dhl_dispatch_confirmation_number)
        # The waybill is forgotten: the delivery may be booked again.
        picking.send_to_shipper()
        self.assertEqual(len(self.fake.shipments), 2)

    def test_credentials_are_for_administrators_and_kept_out_of_logs(self):
        salesman = new_test_user(self.env, "dhl_salesman", groups="sales_team.group_sale_salesman")
        with self.assertRaises(AccessError):
            self.carrier.with_user(salesman).read(["dhl_api_secret"])
        order = self._order(self.swiss_client, (self.sofa, 1))
        self.carrier.debug_logging = True
        lines = []
        with patch.object(
            self.registry["delivery.carrier"],
            "log_xml",
            autospec=True,
            side_effect=lambda _carrier, line, _func: lines.append(line),
        ):
            result = self.carrier.with_user(salesman).rate_shipment(order.with_user(salesman))
        self.assertTrue(result["success"], result["error_message"])
        self.assertTrue(lines)
        self.assertFalse([line for line in lines if API_SECRET in line])

    def test_production_never_uses_the_test_server_override(self):
        self.assertEqual(self.carrier._dhl_client().base_url, self.fake.base_url)
        self.carrier.prod_environment = True
        self.assertEqual(
            self.carrier._dhl_client().base_url, "https://express.api.dhl.com/mydhlapi"
        )
