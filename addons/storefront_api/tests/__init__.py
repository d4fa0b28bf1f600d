from . import (
    test_account,
    test_bad_bodies,
    test_catalogue,
    test_checkout,
    test_idempotency_concurrency,
    test_quote,
    test_safety,
    test_schemathesis,
    test_shipping_dhl,
)
