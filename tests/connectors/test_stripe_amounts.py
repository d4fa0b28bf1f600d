"""Amounts in a currency's minor units, as Stripe wants them (``to_minor_units``,
``from_minor_units``), without Odoo and without Stripe."""

from decimal import Decimal

import pytest

from tests.conftest import load_addon_file

gateway_mod = load_addon_file("payment_stripe_mto", "models/stripe_request.py")


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        (Decimal("1250.50"), "EUR", 125050),
        (19.99, "usd", 1999),  # a float is taken as written, not as 1998.999...
        (Decimal("0.005"), "EUR", 1),  # half up
        (500, "JPY", 500),  # zero-decimal
        (Decimal("1234.6"), "krw", 1235),
        ("7000", "XOF", 7000),
        (Decimal("5.124"), "KWD", 5120),  # three-decimal: last digit must be 0
        (Decimal("5.125"), "KWD", 5130),
        (Decimal("12.340"), "BHD", 12340),
        (Decimal("0.999"), "TND", 1000),
        (Decimal("40.10"), "ISK", 4000),  # two-decimal in the API, whole krónur only
        (Decimal("40.50"), "ISK", 4100),
    ],
)
def test_to_minor_units(amount, currency, minor):
    assert gateway_mod.to_minor_units(amount, currency) == minor


@pytest.mark.parametrize(
    ("minor", "currency", "amount"),
    [
        (125050, "EUR", Decimal("1250.50")),
        (500, "JPY", Decimal("500")),
        (5120, "kwd", Decimal("5.12")),
        (12345, "OMR", Decimal("12.345")),
        (4000, "ISK", Decimal("40")),
    ],
)
def test_from_minor_units(minor, currency, amount):
    assert gateway_mod.from_minor_units(minor, currency) == amount


def test_minor_units_refuse_nonsense():
    for amount, currency in ((-1, "EUR"), ("NaN", "EUR"), (10, "EURO"), (10, "")):
        with pytest.raises(ValueError):
            gateway_mod.to_minor_units(amount, currency)
