"""Odoo's ``limit_time_real`` (config/prod.conf) kills a worker whose request runs too long,
wherever it is: maybe just after a provider booked, charged or sent. Each connector bounds its
timeout (``MAX_TIMEOUT``, enforced on the settings) so that the longest chain of calls one
request makes ends long before the limit."""

import configparser
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONNECTORS = ("delivery_dhl_express", "payment_stripe_mto", "sms_twilio")


def const_of(module):
    """A connector's const.py (plain values, no Odoo import), loaded on its own."""
    path = ROOT / "addons" / module / "models" / "const.py"
    spec = importlib.util.spec_from_file_location(f"{module}_const", path)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def limit_time_real(conf=ROOT / "config" / "prod.conf"):
    parser = configparser.RawConfigParser()
    parser.read(conf)
    return int(parser.get("options", "limit_time_real"))


@pytest.mark.parametrize("module", CONNECTORS)
def test_longest_chain_of_calls_ends_well_before_limit_time_real(module):
    const = const_of(module)
    assert 0 < const.DEFAULT_TIMEOUT <= const.MAX_TIMEOUT
    longest = const.MAX_TIMEOUT * const.MAX_CALLS_PER_REQUEST
    # Half the limit: the request's own work (the ORM, PDF labels...) needs time too.
    assert longest <= limit_time_real() / 2, (
        f"{module}: {const.MAX_CALLS_PER_REQUEST} calls of up to {const.MAX_TIMEOUT}s "
        f"= {longest}s, too close to limit_time_real = {limit_time_real()}s"
    )


def test_check_fails_on_a_limit_shorter_than_a_chain(tmp_path):
    """The check itself can fail: a limit shorter than DHL's longest chain is caught."""
    conf = tmp_path / "odoo.conf"
    conf.write_text("[options]\nlimit_time_real = 300\n")
    const = const_of("delivery_dhl_express")
    assert limit_time_real(conf) / 2 < const.MAX_TIMEOUT * const.MAX_CALLS_PER_REQUEST
