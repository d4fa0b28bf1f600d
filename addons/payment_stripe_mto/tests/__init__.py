from . import (
    test_deposit_flow,
    test_gateway,
    test_migration,
    test_payment_form_js,
    test_payment_page_tour,
    test_security,
    test_settle_rights,
    test_webhook,
)
