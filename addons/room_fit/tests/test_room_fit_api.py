from odoo.tests import tagged

from odoo.addons.storefront_api.tests.common import StorefrontCase


@tagged("post_install", "-at_install")
class TestRoomFitApi(StorefrontCase):
    """A 250 x 150 cm room whose west door opens inwards from the south-west corner: its
    80 cm leaf sweeps the first 80 cm of the south and north walls' 90 cm deep strips."""

    ROOM = {
        "width": 250,
        "depth": 150,
        "openings": [{"kind": "door", "wall": "west", "offset": 0, "width": 80, "swing": "in"}],
        "clearances": {"front": 0, "side": 0, "door_passage": 0},
    }

    def test_in_stock_first_then_the_made_to_order_table_sized_to_the_free_wall(self):
        response = self.api("POST", "/room-fit", {**self.ROOM, "category_id": self.categ_tables.id})
        self.assertEqual(response.status_code, 200, response.text)
        suggestions = response.json()["suggestions"]
        self.assertEqual([s["name"] for s in suggestions], ["Test Side Table", "Test Oak Table"])
        side, table = suggestions
        self.assertTrue(side["in_stock"])
        self.assertEqual(table["size"], {"width": 170.0, "depth": 90.0, "height": 75.0})
        self.assertEqual(table["measurements"], [{"code": "width", "value": 170.0}])
        self.assertEqual(
            [(p["wall"], p["offset_min"], p["offset_max"]) for p in table["placements"]],
            [("south", 80.0, 80.0), ("north", 80.0, 80.0)],
        )
        self.assertIn("170 x 90 cm", table["reason"])
        # the suggestion can be quoted as it is
        quote = self.api(
            "POST",
            "/quote",
            {"product_id": table["variant_id"], "measurements": table["measurements"]},
        )
        self.assertEqual(quote.status_code, 200, quote.text)

    def test_a_table_below_its_smallest_width_is_rejected_with_why(self):
        self.width.min_value = 180
        room = {**self.ROOM, "category_id": self.categ_tables.id}
        rejected = self.api("POST", "/room-fit", room).json()["rejected"]
        (table,) = [r for r in rejected if r["name"] == "Test Oak Table"]
        self.assertIn("Even at its smallest size (180 x 90 cm)", table["reason"])
        self.assertIn("the widest free wall space is 170 cm", table["reason"])

    def test_a_room_that_cannot_be_measured_is_a_422(self):
        room = {
            **self.ROOM,
            "openings": [{"kind": "door", "wall": "west", "offset": 100, "width": 80}],
        }
        response = self.api("POST", "/room-fit", room)
        self.assertEqual(response.status_code, 422)
        self.assertIn("goes past the end of the wall", response.json()["detail"])

    def test_the_room_fit_scope(self):
        self.storefront.scope_room_fit = False
        self.assertEqual(self.api("POST", "/room-fit", self.ROOM).status_code, 403)
