from . import (
    test_booking_race,
    test_customs_documents,
    test_failures,
    test_migration,
    test_packages,
    test_rates,
    test_shipping,
)
