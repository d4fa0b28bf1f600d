from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user


class CollectionMixin:
    """A limited edition reserved to VIP clients and to one named client, and a salesperson."""

    @classmethod
    def _setup_collection(cls):
        cls.salesperson = new_test_user(
            cls.env,
            login="collection_salesperson",
            groups="sales_team.group_sale_salesman",
        )
        # The salesperson's own clients (a database with private client books shows a
        # salesperson only theirs).
        own = {"user_id": cls.salesperson.id}
        cls.vip = cls.env["res.partner.category"].create({"name": "Test VIP"})
        cls.vip_client = cls.env["res.partner"].create(
            {
                "name": "Vip Client",
                "is_company": True,
                "category_id": [Command.set(cls.vip.ids)],
                **own,
            }
        )
        cls.vip_contact = cls.env["res.partner"].create(
            {"name": "Vip Contact", "parent_id": cls.vip_client.id}
        )
        cls.chosen_client = cls.env["res.partner"].create({"name": "Chosen Client", **own})
        cls.other_client = cls.env["res.partner"].create(
            {"name": "Ordinary Client", "email": "ordinary@example.com", **own}
        )
        cls.edition_product = cls.env["product.product"].create(
            {"name": "Numbered Walnut Cabinet", "list_price": 12000, "type": "consu"}
        )
        cls.ordinary_product = cls.env["product.product"].create(
            {"name": "Ordinary Stool", "list_price": 300, "type": "consu"}
        )
        today = fields.Date.today()
        cls.edition = cls.env["sale.collection"].create(
            {
                "name": "Walnut Edition",
                "access": "restricted",
                "partner_ids": [Command.set(cls.chosen_client.ids)],
                "partner_category_ids": [Command.set(cls.vip.ids)],
                "product_tmpl_ids": [Command.set(cls.edition_product.product_tmpl_id.ids)],
                "date_start": today - timedelta(days=10),
                "date_end": today + timedelta(days=10),
                "quantity_cap": 3,
            }
        )

    def _quote(self, partner, product=None, qty=1, user=None):
        env = self.env(user=user or self.salesperson)
        return env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {"product_id": (product or self.edition_product).id, "product_uom_qty": qty}
                    )
                ],
            }
        )


class CollectionCase(CollectionMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls._setup_collection()
