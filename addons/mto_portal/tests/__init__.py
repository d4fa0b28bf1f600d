from . import (
    test_portal_hardening,
    test_portal_isolation,
    test_portal_privacy,
    test_portal_queries,
    test_portal_tokens,
    test_portal_workflow,
)
