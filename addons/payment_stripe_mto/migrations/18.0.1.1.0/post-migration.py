"""The Stripe deposit becomes made-to-order's deposit, on Odoo's own prepayment share.

Up to 18.0.1.0.0 this module kept ``mto_deposit_percent`` (a company default and each order's
deposit). A deposit set the order's prepayment share (Odoo's ``prepayment_percent``, and the
share paid before production) and asked for online payment. From 18.0.1.1.0 ``mto_production``
owns the deposit: a prepayment share below 100% in a company that takes deposits. The orders
already carry their deposit as their prepayment share (``mto_production``'s migration, run
before this one, made it the share paid before production too), so no order's due amount
changes. The companies get the same defaults from Odoo's own settings: online payment of the
deposit's share.
"""

import logging

from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version or not column_exists(cr, "res_company", "mto_deposit_percent"):
        return
    cr.execute(
        """
        UPDATE res_company
           SET mto_deposit = TRUE,
               portal_confirmation_pay = TRUE,
               prepayment_percent = mto_deposit_percent
         WHERE mto_deposit_percent > 0
        """
    )
    if not column_exists(cr, "sale_order", "mto_deposit_percent"):
        return
    # An order given a deposit of its own in a company without one: the company takes
    # deposits, its default share (Odoo's) stays.
    cr.execute(
        """
        UPDATE res_company company
           SET mto_deposit = TRUE
         WHERE NOT COALESCE(company.mto_deposit, FALSE)
           AND EXISTS (
               SELECT 1 FROM sale_order
                WHERE company_id = company.id AND mto_deposit_percent > 0
           )
        RETURNING name
        """
    )
    if names := [name for (name,) in cr.fetchall()]:
        _logger.warning(
            "Companies now taking deposits, as some of their orders had one: %s",
            ", ".join(names),
        )
    # Orders without a deposit of their own whose share below 100% now reads as a deposit.
    cr.execute(
        """
        SELECT sale_order.name FROM sale_order
          JOIN res_company ON res_company.id = sale_order.company_id
         WHERE res_company.mto_deposit
           AND COALESCE(sale_order.mto_deposit_percent, 0) = 0
           AND sale_order.prepayment_percent > 0 AND sale_order.prepayment_percent < 1
           AND sale_order.state != 'cancel'
        """
    )
    if names := [name for (name,) in cr.fetchall()]:
        _logger.warning(
            "Orders without a deposit whose prepayment below 100%% is now one (their balance "
            "is invoiced on delivery where set): %s",
            ", ".join(names),
        )
