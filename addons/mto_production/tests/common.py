import base64

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

PDF = base64.b64encode(b"%PDF-1.4\n%test\n")


class MtoProductionCase(TransactionCase):
    """A retailer with two manufacturers, made-to-order and stocked products, and its staff."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.prepayment_percent = 1.0
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cm = cls.env.ref("uom.product_uom_cm")
        cls.doc_cad = cls.env["mto.document.type"].create({"name": "Test CAD", "code": "t_cad"})
        cls.doc_render = cls.env["mto.document.type"].create(
            {"name": "Test Rendering", "code": "t_render"}
        )
        cls.categ_tables = cls.env["product.category"].create(
            {
                "name": "Test Tables",
                "mto_document_type_ids": [Command.set(cls.doc_cad.ids)],
            }
        )
        cls.width = cls.env["mto.measurement.type"].create(
            {
                "name": "Width",
                "code": "width",
                "categ_id": cls.categ_tables.id,
                "uom_id": cm.id,
                "min_value": 60,
                "max_value": 400,
            }
        )
        cls.height = cls.env["mto.measurement.type"].create(
            {
                "name": "Height",
                "code": "height",
                "categ_id": cls.categ_tables.id,
                "uom_id": cm.id,
                "min_value": 40,
                "max_value": 110,
                "required": False,
            }
        )
        cls.categ_lamps = cls.env["product.category"].create({"name": "Test Lamps"})

        cls.workshop = cls.env["res.partner"].create(
            {
                "name": "Test Workshop",
                "is_company": True,
                "is_manufacturer": True,
                "email": "orders@workshop.example",
            }
        )
        cls.other_workshop = cls.env["res.partner"].create(
            {
                "name": "Other Workshop",
                "is_company": True,
                "is_manufacturer": True,
                "email": "orders@other.example",
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Mrs Customer",
                "email": "customer@example.com",
                "phone": "+33 6 00 00 00 00",
                "street": "1 Private Lane",
                "city": "Paris",
            }
        )

        cls.table = cls._create_product(
            "Test Oak Table", "made_to_order", cls.categ_tables, cls.workshop, price=4000
        )
        cls.sofa = cls._create_product(
            "Test Sofa", "made_to_order", cls.categ_lamps, cls.other_workshop, price=5000
        )
        cls.side_table = cls._create_product(
            "Test Side Table", "customisable", cls.categ_tables, cls.workshop, price=900
        )
        cls.lamp = cls._create_product("Test Lamp", False, cls.categ_lamps, cls.workshop, price=300)
        cls.env["stock.quant"]._update_available_quantity(
            cls.side_table, cls.warehouse.lot_stock_id, 5
        )
        cls.env["stock.quant"]._update_available_quantity(cls.lamp, cls.warehouse.lot_stock_id, 10)

        cls.salesman = new_test_user(
            cls.env, "mto_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.sales_manager = new_test_user(
            cls.env,
            "mto_sales_manager",
            groups="sales_team.group_sale_manager,account.group_account_invoice",
        )
        cls.production_user = new_test_user(
            cls.env, "mto_production_user", groups="mto_production.group_mto_user"
        )
        cls.production_manager = new_test_user(
            cls.env, "mto_production_manager", groups="mto_production.group_mto_manager"
        )

    @classmethod
    def _create_product(cls, name, mode, categ, manufacturer, price):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "consu",
                "is_storable": True,
                "categ_id": categ.id,
                "list_price": price,
                "mto_mode": mode,
                "seller_ids": [
                    Command.create({"partner_id": manufacturer.id, "price": price / 2, "delay": 30})
                ],
            }
        )

    def _sell(self, *lines, confirm=True):
        """A sales order for the customer; lines are (product, qty) or (product, qty, vals)."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": line[0].id,
                            "product_uom_qty": line[1],
                            **(line[2] if len(line) > 2 else {}),
                        }
                    )
                    for line in lines
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def _measure(self, sale_line, **values):
        """Enter the line's measurements as a sales user does in the specification dialog."""
        kinds = {"width": self.width, "height": self.height}
        sale_line.mto_measurement_ids = [
            Command.create({"type_id": kinds[code].id, "value": value})
            for code, value in values.items()
        ]

    def _attach(self, sale_line, doc_type):
        return self.env["mto.production.file"].create(
            {
                "name": f"{doc_type.name}.pdf",
                "file_name": f"{doc_type.name}.pdf",
                "file": PDF,
                "document_type_id": doc_type.id,
                "sale_line_id": sale_line.id,
            }
        )

    def _pay(self, order, amount=None):
        """The customer pays an invoice of the order (all of it, or `amount`)."""
        invoice = order._create_invoices()
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move",
            active_ids=invoice.ids,
        ).create({"amount": amount or invoice.amount_residual})._create_payments()
        return invoice

    def _purchase_orders(self, order):
        return self.env["purchase.order"].search([("mto_sale_id", "=", order.id)])
