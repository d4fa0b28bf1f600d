"""The S3 settings of this server: the Odoo configuration file's ``[attachment_s3]`` section,
overridden by ``ATTACHMENT_S3_*`` environment variables, read once at server start.

Nothing here comes from the database: the storage of every database of the server is decided
by whoever runs the server, and credentials are never settings (boto3's standard chain).
"""

import logging
import os
from dataclasses import dataclass

from odoo.tools import config

from . import const
from .s3_request import S3Storage

_logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class S3Settings:
    bucket: str
    region: str = None
    endpoint_url: str = None
    key_prefix: str = "{db}"
    kms_key_id: str = None
    presigned_downloads: bool = False
    presigned_min_size: int = 1048576
    presigned_ttl: int = 300
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    max_attempts: int = 3

    def prefix(self, dbname):
        return self.key_prefix.format(db=dbname).strip("/")

    def storage(self):
        """The client of these settings, built once per process."""
        client = _CLIENTS.get(self)
        if client is None:
            client = _CLIENTS[self] = S3Storage(
                self.bucket,
                region=self.region,
                endpoint_url=self.endpoint_url,
                kms_key_id=self.kms_key_id,
                connect_timeout=self.connect_timeout,
                read_timeout=self.read_timeout,
                max_attempts=self.max_attempts,
            )
        return client


_CLIENTS = {}
_UNREAD = object()
_current = _UNREAD


def parse(section, environ):
    """S3Settings from a configuration section and an environment (plain dicts), or None when
    no bucket is configured. A bad value raises ValueError naming the setting."""
    raw = {}
    for key, (default, _meaning) in const.SETTINGS.items():
        value = environ.get(const.ENV_PREFIX + key.upper())
        if value in (None, ""):
            value = section.get(key)
        raw[key] = value if value not in (None, "") else default
    if not raw["bucket"]:
        return None
    values = {}
    try:
        for key, value in raw.items():
            if key == "presigned_downloads":
                values[key] = str(value).strip().lower() in ("1", "true", "yes", "on")
            elif key in ("presigned_min_size", "presigned_ttl", "max_attempts"):
                values[key] = int(value)
            elif key in ("connect_timeout", "read_timeout"):
                values[key] = float(value)
            else:
                values[key] = value
            if key in ("presigned_ttl", "max_attempts", "connect_timeout", "read_timeout") and (
                values[key] <= 0
            ):
                raise ValueError(value)
    except ValueError as error:
        raise ValueError(f"[attachment_s3] {key} = {value!r} is not valid") from error
    if values["presigned_ttl"] > const.PRESIGNED_TTL_MAX:
        raise ValueError(f"[attachment_s3] presigned_ttl is at most {const.PRESIGNED_TTL_MAX}")
    return S3Settings(**values)


def current():
    """This server's settings (None: S3 not configured, the filestore as in stock Odoo)."""
    global _current
    if _current is _UNREAD:
        _current = parse(config.misc.get(const.CONFIG_SECTION, {}), os.environ)
        if _current:
            _logger.info(
                "attachments are stored in S3 bucket %s (key prefix %s)",
                _current.bucket,
                _current.key_prefix,
            )
    return _current
