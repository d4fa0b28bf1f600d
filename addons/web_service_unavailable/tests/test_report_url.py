from unittest.mock import patch

from odoo.tests import TransactionCase, tagged
from odoo.tools import config


@tagged("post_install", "-at_install")
class TestReportUrl(TransactionCase):
    """Which server wkhtmltopdf fetches a report's assets from."""

    def _url(self, **options):
        with patch.dict(config.options, options):
            return self.env["ir.actions.report"]._get_report_url()

    def test_gevent_process_with_workers_and_the_option(self):
        url = self._url(
            report_assets_from_gevent=True, workers=4, http_interface="", gevent_port=8072
        )
        self.assertEqual(url, "http://127.0.0.1:8072")
        url = self._url(
            report_assets_from_gevent=True, workers=2, http_interface="10.0.0.5", gevent_port=9
        )
        self.assertEqual(url, "http://10.0.0.5:9")

    def test_as_odoo_without_the_option_or_without_workers(self):
        base = self.env["ir.actions.report"].get_base_url()
        self.assertEqual(self._url(report_assets_from_gevent=False, workers=4), base)
        self.assertEqual(self._url(report_assets_from_gevent=True, workers=0), base)

    def test_the_system_parameter_wins(self):
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://reports:8069")
        url = self._url(report_assets_from_gevent=True, workers=4, gevent_port=8072)
        self.assertEqual(url, "http://reports:8069")
