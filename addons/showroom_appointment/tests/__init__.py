from . import test_booking, test_concurrency, test_public_pages, test_slots, test_tour
