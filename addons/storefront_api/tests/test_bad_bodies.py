import threading
from types import SimpleNamespace
from unittest import mock

import a2wsgi.asgi

from odoo.tests import tagged

from .common import API, StorefrontCase


class LateCheckedEvent(threading.Event):
    """An event whose ``is_set`` is read late, as by a server thread scheduled out for a
    moment: a2wsgi reads it right after handing the request body over to the application."""

    def is_set(self):
        self.wait(0.3)
        return super().is_set()


@tagged("post_install", "-at_install")
class TestBadBodies(StorefrontCase):
    """A body the API cannot read is the client's mistake, whatever the timing: a 4xx with
    its reason, never a 500 (schemathesis once got one for a body of ``\\x03``)."""

    def test_every_post_route_refuses_an_unreadable_body_with_a_4xx(self):
        document = self.opener.get(self.base_url() + API + "/openapi.json", timeout=30).json()
        routes = [path for path, item in document["paths"].items() if "post" in item]
        self.assertIn("/checkout/shipping-rates", routes)
        bodies = [
            ("control character", b"\x03", "application/json"),
            ("control character, no type", b"\x03", None),
            ("not UTF-8", b'{"name": "\xff\xfe"}', "application/json"),
            ("empty", b"", "application/json"),
            ("not JSON's type", b"{}", "text/plain"),
        ]
        # The server thread reads a2wsgi's "application done" late, deterministically.
        late = SimpleNamespace(Event=LateCheckedEvent, Thread=threading.Thread)
        with mock.patch.object(a2wsgi.asgi, "threading", late):
            for path in routes:
                for name, raw, content_type in bodies:
                    with self.subTest(path=path, body=name):
                        headers = {"Authorization": "Bearer x"}
                        if content_type:
                            headers["Content-Type"] = content_type
                        response = self.api("POST", path, raw=raw, headers=headers)
                        self.assertGreaterEqual(response.status_code, 400, response.text)
                        self.assertLess(response.status_code, 500, response.text)
                        self.assertTrue(response.json()["detail"], response.text)
