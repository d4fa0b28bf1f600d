from . import test_portal_isolation, test_portal_workflow
