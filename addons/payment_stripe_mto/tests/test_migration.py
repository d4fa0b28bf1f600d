from odoo.modules.migration import load_script
from odoo.tests import tagged

from odoo.addons.mto_production.tests.test_deposit import old_columns

from .common import StripeMtoCase

MTO_MIGRATION = "mto_production/migrations/18.0.1.1.0/post-migration.py"
STRIPE_MIGRATION = "payment_stripe_mto/migrations/18.0.1.1.0/post-migration.py"


@tagged("post_install", "-at_install")
class TestMigration(StripeMtoCase):
    """18.0.1.0.0's Stripe deposit becomes made-to-order's, on Odoo's prepayment share: no
    order's due amount changes, no order gains or loses its deposit."""

    def _set(self, record, **values):
        assignments = ", ".join(f"{column} = %s" for column in values)
        self.env.cr.execute(
            f"UPDATE {record._table} SET {assignments} WHERE id = %s",
            [*values.values(), record.id],
        )

    def _state(self, order, old=None):
        """(Odoo's due amount, paid before production, takes a deposit), with the old
        version's formulas when ``old`` gives its (made-to-order share, deposit)."""
        order.invalidate_recordset()
        due = order._get_default_payment_link_values()["amount"]
        if old:
            mto_share, deposit = old
            before_production = order.currency_id.round(order.amount_total * (mto_share or 1.0))
            return due, before_production, bool(deposit)
        return due, order._mto_prepayment_amount(), order.mto_has_deposit

    def test_deposits_and_due_amounts_survive_the_migration(self):
        cr = self.env.cr
        old_columns(cr, "sale_order", "mto_prepayment_percent", "mto_deposit_percent")
        old_columns(cr, "res_company", "mto_prepayment_percent", "mto_deposit_percent")
        other = self.env["res.company"].create({"name": "Other Retailer"})
        # The companies as 18.0.1.0.0 left them: a 30% deposit in the module's own field,
        # Odoo's online payment off; the other company without a deposit.
        self._set(
            self.company,
            mto_deposit=False,
            portal_confirmation_pay=False,
            prepayment_percent=1.0,
            mto_prepayment_percent=1.0,
            mto_deposit_percent=0.3,
        )
        self._set(
            other,
            mto_deposit=False,
            portal_confirmation_pay=False,
            prepayment_percent=1.0,
            mto_prepayment_percent=1.0,
            mto_deposit_percent=0.0,
        )
        # Orders as its computes stored them: (company, state, deposit, online payment,
        # Odoo's share, made-to-order share).
        cases = [
            (self.company, "draft", 0.3, True, 0.3, 0.3),  # the deposit to pay online
            (self.company, "sale", 0.3, True, 0.3, 0.3),  # the deposit paid
            (self.company, "draft", 0.0, False, 1.0, 1.0),  # its deposit removed
            (other, "sent", 0.25, True, 0.25, 0.25),  # a deposit on this order only
            (other, "sale", 0.0, False, 1.0, 1.0),
        ]
        orders = self.env["sale.order"]
        for company, state, deposit, online, share, mto_share in cases:
            order = self._quotation((self.lamp, 2))
            self._set(
                order,
                company_id=company.id,
                state=state,
                require_payment=online,
                prepayment_percent=share,
                mto_prepayment_percent=mto_share,
                mto_deposit_percent=deposit,
            )
            orders |= order
        self.env.invalidate_all()
        before = [
            self._state(order, old=(case[5], case[2]))
            for order, case in zip(orders, cases, strict=True)
        ]

        load_script(MTO_MIGRATION, "mto_production_migration").migrate(cr, "18.0.1.0.0")
        with self.assertLogs("payment_stripe_mto_migration", "WARNING") as logs:
            load_script(STRIPE_MIGRATION, "payment_stripe_mto_migration").migrate(cr, "18.0.1.0.0")
        self.env.invalidate_all()

        self.assertEqual([self._state(order) for order in orders], before)
        self.assertIn("Other Retailer", logs.output[0], "it takes deposits now")
        # New orders get what the old version gave them.
        quotation = self._quotation()
        self.assertTrue(quotation.require_payment)
        self.assertEqual(quotation.prepayment_percent, 0.3)
        self.assertTrue(quotation.mto_has_deposit)
        other_quotation = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "company_id": other.id}
        )
        self.assertFalse(other_quotation.require_payment)
        self.assertEqual(other_quotation.prepayment_percent, 1.0)
        self.assertFalse(other_quotation.mto_has_deposit)
