"""attachment_s3's S3 client against moto's S3 server on loopback (real HTTP, no mock)."""

import hashlib
import os
import socket

import boto3
import pytest
from botocore.config import Config

from tests.conftest import load_addon_file

s3_request = load_addon_file("attachment_s3", "models/s3_request.py")
S3Storage = s3_request.S3Storage

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def moto_url():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def credentials(monkeypatch):
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def storage(moto_url, credentials):
    boto3.client(
        "s3",
        endpoint_url=moto_url,
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}),
    ).create_bucket(Bucket="pieces")
    return S3Storage(
        "pieces", region="us-east-1", endpoint_url=moto_url, connect_timeout=1, read_timeout=2
    )


def test_put_get_delete_one_request_each(storage):
    data = b"a drawing"
    checksum = hashlib.sha1(data).hexdigest()
    sent = []
    storage.events.register("before-send.s3", lambda request, **kw: sent.append(request.method))
    storage.put("db/ab/key", data, checksum)
    assert storage.get("db/ab/key") == data
    storage.delete("db/ab/key")
    assert sent == ["PUT", "GET", "DELETE"]
    assert list(storage.keys("db/")) == []


def test_missing_object_and_bucket_are_typed(storage, moto_url):
    with pytest.raises(s3_request.S3ObjectMissing):
        storage.get("nothing/here")
    other = S3Storage(
        "no-such-bucket",
        region="us-east-1",
        endpoint_url=moto_url,
        connect_timeout=1,
        read_timeout=2,
    )
    with pytest.raises(s3_request.S3BucketMissing) as caught:
        other.get("x")
    assert "bucket configured for files does not exist" in str(caught.value)


def test_verified_read_refuses_other_content(storage):
    storage.put("k", b"one", hashlib.sha1(b"one").hexdigest())
    with pytest.raises(s3_request.S3ChecksumMismatch):
        storage.get_verified("k", hashlib.sha1(b"two").hexdigest())


def test_unreachable_is_typed(credentials):
    storage = S3Storage(
        "pieces",
        region="us-east-1",
        endpoint_url=f"http://127.0.0.1:{free_port()}",
        connect_timeout=1,
        read_timeout=1,
        max_attempts=1,
    )
    with pytest.raises(s3_request.S3Unreachable):
        storage.get("x")


def test_no_credentials_is_access_denied(monkeypatch, moto_url):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.setenv(name, os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    storage = S3Storage(
        "pieces", region="us-east-1", endpoint_url=moto_url, connect_timeout=1, read_timeout=1
    )
    with pytest.raises(s3_request.S3AccessDenied, match="Unable to locate credentials"):
        storage.get("x")


def test_refuses_to_run_without_timeouts():
    with pytest.raises(ValueError, match="timeout"):
        S3Storage("pieces", connect_timeout=None, read_timeout=5)
    with pytest.raises(ValueError, match="bucket"):
        S3Storage("", connect_timeout=5, read_timeout=5)


def test_presigned_url_lifetime_is_bounded(storage):
    with pytest.raises(ValueError):
        storage.presigned_url("k", 86400)
    url = storage.presigned_url("k", 60, filename="Table drawing.pdf")
    assert "X-Amz-Expires=60" in url
    assert "Table%2520drawing.pdf" in url or "Table%20drawing.pdf" in url
