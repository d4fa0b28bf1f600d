"""Amazon S3 client of the attachment storage: a plain class on boto3, no Odoo import.

Built by the Odoo side in one ``_s3_request()`` method from plain values; credentials come
only from boto3's standard chain (environment, shared files, the container's task role).
Each public method is one S3 request (presigning is none): no HEAD before a GET, no listing on
the hot path. Every failure is one of the typed errors below, with a user message and the
detail for the log.
"""

import base64
import hashlib
import importlib.util
from pathlib import Path
from urllib.parse import quote

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)

try:
    from . import const
except ImportError:  # loaded as a single file by the plain-Python tests, outside the addon
    _spec = importlib.util.spec_from_file_location(
        "_attachment_s3_const", Path(__file__).with_name("const.py")
    )
    const = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(const)


class S3Error(Exception):
    """A failed S3 request.

    :ivar kind: key of ``const.MESSAGES`` (unreachable, timeout, server, access_denied,
        bucket_missing, wrong_region, object_missing, checksum, other)
    :ivar user_message: the same in plain words
    :ivar detail: S3's code and message or the network error, for the log
    :ivar status: the HTTP status when S3 answered
    """

    kind = "other"

    def __init__(self, detail="", *, status=None, user_message=None):
        self.user_message = user_message or const.MESSAGES[self.kind]
        self.detail = detail
        self.status = status
        super().__init__(self.user_message)

    def __str__(self):
        details = ", ".join(
            p for p in (f"HTTP {self.status}" if self.status else "", self.detail) if p
        )
        return f"{self.user_message} ({details})" if details else self.user_message


class S3Unreachable(S3Error):
    kind = "unreachable"


class S3Timeout(S3Error):
    kind = "timeout"


class S3ServerError(S3Error):
    kind = "server"


class S3AccessDenied(S3Error):
    kind = "access_denied"


class S3BucketMissing(S3Error):
    kind = "bucket_missing"


class S3WrongRegion(S3Error):
    kind = "wrong_region"


class S3ObjectMissing(S3Error):
    kind = "object_missing"


class S3ChecksumMismatch(S3Error):
    kind = "checksum"


# Temporary: the same request may succeed later (garbage collection keeps its marker).
TEMPORARY_ERRORS = (S3Unreachable, S3Timeout, S3ServerError)

_CODES = {
    "NoSuchBucket": S3BucketMissing,
    "NoSuchKey": S3ObjectMissing,
    "AccessDenied": S3AccessDenied,
    "AllAccessDisabled": S3AccessDenied,
    "InvalidAccessKeyId": S3AccessDenied,
    "SignatureDoesNotMatch": S3AccessDenied,
    "ExpiredToken": S3AccessDenied,
    "KMS.AccessDeniedException": S3AccessDenied,
    "PermanentRedirect": S3WrongRegion,
    "AuthorizationHeaderMalformed": S3WrongRegion,
    "IllegalLocationConstraintException": S3WrongRegion,
    "BadDigest": S3ChecksumMismatch,
    "InvalidDigest": S3ChecksumMismatch,
    "XAmzContentSHA256Mismatch": S3ChecksumMismatch,
}


def sha1_base64(hex_digest):
    """S3's ``ChecksumSHA1`` (base64) of Odoo's attachment checksum (SHA-1 in hexadecimal)."""
    return base64.b64encode(bytes.fromhex(hex_digest)).decode()


class S3Storage:
    """One bucket, one boto3 client with explicit retries and timeouts.

    :param bucket: bucket name
    :param region: AWS region of the bucket (None: boto3's default chain)
    :param endpoint_url: an S3-compatible endpoint instead of AWS (None for AWS)
    :param kms_key_id: KMS key id or ARN for server-side encryption (None: the bucket's default)
    :param connect_timeout, read_timeout: seconds, required
    :param max_attempts: attempts per request including the first (botocore standard retries)
    :param session: a ``boto3.Session`` (default: a new one, standard credential chain)
    """

    def __init__(
        self,
        bucket,
        *,
        region=None,
        endpoint_url=None,
        kms_key_id=None,
        connect_timeout,
        read_timeout,
        max_attempts=3,
        session=None,
    ):
        if not bucket:
            raise ValueError("an S3 bucket is required")
        if not connect_timeout or not read_timeout:
            raise ValueError("S3 requests need a connect and a read timeout")
        self.bucket = bucket
        self.kms_key_id = kms_key_id or None
        self.endpoint_url = endpoint_url or None
        config = Config(
            region_name=region or None,
            signature_version="s3v4",
            connect_timeout=float(connect_timeout),
            read_timeout=float(read_timeout),
            # total_max_attempts counts the first request too ("max_attempts" does not)
            retries={"mode": "standard", "total_max_attempts": int(max_attempts)},
            # Our own SHA-1 is sent with every write; no extra CRC32 trailer.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            s3={"addressing_style": "path" if endpoint_url else "auto"},
        )
        self._client = (session or boto3.session.Session()).client(
            "s3", endpoint_url=self.endpoint_url, config=config
        )

    def __repr__(self):
        return f"S3Storage(bucket={self.bucket!r}, endpoint_url={self.endpoint_url!r})"

    @property
    def events(self):
        """botocore's event system of the client (the benchmark counts requests with it)."""
        return self._client.meta.events

    # ------------------------------------------------------------------ requests

    def put(self, key, data, checksum):
        """Store ``data`` under ``key`` (one PutObject). S3 verifies ``checksum``, the SHA-1
        in hexadecimal, and refuses a body that does not match it."""
        params = {
            "Bucket": self.bucket,
            "Key": key,
            "Body": data,
            "ChecksumSHA1": sha1_base64(checksum),
            "ContentType": "application/octet-stream",
        }
        if self.kms_key_id:
            params["ServerSideEncryption"] = "aws:kms"
            params["SSEKMSKeyId"] = self.kms_key_id
        self._call("put_object", **params)

    def get(self, key):
        """The bytes stored under ``key`` (one GetObject)."""
        response = self._call("get_object", Bucket=self.bucket, Key=key)
        try:
            return response["Body"].read()
        except (BotoCoreError, OSError) as error:
            raise self._network_error(error) from error

    def get_verified(self, key, checksum):
        """The bytes under ``key``, refused unless their SHA-1 is ``checksum`` (hex)."""
        data = self.get(key)
        actual = hashlib.sha1(data).hexdigest()
        if actual != checksum:
            raise S3ChecksumMismatch(f"{key}: SHA-1 {actual}, expected {checksum}")
        return data

    def delete(self, key):
        """Delete ``key`` (one DeleteObject; deleting a missing key succeeds, as in S3)."""
        self._call("delete_object", Bucket=self.bucket, Key=key)

    def keys(self, prefix=""):
        """Every key under ``prefix`` (ListObjectsV2, paginated): for admins and tests, never
        on the hot path."""
        paginator = self._client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                for item in page.get("Contents", ()):
                    yield item["Key"]
        except (ClientError, BotoCoreError) as error:
            raise self._map(error) from error

    def presigned_url(self, key, ttl, *, filename=None, mimetype=None, as_attachment=True):
        """A URL that opens ``key`` only, for ``ttl`` seconds (no request to S3).

        The signature covers the key and the response headers, so the URL cannot be bent to
        another object or a longer life.
        """
        ttl = int(ttl)
        if not 0 < ttl <= const.PRESIGNED_TTL_MAX:
            raise ValueError(f"a presigned URL lives 1 to {const.PRESIGNED_TTL_MAX} seconds")
        params = {"Bucket": self.bucket, "Key": key}
        if filename:
            disposition = "attachment" if as_attachment else "inline"
            params["ResponseContentDisposition"] = (
                f"{disposition}; filename*=UTF-8''{quote(filename, safe='')}"
            )
        if mimetype:
            params["ResponseContentType"] = mimetype
        return self._client.generate_presigned_url("get_object", Params=params, ExpiresIn=ttl)

    # ------------------------------------------------------------------ errors

    def _call(self, operation, **params):
        """The one place where a request leaves: botocore's retries, then a typed error."""
        try:
            return getattr(self._client, operation)(**params)
        except (ClientError, BotoCoreError) as error:
            raise self._map(error) from error

    def _network_error(self, error):
        if isinstance(error, (ConnectTimeoutError, ReadTimeoutError)):
            return S3Timeout(str(error))
        return S3Unreachable(str(error))

    def _map(self, error):
        if isinstance(error, (ConnectTimeoutError, ReadTimeoutError)):
            return S3Timeout(str(error))
        if isinstance(error, (EndpointConnectionError, ConnectionClosedError)):
            return S3Unreachable(str(error))
        if isinstance(error, NoCredentialsError):
            return S3AccessDenied(str(error))
        if not isinstance(error, ClientError):
            return S3Unreachable(str(error))
        info = error.response.get("Error", {})
        meta = error.response.get("ResponseMetadata", {})
        status = meta.get("HTTPStatusCode")
        code = str(info.get("Code") or status or "")
        detail = f"{code}: {info.get('Message') or ''}".strip(": ")
        region = (meta.get("HTTPHeaders") or {}).get("x-amz-bucket-region") or info.get("Region")
        if region:
            detail += f" (bucket region {region})"
        kind = _CODES.get(code)
        if kind is None:
            if status in (301, 307):
                kind = S3WrongRegion
            elif status == 403:
                kind = S3AccessDenied
            elif status == 404:
                kind = S3ObjectMissing
            elif status and status >= 500:
                kind = S3ServerError
            else:
                kind = S3Error
        return kind(detail, status=status)
