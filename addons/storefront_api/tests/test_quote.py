from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import StorefrontCase


@tagged("post_install", "-at_install")
class TestQuote(StorefrontCase):
    def _quote(self, **body):
        return self.api("POST", "/quote", {"product_id": self.table.id, **body})

    def test_configured_piece_is_priced_with_its_delivery_estimate(self):
        orders = self.env["sale.order"].search_count([])
        response = self._quote(
            quantity=2,
            measurements=[{"code": "width", "value": 180}, {"code": "height", "value": 75}],
            country="FR",
        )
        self.assertEqual(response.status_code, 200, response.text)
        quote = response.json()
        self.assertEqual(quote["unit_price"]["amount"], 4000.0)
        self.assertEqual(quote["total"]["amount"], 8000.0)
        self.assertTrue(quote["made_to_order"])
        self.assertEqual(quote["lead_time_days"], 30)
        self.assertEqual(quote["required_documents"][0]["code"], "t_cad")
        self.assertEqual(self.env["sale.order"].search_count([]), orders, "nothing saved")

    def test_out_of_range_measurement_gets_the_back_office_message(self):
        """The same check as an order line in the back office, word for word."""
        order = self._sell((self.table, 1), confirm=False)
        with self.assertRaises(ValidationError) as back_office:
            order.order_line.mto_measurement_ids = [
                Command.create({"type_id": self.width.id, "value": 401})
            ]
        response = self._quote(measurements=[{"code": "width", "value": 401}])
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"], back_office.exception.args[0])
        self.assertIn("60.0 to 400.0 cm", response.json()["detail"])

    def test_missing_unknown_and_repeated_measurements_are_refused(self):
        missing = self._quote(measurements=[{"code": "height", "value": 75}])
        self.assertEqual(missing.status_code, 422)
        self.assertIn("Width is required", missing.json()["detail"])
        unknown = self._quote(measurements=[{"code": "colour", "value": 3}])
        self.assertEqual(unknown.status_code, 422)
        self.assertIn("no measurement colour", unknown.json()["detail"])
        twice = self._quote(
            measurements=[{"code": "width", "value": 100}, {"code": "width", "value": 120}]
        )
        self.assertEqual(twice.status_code, 422)

    def test_written_in_values_only_where_the_product_takes_them(self):
        ptav = self.side_table.product_template_attribute_value_ids[:1]
        response = self.api(
            "POST",
            "/quote",
            {
                "product_id": self.side_table.id,
                "custom_values": [{"attribute_value_id": ptav.id or 999999, "value": "Engraved"}],
            },
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("takes no written-in value", response.json()["detail"])

    def test_stocked_piece_in_stock_ships_without_the_manufacturer(self):
        response = self.api("POST", "/quote", {"product_id": self.side_table.id, "quantity": 2})
        quote = response.json()
        self.assertFalse(quote["made_to_order"])
        self.assertEqual(quote["lead_time_days"], 0)
        more = self.api("POST", "/quote", {"product_id": self.side_table.id, "quantity": 6})
        self.assertTrue(more.json()["made_to_order"], "5 in stock: 6 are ordered")
        self.assertEqual(more.json()["lead_time_days"], 30)
