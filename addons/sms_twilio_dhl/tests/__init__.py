from . import test_delivered
