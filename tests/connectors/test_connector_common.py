"""The pieces the connectors share (connector_common.tools), without Odoo."""

import email.utils

import pytest

from tests.conftest import load_addon_file

retry = load_addon_file("connector_common", "tools/retry.py")

NOW = 1_800_000_000


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120),
        (" 7 ", 7),
        (45, 45),
        (email.utils.formatdate(NOW + 90, usegmt=True), 90),
        (email.utils.formatdate(NOW - 90, usegmt=True), 0),  # already past: now
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
        ("\u0661\u0662", None),  # digits of another script are not a delay
    ],
)
def test_retry_after_is_read_as_seconds_or_none(value, seconds):
    assert retry.parse_retry_after(value, now=NOW) == seconds


def test_a_click_never_waits_long():
    assert 0 < retry.USER_RETRY_MAX_WAIT <= 2
