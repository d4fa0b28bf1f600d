from . import test_private_cards
