from . import test_guest_link, test_handover, test_notes, test_privacy, test_profile
