from . import test_private_meetings
