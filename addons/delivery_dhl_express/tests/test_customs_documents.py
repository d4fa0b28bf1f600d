from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import INVOICE_PDF, LABEL_PDF, DhlExpressCase


@tagged("post_install", "-at_install")
class TestDhlExpressCustomsDocuments(DhlExpressCase):
    """The commercial invoice: one currency, drawn up by DHL, sent electronically or printed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.signatory = cls.env["res.partner"].create(
            {
                "name": "Anna Huber",
                "function": "Export Manager",
                "parent_id": cls.company.partner_id.id,
            }
        )
        cls.carrier.dhl_invoice_signatory_id = cls.signatory
        cls.cushion = cls.env["product.product"].create(
            {
                "name": "Velvet cushion",
                "type": "consu",
                "is_storable": True,
                "list_price": 50.0,
                "weight": 0.8,
                "hs_code": "940490",
                "country_of_origin": cls.env.ref("base.it").id,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.cushion, cls.warehouse.lot_stock_id, 10
        )

    def _documents(self, picking):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "stock.picking"), ("res_id", "=", picking.id)], order="id"
        )

    def _sent(self):
        return next(iter(self.fake.shipments.values()))

    def _in_swiss_francs(self):
        """Swiss francs at 2 per unit of the company's currency, and a price list in them."""
        francs = self.env.ref("base.CHF")
        francs.active = True
        Rate = self.env["res.currency.rate"]
        Rate.search([("currency_id", "in", (francs | self.company.currency_id).ids)]).unlink()
        Rate.create(
            {
                "currency_id": francs.id,
                "rate": 2.0,
                "name": date.today(),
                "company_id": self.company.id,
            }
        )
        self.swiss_client.property_product_pricelist = self.env["product.pricelist"].create(
            {"name": "Swiss francs", "currency_id": francs.id}
        )
        return francs

    def _add_unsold_goods(self, picking, product, quantity):
        """Goods added to the delivery by the warehouse, outside the sales order."""
        move = self.env["stock.move"].create(
            {
                "name": product.name,
                "picking_id": picking.id,
                "product_id": product.id,
                "product_uom_qty": quantity,
                "product_uom": product.uom_id.id,
                "location_id": picking.location_id.id,
                "location_dest_id": picking.location_dest_id.id,
            }
        )
        move._action_confirm()
        move._action_assign()
        move.quantity = quantity
        move.picked = True
        return move

    def test_customs_declare_every_line_in_the_invoices_currency(self):
        francs = self._in_swiss_francs()
        picking = self._delivery(self.swiss_client, (self.sofa, 1), (self.lamp, 2))
        self._add_unsold_goods(picking, self.cushion, 2)  # 50 in the company's currency
        order_lines = picking.sale_id.order_line.filtered(lambda line: not line.is_delivery)
        self.assertEqual(picking.sale_id.currency_id, francs)

        picking.button_validate()

        content = self._sent()["content"]
        self.assertEqual(content["declaredValueCurrency"], "CHF")
        items = content["exportDeclaration"]["lineItems"]
        expected = [round(line.price_reduce_taxexcl, 3) for line in order_lines] + [100.0]
        self.assertEqual([item["price"] for item in items], expected)
        self.assertEqual([item["quantity"]["value"] for item in items], [1, 2, 2])
        self.assertAlmostEqual(
            content["declaredValue"], expected[0] + 2 * expected[1] + 2 * 100.0, places=3
        )
        self.assertEqual(picking.state, "done")

    def test_a_line_without_customs_value_is_reported_before_calling_dhl(self):
        self._in_swiss_francs()
        self.cushion.list_price = 0.0
        picking = self._delivery(self.swiss_client, (self.sofa, 1))
        self._add_unsold_goods(picking, self.cushion, 1)

        with self.assertRaises(UserError) as caught:
            picking.button_validate()

        self.assertIn(
            f"Line 2 ({self.cushion.display_name}): no customs value in CHF.",
            str(caught.exception),
        )
        self.assertEqual(self._requests("post", "/shipments"), [])

    def test_paperless_trade_has_dhl_send_its_signed_invoice_and_attaches_it(self):
        self.carrier.dhl_paperless_trade = True
        picking = self._delivery(self.swiss_client, (self.sofa, 1), (self.lamp, 2))

        picking.button_validate()

        body = self._sent()
        self.assertEqual(body["valueAddedServices"], [{"serviceCode": "WY"}])
        self.assertEqual(
            body["outputImageProperties"]["imageOptions"],
            [
                {
                    "typeCode": "invoice",
                    "isRequested": True,
                    "invoiceType": "commercial",
                    "languageCode": "eng",
                }
            ],
        )
        declaration = body["content"]["exportDeclaration"]
        self.assertEqual(declaration["invoice"]["signatureName"], "Anna Huber")
        self.assertEqual(declaration["invoice"]["signatureTitle"], "Export Manager")
        self.assertEqual(declaration["placeOfIncoterm"], "Zürich", "DAP: the destination")
        number = picking.carrier_tracking_ref
        documents = self._documents(picking)
        self.assertEqual(
            documents.mapped("name"),
            [
                f"LabelShipping-dhl_express-label-{number}.pdf",
                f"ShippingDoc-dhl_express-invoice-{number}.pdf",
            ],
        )
        self.assertEqual(documents[1].raw, INVOICE_PDF)
        self.assertTrue(
            [m for m in picking.message_ids if "Paperless trade" in (m.body or "")],
            "the chatter says no paper invoice needs to travel",
        )

    def test_paperless_trade_needs_the_signatorys_job_position(self):
        self.carrier.dhl_paperless_trade = True
        self.signatory.function = False
        picking = self._delivery(self.swiss_client, (self.sofa, 1))

        with self.assertRaises(UserError) as caught:
            picking.button_validate()

        self.assertIn("signatory Anna Huber has no job position", str(caught.exception))
        self.assertIn("has no job position", str(caught.exception))
        self.assertEqual(self.fake.requests, [])

    def test_without_paperless_trade_dhls_invoice_is_attached_to_print(self):
        picking = self._delivery(self.swiss_client, (self.sofa, 1))

        picking.button_validate()

        body = self._sent()
        self.assertNotIn("valueAddedServices", body)
        self.assertTrue(body["outputImageProperties"]["imageOptions"][0]["isRequested"])
        invoice = self._documents(picking).filtered(lambda a: a.name.startswith("ShippingDoc"))
        self.assertEqual(invoice.raw, INVOICE_PDF)

    def test_a_domestic_shipment_asks_no_invoice(self):
        picking = self._delivery(self.hamburg_client, (self.lamp, 1))

        picking.button_validate()

        self.assertNotIn("outputImageProperties", self._sent())
        self.assertEqual(len(self._documents(picking)), 1, "the label only")

    def test_the_documents_can_be_downloaded_again(self):
        picking = self._delivery(self.swiss_client, (self.sofa, 1))
        picking.button_validate()
        number = picking.carrier_tracking_ref
        before = self._documents(picking)

        picking.action_dhl_download_documents()

        again = self._documents(picking) - before
        self.assertEqual(
            [(a.name, a.raw) for a in again],
            [
                (f"LabelShipping-dhl_express-waybill-{number}.pdf", LABEL_PDF),
                (f"ShippingDoc-dhl_express-commercial-invoice-{number}.pdf", INVOICE_PDF),
            ],
        )
        asked = self._requests("get", "/shipments/{shipmentTrackingNumber}/get-image")
        self.assertEqual([r.query["typeCode"] for r in asked], ["waybill", "commercial-invoice"])
        self.assertEqual(
            {r.query["pickupYearAndMonth"] for r in asked},
            {f"{picking.dhl_planned_shipping_date:%Y-%m}"},
        )
        self.assertTrue([m for m in picking.message_ids if "downloaded again" in (m.body or "")])

    def test_downloading_documents_dhl_does_not_have_says_so(self):
        picking = self._delivery(self.hamburg_client, (self.lamp, 1))
        picking.button_validate()
        self.fake.archive.clear()

        with self.assertRaises(UserError) as caught:
            picking.action_dhl_download_documents()

        self.assertIn("DHL has no document of waybill", str(caught.exception))
        self.assertEqual(
            len(self._requests("get", "/shipments/{shipmentTrackingNumber}/get-image")), 1
        )

    def test_no_download_without_a_waybill(self):
        picking = self._delivery(self.hamburg_client, (self.lamp, 1))
        with self.assertRaises(UserError):
            picking.action_dhl_download_documents()
        self.assertEqual(self.fake.requests, [])

    def test_exporter_and_importer_registration_numbers_go_to_customs(self):
        self.company.partner_id.write({"vat": "DE 123 456 789", "eori_number": "DE1234567890123"})
        self.swiss_client.vat = "CHE-123.456.789 MWST"
        picking = self._delivery(self.swiss_client, (self.sofa, 1))

        picking.button_validate()

        details = self._sent()["customerDetails"]
        self.assertEqual(
            details["shipperDetails"]["registrationNumbers"],
            [
                {"typeCode": "VAT", "number": "DE123456789", "issuerCountryCode": "DE"},
                {"typeCode": "EOR", "number": "DE1234567890123", "issuerCountryCode": "DE"},
            ],
        )
        self.assertEqual(
            details["receiverDetails"]["registrationNumbers"],
            [{"typeCode": "VAT", "number": "CHE-123.456.789MWST", "issuerCountryCode": "CH"}],
        )

    def test_no_registration_numbers_inside_one_customs_territory(self):
        self.company.partner_id.write({"vat": "DE123456789", "eori_number": "DE1234567890123"})
        picking = self._delivery(self.hamburg_client, (self.lamp, 1))

        picking.button_validate()

        details = self._sent()["customerDetails"]
        self.assertNotIn("registrationNumbers", details["shipperDetails"])
