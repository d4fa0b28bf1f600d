from odoo.tests import tagged

from .common import DhlExpressCase


@tagged("post_install", "-at_install")
class TestDhlExpressPackages(DhlExpressCase):
    """What the warehouse put in pack travels as it is: one DHL package per package."""

    def _sent_packages(self):
        return next(iter(self.fake.shipments.values()))["content"]["packages"]

    def test_each_package_put_in_pack_is_one_dhl_package(self):
        lamp_box = self.env["stock.package.type"].create(
            # Odoo keeps package sizes in the database's length unit: millimetres here.
            {"name": "Lamp box", "packaging_length": 600, "width": 400, "height": 1800}
        )
        lamp_box.base_weight = 1.5
        picking = self._delivery(self.swiss_client, (self.sofa, 1), (self.lamp, 3))
        lamps = picking.move_line_ids.filtered(lambda ml: ml.product_id == self.lamp)
        box = picking._put_in_pack(lamps)
        box.package_type_id = lamp_box

        picking.button_validate()

        packages = self._sent_packages()
        self.assertEqual(len(packages), 2, "the box of lamps, and the sofa's crate")
        self.assertEqual(
            packages[0],
            {
                "weight": 19.5,  # three 6 kg lamps and the 1.5 kg box
                "dimensions": {"length": 60, "width": 40, "height": 180},
                "customerReferences": [{"value": box.name, "typeCode": "CU"}],
            },
        )
        self.assertEqual(packages[1]["weight"], 86.5, "the unpacked sofa keeps its crate")
        self.assertEqual(packages[1]["dimensions"], {"length": 220, "width": 95, "height": 80})

    def test_the_weighed_shipping_weight_of_a_package_wins(self):
        picking = self._delivery(self.swiss_client, (self.sofa, 1), (self.lamp, 2))
        pallet = picking._put_in_pack(picking.move_line_ids)
        pallet.shipping_weight = 112.4

        picking.button_validate()

        self.assertEqual(
            self._sent_packages(),
            [{"weight": 112.4, "customerReferences": [{"value": pallet.name, "typeCode": "CU"}]}],
            "one pallet, weighed; no package type, so no size",
        )
        self.assertEqual(picking.state, "done")
