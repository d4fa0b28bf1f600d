from . import (
    test_deposit,
    test_exactly_once,
    test_made_to_order,
    test_production_lifecycle,
    test_workflow_messages,
)
