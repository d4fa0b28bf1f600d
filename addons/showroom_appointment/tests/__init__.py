from . import test_slots
from . import test_booking
from . import test_public_pages
from . import test_concurrency
from . import test_tour
