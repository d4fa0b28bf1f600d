from . import test_cockpit, test_rules
