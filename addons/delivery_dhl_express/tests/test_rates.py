from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import DhlExpressCase


@tagged("post_install", "-at_install")
class TestDhlExpressRates(DhlExpressCase):
    def _eur(self, amount):
        eur = self.env.ref("base.EUR")
        return eur._convert(amount, self.company.currency_id, self.company, fields.Date.today())

    def test_rate_is_for_the_next_handover_and_reused_within_the_cache_window(self):
        order = self._order(self.swiss_client, (self.sofa, 1))
        first_day = self._working_days(1)[0]

        result = self.carrier.rate_shipment(order)

        self.assertTrue(result["success"], result["error_message"])
        # Chargeable weight: the crate's volumetric 220 x 95 x 80 / 5000 = 334.4 kg.
        self.assertAlmostEqual(result["carrier_price"], self._eur(45 + 3.2 * 334.4), places=1)
        self.assertIn(first_day.isoformat(), result["warning_message"])
        rates = self._requests("post", "/rates")
        self.assertEqual(len(rates), 1)
        sent = rates[0].json
        self.assertTrue(sent["plannedShippingDateAndTime"].startswith(first_day.isoformat()))
        self.assertTrue(sent["isCustomsDeclarable"], "Germany to Switzerland crosses customs")
        self.assertEqual(
            sent["packages"],
            [{"weight": 86.5, "dimensions": {"length": 220, "width": 95, "height": 80}}],
        )
        self.assertEqual(len(self._requests("get", "/address-validate")), 1)

        again = self.carrier.rate_shipment(order)

        self.assertEqual(again["carrier_price"], result["carrier_price"])
        self.assertEqual(len(self.fake.requests), 2, "the second identical rate reused the first")

    def test_an_address_checked_a_moment_ago_is_not_checked_again(self):
        """Another parcel to the same client within the cache window: DHL is asked the rate,
        not the address; DHL's spelling and its note come back from the kept answer."""
        self.fake.suggest_address("ZUERICH", "8001", "CH")
        self.carrier.rate_shipment(self._order(self.swiss_client, (self.sofa, 1)))
        self.fake.reset()

        result = self.carrier.rate_shipment(self._order(self.swiss_client, (self.sofa, 2)))

        self.assertTrue(result["success"], result["error_message"])
        self.assertEqual(self._requests("get", "/address-validate"), [])
        self.assertEqual(len(self._requests("post", "/rates")), 1)
        receiver = self._requests("post", "/rates")[0].json["customerDetails"]["receiverDetails"]
        self.assertEqual(receiver["cityName"], "ZUERICH")
        self.assertIn("8001 ZUERICH", result["warning_message"])

        self.env["dhl.express.rate.cache"].search([]).expires_at = fields.Datetime.now()
        self.carrier.rate_shipment(self._order(self.swiss_client, (self.sofa, 3)))
        self.assertEqual(len(self._requests("get", "/address-validate")), 1, "window over")

    def test_a_rate_is_asked_again_when_the_carrier_changes_its_product(self):
        order = self._order(self.swiss_client, (self.sofa, 1))
        self.carrier.rate_shipment(order)
        self.carrier.dhl_product_code = "P"
        self.carrier.rate_shipment(order)
        rates = self._requests("post", "/rates")
        self.assertEqual(len(rates), 2)
        self.assertEqual(rates[1].json["productCode"], "P")

    def test_rate_cache_can_be_turned_off(self):
        self.carrier.dhl_rate_cache_minutes = 0
        order = self._order(self.hamburg_client, (self.lamp, 2))
        self.carrier.rate_shipment(order)
        self.carrier.rate_shipment(order)
        self.assertEqual(len(self._requests("post", "/rates")), 2)
        sent = self._requests("post", "/rates")[0].json
        self.assertFalse(sent["isCustomsDeclarable"], "a domestic delivery")
        self.assertEqual(sent["packages"], [{"weight": 12.0}], "lamps share one box by weight")

    def test_public_holiday_is_not_a_handover_day(self):
        first, second = self._working_days(2)
        self._public_holiday(first)
        order = self._order(self.swiss_client, (self.sofa, 1))

        result = self.carrier.rate_shipment(order)

        self.assertTrue(result["success"], result["error_message"])
        sent = self._requests("post", "/rates")[0].json["plannedShippingDateAndTime"]
        self.assertTrue(sent.startswith(second.isoformat()), sent)
        self.assertIn(second.isoformat(), result["warning_message"])

    def test_after_the_cutoff_the_handover_is_the_next_working_day(self):
        today, tomorrow = self._working_days(2)
        self.now = self.now.replace(year=today.year, month=today.month, day=today.day)
        self.now += timedelta(hours=9)  # 16:00 UTC: after the 16:00 cut-off in Munich
        order = self._order(self.swiss_client, (self.sofa, 1))

        self.carrier.rate_shipment(order)

        sent = self._requests("post", "/rates")[0].json["plannedShippingDateAndTime"]
        self.assertTrue(sent.startswith(f"{tomorrow.isoformat()}T08:00:00GMT+0"), sent)

    def test_dhl_without_product_on_a_day_moves_to_the_next_working_day(self):
        first, second, third = self._working_days(3)
        self.fake.holiday(first)  # 200, no products
        self.fake.holiday(second, mode="error")  # 400 "1001: ... not available"
        order = self._order(self.swiss_client, (self.sofa, 1))

        result = self.carrier.rate_shipment(order)

        self.assertTrue(result["success"], result["error_message"])
        planned = [r.json["plannedShippingDateAndTime"][:10] for r in self.fake.requests[1:]]
        self.assertEqual(planned, [d.isoformat() for d in (first, second, third)])
        self.assertIn(third.isoformat(), result["warning_message"])
        self.assertIn(
            f"no service on {first.isoformat()}, {second.isoformat()}", result["warning_message"]
        )
        self.assertTrue(all(r.json["nextBusinessDay"] for r in self.fake.requests[1:]))

    def test_no_product_within_the_lookahead_is_a_clear_failure(self):
        self.carrier.dhl_max_lookahead_days = 1
        for day in self._working_days(2):
            self.fake.holiday(day)
        order = self._order(self.swiss_client, (self.sofa, 1))

        result = self.carrier.rate_shipment(order)

        self.assertFalse(result["success"])
        self.assertIn("offers no service", result["error_message"])
        self.assertEqual(len(self._requests("post", "/rates")), 2)

    def test_close_address_suggestion_is_used_with_a_note(self):
        self.fake.suggest_address("ZUERICH", "8001", "CH")
        order = self._order(self.swiss_client, (self.sofa, 1))

        result = self.carrier.rate_shipment(order)

        self.assertTrue(result["success"], result["error_message"])
        self.assertIn("8001 ZUERICH", result["warning_message"])
        receiver = self._requests("post", "/rates")[0].json["customerDetails"]["receiverDetails"]
        self.assertEqual(receiver["cityName"], "ZUERICH")

    def test_far_address_suggestion_only_warns(self):
        self.fake.suggest_address("BERN", "3011", "CH", service_area="BRN")
        order = self._order(self.swiss_client, (self.sofa, 1))

        result = self.carrier.rate_shipment(order)

        self.assertTrue(result["success"], result["error_message"])
        self.assertIn("does not recognise 8001 Zürich", result["warning_message"])
        receiver = self._requests("post", "/rates")[0].json["customerDetails"]["receiverDetails"]
        self.assertEqual(receiver["cityName"], "Zürich")

    def test_address_validator_outage_never_blocks_a_sale(self):
        self.fake.next_server_error("get", "/address-validate")
        self.fake.next_server_error("get", "/address-validate")  # the retry fails too
        order = self._order(self.swiss_client, (self.sofa, 1))

        result = self.carrier.rate_shipment(order)

        self.assertTrue(result["success"], result["error_message"])
        self.assertIn("could not check the address", result["warning_message"])
        self.assertEqual(len(self._requests("get", "/address-validate")), 2)

    def test_duties_and_taxes_estimate_for_an_international_delivery(self):
        self.carrier.dhl_landed_cost = True
        order = self._order(self.swiss_client, (self.sofa, 1))

        result = self.carrier.rate_shipment(order)

        self.assertTrue(result["success"], result["error_message"])
        sent = self._requests("post", "/landed-cost")[0].json
        self.assertEqual(sent["items"][0]["commodityCode"], "940161")
        self.assertEqual(sent["items"][0]["manufacturerCountry"], "IT")
        self.assertEqual(sent["currencyCode"], order.currency_id.name)
        self.assertIn("DHL's estimate at destination: duties", result["warning_message"])

    def test_duties_estimate_failure_does_not_block_the_rate(self):
        self.carrier.dhl_landed_cost = True
        self.fake.next_server_error("post", "/landed-cost")
        self.fake.next_server_error("post", "/landed-cost")
        order = self._order(self.swiss_client, (self.sofa, 1))

        result = self.carrier.rate_shipment(order)

        self.assertTrue(result["success"], result["error_message"])
        self.assertIn("No duties and taxes estimate", result["warning_message"])
