from odoo.tests import tagged

from .common import MtoPortalCase


@tagged("post_install", "-at_install")
class TestPortalListQueries(MtoPortalCase):
    """The manufacturer's list costs no more SQL queries than Odoo's own purchase list."""

    def _queries(self, path):
        before = self.cr.sql_log_count
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before

    def test_list_makes_no_more_queries_than_odoos_purchase_list(self):
        # The accepted order shows on both lists (a purchase order once accepted).
        self.po_awaiting.sudo().action_mto_accept()
        self.login(self.workshop_user)
        for path in ("/my/production", "/my/purchase"):  # caches warm, tokens made
            self.url_open(path)
        ours, odoos = self._queries("/my/production"), self._queries("/my/purchase")
        self.assertTrue(ours and odoos, "the requests' queries are counted")
        self.assertLessEqual(ours, odoos, "/my/production against /my/purchase")
