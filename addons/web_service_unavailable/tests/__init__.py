from . import test_service_unavailable
