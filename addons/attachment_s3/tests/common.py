"""A real S3 endpoint on loopback for the tests: moto's standalone server, and a small HTTP
server that answers like a failing S3 (5xx, access denied, missing bucket, wrong region, slow).

boto3 is never mocked: every test sends real S3 requests over HTTP. What the tests replace is
this server's S3 settings (``s3_settings.current``), as an admin would configure them.
"""

import hmac
import os
import socket
import threading
import time
import uuid
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch
from urllib.parse import unquote, urlsplit, urlunsplit

import boto3
from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from odoo.tests import TransactionCase

from ..models import s3_settings
from ..models.s3_settings import S3Settings

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    # never the machine's own AWS files
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LoopbackS3:
    """moto's S3 server on 127.0.0.1; ``stop()`` then ``start()`` keeps the objects (moto
    keeps them in this process), as an S3 briefly unreachable would."""

    def __init__(self):
        from moto.server import ThreadedMotoServer  # test dependency only

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server_class = ThreadedMotoServer
        self._server = None

    def start(self):
        if self._server:
            return self
        self._server = self._server_class(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()
        return self

    def stop(self):
        if self._server:
            self._server.stop()
            self._server = None

    def client(self):
        """A plain boto3 client of the test itself, to look into the bucket."""
        with patch.dict(os.environ, CREDENTIALS):
            return boto3.client(
                "s3",
                endpoint_url=self.url,
                region_name="us-east-1",
                config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
            )

    def create_bucket(self, name=None):
        name = name or f"furniture-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name


class FaultyS3:
    """An HTTP server on loopback answering every S3 request with one failure."""

    FAULTS = {
        "server_error": (500, "InternalError", "We encountered an internal error.", {}),
        "access_denied": (403, "AccessDenied", "Access Denied", {}),
        "bucket_missing": (404, "NoSuchBucket", "The specified bucket does not exist", {}),
        "wrong_region": (
            301,
            "PermanentRedirect",
            "The bucket you are attempting to access must be addressed using the specified "
            "endpoint.",
            {"x-amz-bucket-region": "eu-west-3"},
        ),
        "slow": None,  # answers after SLOW_SECONDS, past the client's read timeout
    }
    SLOW_SECONDS = 3

    def __init__(self, fault):
        assert fault in self.FAULTS, fault
        self.fault = fault
        self.requests = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                fake.requests.append((self.command, self.path))
                if fake.fault == "slow":
                    time.sleep(fake.SLOW_SECONDS)
                    status, code, message, headers = 200, None, None, {}
                else:
                    status, code, message, headers = fake.FAULTS[fake.fault]
                body = (
                    (
                        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>'
                        f"{code}</Code><Message>{message}</Message></Error>"
                    ).encode()
                    if code
                    else b""
                )
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(body)
                except OSError:
                    return  # the client gave up (timeout)

            do_GET = do_PUT = do_DELETE = do_HEAD = do_POST = _answer

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._httpd.shutdown()
        self._httpd.server_close()


def presigned_refusal(url, now=None):
    """Why S3 would refuse this presigned GET URL at ``now`` (None: it would serve it).

    moto serves presigned URLs without checking them, so this is S3's own check (SigV4 query
    authentication) with botocore's signer: the signature must cover the URL's path and
    query as given, with the test credentials, and ``X-Amz-Date + X-Amz-Expires`` must not
    be past.
    """
    parts = urlsplit(url)
    pairs = [pair.partition("=") for pair in parts.query.split("&")]
    query = {key: unquote(value) for key, _eq, value in pairs}
    signature = query.get("X-Amz-Signature")
    if not signature:
        return "not signed"
    unsigned = urlunsplit(
        parts._replace(query="&".join(f"{k}={v}" for k, _eq, v in pairs if k != "X-Amz-Signature"))
    )
    request = AWSRequest(method="GET", url=unsigned)
    request.context["timestamp"] = query["X-Amz-Date"]
    region = query["X-Amz-Credential"].split("/")[2]
    auth = S3SigV4QueryAuth(
        Credentials(CREDENTIALS["AWS_ACCESS_KEY_ID"], CREDENTIALS["AWS_SECRET_ACCESS_KEY"]),
        "s3",
        region,
    )
    canonical = auth.canonical_request(request)
    expected = auth.signature(auth.string_to_sign(request, canonical), request)
    if not hmac.compare_digest(expected, signature):
        return "signature does not match"
    signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    if now > signed_at + timedelta(seconds=int(query["X-Amz-Expires"])):
        return "expired"
    return None


def settings_for(url, bucket, **values):
    """Settings of a test: short timeouts, few attempts, so that faults are quick."""
    return S3Settings(
        bucket=bucket,
        region="us-east-1",
        endpoint_url=url,
        connect_timeout=values.pop("connect_timeout", 1),
        read_timeout=values.pop("read_timeout", 1),
        max_attempts=values.pop("max_attempts", 2),
        **values,
    )


@contextmanager
def s3_configured(settings):
    """This server configured for ``settings`` (None: not configured), with test credentials."""
    with ExitStack() as stack:
        stack.enter_context(patch.dict(os.environ, CREDENTIALS))
        stack.enter_context(patch.object(s3_settings, "current", return_value=settings))
        yield settings


class S3Case(TransactionCase):
    """A loopback S3 with a fresh bucket, this server configured for it during each test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s3 = LoopbackS3().start()
        cls.addClassCleanup(cls.s3.stop)
        cls.bucket = cls.s3.create_bucket()
        cls.settings = settings_for(cls.s3.url, cls.bucket)
        cls.enterClassContext(s3_configured(cls.settings))
        cls.Attachment = cls.env["ir.attachment"]
        cls.prefix = cls.settings.prefix(cls.env.cr.dbname)

    def bucket_keys(self):
        pages = self.s3.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def object_body(self, key):
        return self.s3.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def key_of(self, attachment):
        self.assertTrue(attachment.store_fname.startswith(f"s3://{self.bucket}/"))
        return attachment.store_fname.split("/", 3)[3]
