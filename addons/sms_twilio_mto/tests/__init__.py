from . import test_stage_messages
