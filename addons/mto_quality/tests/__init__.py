from . import test_quality
