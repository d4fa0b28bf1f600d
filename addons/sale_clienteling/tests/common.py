from odoo import Command
from odoo.tests import TransactionCase, new_test_user

# A sales assistant: sells, own documents only, and may add and change contacts.
ASSISTANT = "sales_team.group_sale_salesman,base.group_partner_manager"


class ClientelingCase(TransactionCase):
    """A company with private client books: two assistants (sales, own documents only),
    each with a client who has an order, an invoice and a delivery; a sales manager, a
    warehouse user and an accountant."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write({"clienteling_privacy": True, "clienteling_link_guests": True})
        cls.alice = cls._user("assistant_alice", ASSISTANT)
        cls.bruno = cls._user("assistant_bruno", ASSISTANT)
        cls.manager = cls._user("sales_manager_mia", "sales_team.group_sale_manager")
        cls.warehouse = cls._user("warehouse_wim", "stock.group_stock_user")
        cls.accountant = cls._user("accountant_ada", "account.group_account_invoice")
        cls.product = cls.env["product.product"].create(
            {"name": "Walnut console", "type": "consu", "is_storable": True, "list_price": 1200}
        )
        cls.client_a = cls._client("Anne Aubert", "anne.aubert@example.com", cls.alice)
        cls.client_b = cls._client("Boris Brandt", "boris.brandt@example.com", cls.bruno)
        cls.delivery_b = cls.env["res.partner"].create(
            {
                "name": "Brandt country house",
                "type": "delivery",
                "parent_id": cls.client_b.id,
                "street": "7 Lindenallee",
                "city": "Potsdam",
            }
        )
        cls.order_a = cls._order(cls.client_a, cls.alice)
        # No salesperson on it: Odoo shows such orders to every salesperson.
        cls.order_b = cls._order(cls.client_b, False, shipping=cls.delivery_b)
        cls.invoice_b = cls.order_b._create_invoices()
        cls.invoice_b.action_post()
        cls.note_b = cls.env["clienteling.note"].create(
            {
                "partner_id": cls.client_b.id,
                "kind": "budget",
                "summary": "Budget up to 40k for the library",
            }
        )
        cls.attachment_b = cls.env["ir.attachment"].create(
            {
                "name": "brandt-floor-plan.pdf",
                "raw": b"%PDF-1.4",
                "res_model": "res.partner",
                "res_id": cls.client_b.id,
            }
        )
        cls.client_b.message_post(body="Called Boris about the library shelves")

    @classmethod
    def _user(cls, login, groups):
        return new_test_user(
            cls.env, login, groups=groups, email=f"{login}@maison.example", name=login.title()
        )

    @classmethod
    def _client(cls, name, email, assistant, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "email": email,
                "phone": f"+33 1 {abs(hash(name)) % 10**8:08d}",
                "street": f"{len(name)} rue {name.split()[-1]}",
                "city": "Paris",
                "user_id": assistant and assistant.id,
                **values,
            }
        )

    @classmethod
    def _order(cls, client, salesperson, shipping=None, confirm=True, company=None):
        order = cls.env["sale.order"].create(
            {
                "partner_id": client.id,
                "partner_shipping_id": (shipping or client).id,
                "user_id": salesperson and salesperson.id,
                "company_id": (company or cls.env.company).id,
                "order_line": [Command.create({"product_id": cls.product.id})],
            }
        )
        if confirm:
            order.action_confirm()
        return order
