"""Settling a price difference charges or refunds the customer's card as superuser: only
the back office's managers and billing people may start it, from any route."""

from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import StripeMtoHttpCase

LOGGERS = (
    "odoo.addons.payment_stripe_mto.controllers.main",
    "odoo.addons.payment.models.payment_transaction",
    "odoo.http",
)


@tagged("post_install", "-at_install")
class TestSettleDifferenceRights(StripeMtoHttpCase):
    """Charging the saved card or refunding it is the back office's decision."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_customer = new_test_user(
            cls.env,
            "mto_stripe_portal_customer",
            groups="base.group_portal",
            partner_id=cls.customer.id,
        )
        cls.billing_user = new_test_user(
            cls.env, "mto_stripe_billing", groups="base.group_user,account.group_account_invoice"
        )
        cls.sales_manager_only = new_test_user(
            cls.env, "mto_stripe_sales_manager", groups="sales_team.group_sale_manager"
        )
        # The retailer's web shop (Odoo's website_sale) lets customers read the catalogue:
        # the same read rights here, so that nothing but the rights check stands in the way.
        portal = cls.env.ref("base.group_portal")
        cls.env["ir.model.access"].create(
            [
                {
                    "name": f"{model} read by customers (web shop)",
                    "model_id": cls.env["ir.model"]._get_id(model),
                    "group_id": portal.id,
                    "perm_read": True,
                }
                for model in ("product.product", "product.template", "product.category")
            ]
        )

    def _paid_order_with_new_price(self, price_unit):
        order, _tx = self._pay_deposit()
        order.action_mto_invoice_balance()
        order.order_line.filtered(
            lambda line: not line.display_type and not line.is_downpayment
        ).price_unit = price_unit
        self.assertTrue(order._mto_price_difference())
        return order

    def _settle_as(self, user, order):
        self.authenticate(user.login, user.login)
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "sale.order",
                "method": "action_mto_settle_difference",
                "args": [order.ids],
                "kwargs": {},
            },
        )

    def _footprint(self, order):
        """Everything settling could leave behind, here and at Stripe."""
        return {
            "transactions": self.env["payment.transaction"].search_count([]),
            "moves": self.env["account.move"].search_count([]),
            "messages": self.env["mail.message"].search_count(
                [("model", "=", "sale.order"), ("res_id", "=", order.id)]
            ),
            "activities": len(order.activity_ids),
            "stripe_writes": len([r for r in self.fake.requests if r.method == "POST"]),
            "stripe_refunds": len(self.fake.refunds),
        }

    def _assert_refused(self, user, order):
        before = self._footprint(order)
        with self.assertRaises(JsonRpcException) as caught:
            self._settle_as(user, order)
        self.assertEqual(str(caught.exception), "odoo.exceptions.AccessError")
        self.env.invalidate_all()
        self.assertEqual(self._footprint(order), before)

    @mute_logger(*LOGGERS)
    def test_portal_customer_cannot_have_the_overpayment_refunded(self):
        order = self._paid_order_with_new_price(3800)
        self._assert_refused(self.portal_customer, order)
        self.fake.assert_clean()

    @mute_logger(*LOGGERS)
    def test_portal_customer_cannot_have_the_card_charged(self):
        order = self._paid_order_with_new_price(4500)
        self._assert_refused(self.portal_customer, order)
        self.fake.assert_clean()

    @mute_logger(*LOGGERS)
    def test_salesperson_cannot_settle(self):
        order = self._paid_order_with_new_price(3800)
        order.user_id = self.salesman  # their own order: they read it, they may not settle it
        self._assert_refused(self.salesman, order)
        self.fake.assert_clean()

    def test_billing_user_and_sales_manager_settle(self):
        order = self._paid_order_with_new_price(3800)
        self._settle_as(self.billing_user, order)
        self.env.invalidate_all()
        self.assertEqual(len(self.fake.refunds), 1)
        self.assertEqual(order._mto_price_difference(), 0)
        order = self._paid_order_with_new_price(4500)
        self._settle_as(self.sales_manager_only, order)
        self.env.invalidate_all()
        self.assertEqual(order._mto_price_difference(), 0)
        self.fake.assert_clean()
