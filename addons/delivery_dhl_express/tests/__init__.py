from . import test_failures, test_rates, test_shipping
