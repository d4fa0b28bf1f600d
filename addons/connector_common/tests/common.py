"""Odoo test helpers of the connector modules (DHL, Stripe, Twilio).

The fake providers run on loopback: :class:`LoopbackFakeMixin` lets the client's own timeout
apply to them, where Odoo's test request handler would stretch every HTTP timeout to 10 s.
:func:`trap_jobs` is queue_job's, importable on this Odoo 18 (only for modules that depend on
``queue_job``).
"""

from odoo.tests import common as odoo_test_common


class LoopbackFakeMixin:
    """A test case whose client talks to a local fake provider (before the ``*Case`` base).

    ``fake_url_markers``: parts of the fake's URLs (``"/mydhlapi/"``); a request to
    ``127.0.0.1`` with one of them goes out untouched, any other through Odoo's handler.
    """

    fake_url_markers = ()

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        if r.url.startswith("http://127.0.0.1:") and any(
            marker in r.url for marker in cls.fake_url_markers
        ):
            return odoo_test_common._super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)


def trap_jobs():
    """queue_job's ``trap_jobs()`` context manager.

    queue_job 18.0.4.1.2 registers its patcher in ``SETATTR_SOURCES``, which this Odoo 18
    (1b5d1564) does not have yet: give it the empty registry newer Odoo 18 starts with.
    """
    if not hasattr(odoo_test_common, "SETATTR_SOURCES"):
        odoo_test_common.SETATTR_SOURCES = {}
    from odoo.addons.queue_job.tests.common import trap_jobs as queue_job_trap_jobs

    return queue_job_trap_jobs()
