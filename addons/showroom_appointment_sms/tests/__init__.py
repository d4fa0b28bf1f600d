from . import test_texts
