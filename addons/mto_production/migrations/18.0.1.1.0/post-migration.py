"""The share paid before production becomes Odoo's own prepayment share.

Up to 18.0.1.0.0 the module kept ``mto_prepayment_percent`` (a company default and each
order's share paid before its made-to-order lines are ordered) beside Odoo's
``prepayment_percent`` (the share paid online to confirm a quotation). From 18.0.1.1.0 Odoo's
field is the only one. No order's due amount changes:

- Odoo reads its share only for a quotation confirmed by online payment (the amount asked at
  the portal and in payment links): there Odoo's share stays as it is;
- everywhere else Odoo does not read it, and it takes the made-to-order share, so what is
  paid before production stays the same.

A quotation with both shares set differently keeps the customer's amount; it is logged, as its
production would now start at that amount. The companies do the same with their defaults.
"""

import logging

from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)

# An unset share (NULL or 0) meant the whole order, before and after.
EFFECTIVE = "COALESCE(NULLIF({}, 0), 1.0)"
OLD_SHARE = EFFECTIVE.format("mto_prepayment_percent")
NEW_SHARE = EFFECTIVE.format("prepayment_percent")


def migrate(cr, version):
    if not version or not column_exists(cr, "sale_order", "mto_prepayment_percent"):
        return
    cr.execute(
        f"""
        UPDATE sale_order
           SET prepayment_percent = {OLD_SHARE}
         WHERE {OLD_SHARE} != {NEW_SHARE}
           AND NOT (state IN ('draft', 'sent') AND require_payment)
        """
    )
    _logger.info("Prepayment before production moved to %s orders' own share", cr.rowcount)
    cr.execute(
        f"""
        SELECT name FROM sale_order
         WHERE {OLD_SHARE} != {NEW_SHARE} AND state IN ('draft', 'sent') AND require_payment
        """
    )
    if names := [name for (name,) in cr.fetchall()]:
        _logger.warning(
            "Quotations paid online keep their online share, which production now asks for "
            "too (it asked for another share before): %s",
            ", ".join(names),
        )
    if not column_exists(cr, "res_company", "mto_prepayment_percent"):
        return
    cr.execute(
        f"""
        UPDATE res_company
           SET prepayment_percent = {OLD_SHARE}
         WHERE {OLD_SHARE} != {NEW_SHARE} AND NOT COALESCE(portal_confirmation_pay, FALSE)
        """
    )
    cr.execute(
        f"""
        SELECT name FROM res_company
         WHERE {OLD_SHARE} != {NEW_SHARE} AND portal_confirmation_pay
        """
    )
    if names := [name for (name,) in cr.fetchall()]:
        _logger.warning(
            "Companies confirming quotations by online payment keep its share, which new "
            "orders now pay before production too: %s",
            ", ".join(str(name) for name in names),
        )
