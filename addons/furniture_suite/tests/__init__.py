from . import test_conventions, test_demo_pricing, test_demo_privacy, test_demo_story
