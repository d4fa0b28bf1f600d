import base64
import hashlib

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models import s3_settings
from .common import S3Case, s3_configured


def sha1(data):
    return hashlib.sha1(data).hexdigest()


class RequestCounter:
    """Every HTTP request the storage's boto3 client sends (botocore's own event)."""

    def __init__(self, storage):
        self.storage = storage
        self.sent = []

    def _count(self, request, **kwargs):
        self.sent.append((request.method, request.url))

    def __enter__(self):
        self.storage.events.register("before-send.s3", self._count)
        return self

    def __exit__(self, *exc):
        self.storage.events.unregister("before-send.s3", self._count)


@tagged("post_install", "-at_install", "attachment_s3")
class TestS3Storage(S3Case):
    def _attach(self, data, name="drawing.pdf"):
        return self.Attachment.create({"name": name, "raw": data})

    def _independent_env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def test_new_attachment_is_stored_in_the_bucket(self):
        data = b"%PDF-1.4 oak table, 200 x 90 cm"
        attachment = self._attach(data)
        key = f"{self.prefix}/{sha1(data)[:2]}/{sha1(data)}"
        self.assertEqual(attachment.store_fname, f"s3://{self.bucket}/{key}")
        self.assertFalse(attachment.db_datas)
        self.assertIn(key, self.bucket_keys())
        self.assertEqual(self.object_body(key), data)
        attachment.invalidate_recordset()
        self.assertEqual(attachment.raw, data)
        self.assertEqual(base64.b64decode(attachment.datas), data)
        self.assertEqual(self.Attachment._storage(), "s3")

    def test_one_request_per_write_and_per_read(self):
        storage = self.Attachment._s3_request()
        data = b"one request each way"
        with RequestCounter(storage) as counter:
            attachment = self._attach(data)
        self.assertEqual([m for m, _u in counter.sent], ["PUT"])
        attachment.invalidate_recordset()
        with RequestCounter(storage) as counter:
            self.assertEqual(attachment.raw, data)
        self.assertEqual([m for m, _u in counter.sent], ["GET"])

    def test_identical_files_are_stored_once(self):
        data = b"the same rendering twice"
        first = self._attach(data, "a.png")
        second = self._attach(data, "b.png")
        self.assertEqual(first.store_fname, second.store_fname)
        digest = sha1(data)
        self.assertEqual(
            [k for k in self.bucket_keys() if k.endswith(digest)], [self.key_of(first)]
        )

    def test_rewriting_the_content_moves_to_a_new_object(self):
        attachment = self._attach(b"version 1")
        old_key = self.key_of(attachment)
        attachment.raw = b"version 2"
        self.assertNotEqual(self.key_of(attachment), old_key)
        self.assertEqual(self.object_body(self.key_of(attachment)), b"version 2")

    def test_without_configuration_the_filestore_is_used(self):
        with s3_configured(None):
            self.assertEqual(self.Attachment._storage(), "file")
            attachment = self._attach(b"stock Odoo behaviour")
            self.assertFalse(attachment.store_fname.startswith("s3://"))
            self.assertEqual(attachment.raw, b"stock Odoo behaviour")
        self.assertNotIn(sha1(b"stock Odoo behaviour"), " ".join(self.bucket_keys()))

    def test_filestore_attachments_stay_readable_once_s3_is_configured(self):
        with s3_configured(None):
            attachment = self._attach(b"written before S3")
        attachment.invalidate_recordset()
        self.assertEqual(attachment.raw, b"written before S3")


@tagged("post_install", "-at_install", "attachment_s3")
class TestS3GarbageCollection(S3Case):
    """Transactions of their own (committed or rolled back for real), as in production."""

    def _run(self, work, commit=True):
        with db_connect(self.env.cr.dbname).cursor() as cr:
            result = work(api.Environment(cr, SUPERUSER_ID, {}))
            if not commit:
                cr.rollback()
            return result

    def _gc(self):
        def collect(env):
            env["ir.attachment"]._s3_gc_unsafe(grace=0)

        self._run(collect)

    def test_rolled_back_attachment_leaves_nothing_after_gc(self):
        data = b"a photo of a transaction that failed"

        def create(env):
            return env["ir.attachment"].create({"name": "qc.jpg", "raw": data}).store_fname

        fname = self._run(create, commit=False)
        key = fname.split("/", 3)[3]
        self.assertIn(key, self.bucket_keys(), "the object was written before the rollback")
        self._gc()
        self.assertNotIn(key, self.bucket_keys())

    def test_gc_keeps_used_objects_and_removes_deleted_ones(self):
        data = b"a production file kept, then deleted"

        def create(env):
            return env["ir.attachment"].create({"name": "cad.pdf", "raw": data}).id

        attachment_id = self._run(create)
        key = f"{self.prefix}/{sha1(data)[:2]}/{sha1(data)}"
        self._gc()
        self.assertIn(key, self.bucket_keys(), "committed attachment kept")
        self._run(lambda env: env["ir.attachment"].browse(attachment_id).unlink())
        self._gc()
        self.assertNotIn(key, self.bucket_keys())

    @mute_logger("odoo.addons.attachment_s3.models.ir_attachment")
    def test_committed_delete_survives_s3_being_unreachable(self):
        data = b"deleted while S3 is down"
        attachment_id = self._run(
            lambda env: env["ir.attachment"].create({"name": "x.pdf", "raw": data}).id
        )
        key = f"{self.prefix}/{sha1(data)[:2]}/{sha1(data)}"
        self._run(lambda env: env["ir.attachment"].browse(attachment_id).unlink())
        self.s3.stop()
        try:
            result = self._run(lambda env: env["ir.attachment"]._s3_gc_unsafe(grace=0))
        finally:
            self.s3.start()
        self.assertGreaterEqual(result[2], 1, "the deletion failed and was kept for later")
        self.assertIn(key, self.bucket_keys())
        self._gc()
        self.assertNotIn(key, self.bucket_keys())

    def test_autovacuum_entry_point_collects(self):
        data = b"collected by the daily autovacuum"
        self._run(
            lambda env: env["ir.attachment"].create({"name": "y.pdf", "raw": data}),
            commit=False,
        )
        key = f"{self.prefix}/{sha1(data)[:2]}/{sha1(data)}"

        def vacuum(env):
            env.cr.execute(
                "UPDATE attachment_s3_gc SET create_date = create_date - interval '2 hours'"
            )
            return env["ir.attachment"]._gc_file_store()

        self.assertTrue(self._run(vacuum))
        self.assertNotIn(key, self.bucket_keys())


@tagged("post_install", "-at_install", "attachment_s3")
class TestS3Settings(S3Case):
    def test_environment_overrides_the_configuration_file(self):
        settings = s3_settings.parse(
            {"bucket": "from-file", "region": "eu-west-3", "presigned_ttl": "120"},
            {"ATTACHMENT_S3_BUCKET": "from-env", "ATTACHMENT_S3_PRESIGNED_DOWNLOADS": "true"},
        )
        self.assertEqual(settings.bucket, "from-env")
        self.assertEqual(settings.region, "eu-west-3")
        self.assertEqual(settings.presigned_ttl, 120)
        self.assertTrue(settings.presigned_downloads)
        self.assertEqual(settings.prefix("furniture"), "furniture")

    def test_no_bucket_means_not_configured(self):
        self.assertIsNone(s3_settings.parse({"region": "eu-west-3"}, {}))

    def test_bad_values_are_named(self):
        for section in (
            {"bucket": "b", "presigned_ttl": "forever"},
            {"bucket": "b", "presigned_ttl": "86400"},
            {"bucket": "b", "read_timeout": "0"},
        ):
            with self.assertRaisesRegex(ValueError, r"\[attachment_s3\]"):
                s3_settings.parse(section, {})
