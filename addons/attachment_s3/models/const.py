"""Constants of the S3 storage: configuration names, defaults, messages in plain words."""

# store_fname of an attachment kept in S3: "s3://<bucket>/<key>" (the filestore's are "ab/abcd...").
FNAME_SCHEME = "s3://"

# The [attachment_s3] section of the Odoo configuration file; each key can be overridden by
# the environment variable ATTACHMENT_S3_<KEY in capitals>.
CONFIG_SECTION = "attachment_s3"
ENV_PREFIX = "ATTACHMENT_S3_"
# key: (default, meaning) -- the README's configuration table says the same.
SETTINGS = {
    "bucket": (None, "bucket name; without it the module changes nothing"),
    "region": (None, "AWS region of the bucket (e.g. eu-west-3)"),
    "endpoint_url": (None, "endpoint of an S3-compatible store instead of AWS"),
    "key_prefix": ("{db}", "prefix of every object key; {db} is the database name"),
    "kms_key_id": (None, "KMS key for server-side encryption (aws:kms); none: bucket default"),
    "presigned_downloads": ("false", "true: large downloads redirect to a presigned URL"),
    "presigned_min_size": ("1048576", "size in bytes from which a download is presigned"),
    "presigned_ttl": ("300", "lifetime of a presigned URL in seconds (at most 3600)"),
    "connect_timeout": ("5", "seconds to open a connection to S3"),
    "read_timeout": ("30", "seconds to wait for S3's answer"),
    "max_attempts": ("3", "attempts per request, first one included (botocore standard mode)"),
}
PRESIGNED_TTL_MAX = 3600

# Garbage collection removes an object only when its marker is older than this: the object of
# a transaction still running (written, not yet committed) is never collected.
GC_GRACE_SECONDS = 3600

# Messages for a back-office or portal user (the detail goes to the log).
MESSAGES = {
    "unreachable": "The file storage (Amazon S3) cannot be reached.",
    "timeout": "The file storage (Amazon S3) did not answer in time.",
    "server": "The file storage (Amazon S3) is temporarily failing.",
    "access_denied": "The file storage (Amazon S3) refused access: the server's AWS role "
    "or keys lack a permission on the bucket.",
    "bucket_missing": "The bucket configured for files does not exist.",
    "wrong_region": "The bucket configured for files is in another AWS region than the one "
    "configured.",
    "object_missing": "The file is missing from the file storage (Amazon S3).",
    "checksum": "The file storage (Amazon S3) returned a file that differs from the one saved.",
    "other": "The file storage (Amazon S3) refused the request.",
}
NOT_CONFIGURED = (
    "This file is stored on Amazon S3 but this server has no S3 configuration "
    "([attachment_s3] bucket or ATTACHMENT_S3_BUCKET)."
)
