from . import test_report_url, test_service_unavailable
