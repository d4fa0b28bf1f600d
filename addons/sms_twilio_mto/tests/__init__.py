from . import test_stage_messages, test_uninstall
