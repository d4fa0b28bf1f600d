import base64
from datetime import timedelta

from odoo import Command, api, fields, models

DEMO_PDF = base64.b64encode(b"%PDF-1.4\n% demo production file\n")


class FurnitureSuiteDemo(models.AbstractModel):
    """Builds the demo story through the real flows: each order reached its state the way a
    user would have brought it there (sold, paid, validated, accepted...)."""

    _name = "furniture.suite.demo"
    _description = "Furniture Suite demo story"

    @api.model
    def _create_demo_orders(self):
        ref = self.env.ref
        table = ref("mto_production.product_oak_dining_table").product_variant_id
        sofa = ref("mto_production.product_velvet_sofa").product_variant_id
        side_table = ref("mto_production.product_walnut_side_table").product_variant_id
        lamp = ref("mto_production.product_brass_floor_lamp").product_variant_id
        customers = [
            ref(f"furniture_suite.customer_{key}")
            for key in ("dupont", "moretti", "hansen", "lambert")
        ]

        def sell(customer, lines, days=60):
            order = self.env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "commitment_date": fields.Datetime.now() + timedelta(days=days),
                    "order_line": [
                        Command.create({"product_id": p.id, "product_uom_qty": q}) for p, q in lines
                    ],
                }
            )
            return order

        def specify(order, width=220, depth=95, cad=True):
            for line in order.order_line.filtered("product_id.mto_mode"):
                line._mto_add_missing_measurements()
                for measurement in line.mto_measurement_ids:
                    measurement.value = {"width": width, "depth": depth}.get(
                        measurement.type_id.code, measurement.type_id.min_value
                    )
                if cad and line.product_id.categ_id.mto_document_type_ids.filtered(
                    lambda d: d.code == "cad"
                ):
                    self.env["mto.production.file"].create(
                        {
                            "name": f"{order.name} - {line.product_id.name} - CAD.pdf",
                            "file_name": "cad.pdf",
                            "file": DEMO_PDF,
                            "document_type_id": ref("mto_production.document_type_cad").id,
                            "sale_line_id": line.id,
                        }
                    )

        def pay(order):
            invoice = order._create_invoices()
            invoice.action_post()
            self.env["account.payment.register"].with_context(
                active_model="account.move",
                active_ids=invoice.ids,
            ).create({})._create_payments()

        def production(order):
            return order.mto_purchase_ids

        # A quotation still being discussed
        sell(customers[0], [(table, 1), (lamp, 2)])
        # Confirmed, waiting for the customer's payment
        sell(customers[1], [(sofa, 1)]).action_confirm()
        # Paid: the order to the manufacturer waits for validation, a CAD drawing is missing
        order = sell(customers[2], [(table, 1)], days=20)
        specify(order, cad=False)
        order.action_confirm()
        pay(order)
        # Released by a sales manager before payment
        order = sell(customers[3], [(side_table, 1)], days=45)
        specify(order, width=70)
        order.action_confirm()
        order._mto_release("Long-standing trade customer, pays at delivery")
        # Validated, awaiting the manufacturer
        order = sell(customers[0], [(table, 1)], days=50)
        specify(order)
        order.action_confirm()
        pay(order)
        production(order).action_mto_validate()
        # Accepted, in production, completed, in rework, declined
        stages = [
            ("accepted", customers[1], 70),
            ("in_production", customers[2], 30),
            ("completed", customers[3], 10),
            ("rework", customers[0], -3),
            ("declined", customers[1], 80),
        ]
        for stage, customer, days in stages:
            order = sell(customer, [(table, 1 if stage != "completed" else 2)], days=days)
            specify(order, width=180 + days)
            order.action_confirm()
            pay(order)
            purchase = production(order)
            purchase.action_mto_validate()
            if stage == "declined":
                purchase._mto_decline("Our oak supplier is out of stock until spring")
                continue
            purchase.action_mto_accept()
            purchase.mto_expected_date = fields.Date.today() + timedelta(days=max(days - 7, 1))
            if stage == "accepted":
                continue
            purchase.action_mto_start()
            if stage == "in_production":
                continue
            purchase.action_mto_complete()
            if stage == "rework":
                purchase.action_mto_rework("A crack in the left leg, found at quality control")
