from odoo.tests import HttpCase, tagged

from odoo.addons.web.tests.test_js import unit_test_error_checker


def hoot_job_id(name):
    """Hoot's id of a suite or test (the hash of ``@web/tests/test_js.py``)."""
    value = 0
    for char in name:
        value = ((value << 5) - value + ord(char)) & 0xFFFFFFFF
    return f"{value:08x}"


@tagged("post_install", "-at_install")
class TestStripeMtoPaymentFormJs(HttpCase):
    """The checkout's JavaScript, run by Odoo's JS test framework (hoot) against a stand-in
    for Stripe.js: no external script is loaded."""

    def test_payment_form_hoot_suite(self):
        suite = hoot_job_id("@payment_stripe_mto")
        self.browser_js(
            f"/web/tests?headless&loglevel=2&preset=desktop&timeout=15000&id={suite}",
            "",
            "",
            login="admin",
            timeout=900,
            success_signal="[HOOT] Test suite succeeded",
            error_checker=unit_test_error_checker,
        )
