"""PDF reports rendered by HTTP workers fetch their style sheets and images from the gevent
process, which answers many requests at once, rather than from the workers themselves.

wkhtmltopdf loads a report's assets (``/web/assets/...``, ``/report/barcode``...) over HTTP
from ``report.url`` (or ``web.base.url``) while the worker that started it waits for the PDF.
When every HTTP worker is rendering a PDF at the same moment (workshops downloading piece
labels, a queued job sending a document), no worker is left to answer those requests: all of
them wait until ``limit_time_real`` kills them, and the whole web service stands still (seen
with 4 workers under the load benchmark).

Opt-in: with the server option ``report_assets_from_gevent = True`` (the suite's
``config/prod.conf``) and HTTP workers, and while the ``report.url`` system parameter is not
set, reports are rendered against ``http://<http_interface or 127.0.0.1>:<gevent_port>``.
Like the 503 answers, this is set at ``post_load`` (on Odoo's own method, which every
override reaches through ``super()``), so that it holds in every database of the server,
whether the module is installed there or only listed in ``server_wide_modules``.
"""

import functools

from odoo.tools import config

from odoo.addons.base.models.ir_actions_report import IrActionsReport


def gevent_report_url():
    """The gevent process of this server, if the option asks for it and workers run."""
    if not (config.get("report_assets_from_gevent") and config["workers"]):
        return None
    interface = config["http_interface"]
    if interface in (None, "", "0.0.0.0"):
        interface = "127.0.0.1"
    return f"http://{interface}:{config['gevent_port']}"


def _from_gevent(get_report_url):
    @functools.wraps(get_report_url)
    def get_report_url_from_gevent(self, layout=None):
        url = get_report_url(self, layout=layout)
        if self.env["ir.config_parameter"].sudo().get_param("report.url"):
            return url  # an administrator's choice
        return gevent_report_url() or url

    get_report_url_from_gevent.from_gevent = True
    return get_report_url_from_gevent


def post_load():
    if not getattr(IrActionsReport._get_report_url, "from_gevent", False):
        IrActionsReport._get_report_url = _from_gevent(IrActionsReport._get_report_url)
