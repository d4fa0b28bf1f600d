import hashlib
import io
import os

from odoo.tests import tagged

from ..models.s3_migration import MigrationError, MigrationInterrupted, migrate
from .common import S3Case, s3_configured


def sha1(data):
    return hashlib.sha1(data).hexdigest()


@tagged("post_install", "-at_install", "attachment_s3")
class TestMigration(S3Case):
    """attachment_s3_migrate's work, batch by batch (each batch a savepoint in a test)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the migration's own transactions (registry.cursor()) become savepoints of the test's
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        cls.contents = [f"drawing {i} ".encode() * (i + 1) for i in range(7)]
        cls.contents.append(cls.contents[0])  # stored once in both storages
        with s3_configured(None):
            cls.attachments = cls.env["ir.attachment"].create(
                [{"name": f"file{i}.pdf", "raw": data} for i, data in enumerate(cls.contents)]
            )
        cls.old_fnames = cls.attachments.mapped("store_fname")

    def migrate(self, to, **kwargs):
        return migrate(
            self.registry, to, out=io.StringIO(), attachment_ids=self.attachments.ids, **kwargs
        )

    def interrupted_migration(self, **kwargs):
        """The summary of a migration that stopped part-way (not assertRaises: Odoo's rolls
        back a savepoint of its own, which would undo the batches committed before)."""
        try:
            self.migrate("s3", **kwargs)
        except MigrationInterrupted as interrupted:
            return interrupted.summary
        self.fail("the migration was not interrupted")

    def assert_all_readable(self):
        self.env.invalidate_all()
        for attachment, data in zip(self.attachments, self.contents, strict=True):
            self.assertEqual(attachment.raw, data)
            self.assertEqual(attachment.checksum, sha1(data))

    def ours(self, storage):
        self.env.invalidate_all()
        return self.attachments.filtered(
            lambda a: a.store_fname.startswith("s3://") == (storage == "s3")
        )

    def test_dry_run_changes_nothing(self):
        summary = self.migrate("s3", dry_run=True)
        self.assertEqual(summary.candidates, len(self.attachments))
        self.assertEqual(summary.candidate_bytes, sum(len(c) for c in self.contents))
        self.assertIn("would move", summary.lines()[0])
        self.assertEqual(self.ours("filestore"), self.attachments)
        self.assertEqual(self.bucket_keys(), [])

    def test_to_s3_and_back_with_equal_checksums(self):
        summary = self.migrate("s3", batch_size=3)
        self.assertFalse(summary.skipped, summary.lines())
        self.assertEqual(self.ours("s3"), self.attachments)
        keys = self.bucket_keys()
        for attachment, data in zip(self.attachments, self.contents, strict=True):
            key = self.key_of(attachment)
            self.assertIn(key, keys)
            self.assertEqual(sha1(self.object_body(key)), sha1(data))
        self.assertEqual(len({self.key_of(a) for a in self.attachments}), len(set(self.contents)))
        self.assert_all_readable()

        summary = self.migrate("filestore", batch_size=3)
        self.assertFalse(summary.skipped, summary.lines())
        self.assertEqual(self.ours("filestore"), self.attachments)
        for attachment, data in zip(self.attachments, self.contents, strict=True):
            with open(self.Attachment._full_path(attachment.store_fname), "rb") as file:
                self.assertEqual(sha1(file.read()), sha1(data))
        self.assert_all_readable()

    def test_interrupted_then_resumed(self):
        storage = self.Attachment._s3_request()
        puts = []

        def interrupt(**kwargs):
            puts.append(1)
            if len(puts) == 4:  # in the middle of the second batch
                raise KeyboardInterrupt

        storage.events.register("before-send.s3.PutObject", interrupt)
        try:
            summary = self.interrupted_migration(batch_size=3)
        finally:
            storage.events.unregister("before-send.s3.PutObject", interrupt)
        self.assertEqual(summary.moved, 3, "the first batch was committed, the second not")
        self.assertIn("run the same command again", "\n".join(summary.lines()))
        self.assertEqual(len(self.ours("s3")), 3)
        self.assert_all_readable()

        summary = self.migrate("s3", batch_size=3)
        self.assertEqual(self.ours("s3"), self.attachments)
        self.assert_all_readable()

    def test_s3_down_in_the_middle(self):
        storage = self.Attachment._s3_request()
        puts = []

        def stop_s3(**kwargs):
            puts.append(1)
            if len(puts) == 5:
                self.s3.stop()

        storage.events.register("before-send.s3.PutObject", stop_s3)
        try:
            summary = self.interrupted_migration(batch_size=2)
        finally:
            storage.events.unregister("before-send.s3.PutObject", stop_s3)
            self.s3.start()
        self.assertIn("cannot be reached", summary.interrupted)
        self.assertEqual(len(self.ours("s3")), 4)
        self.assert_all_readable()
        self.migrate("s3", batch_size=2)
        self.assertEqual(self.ours("s3"), self.attachments)
        self.assert_all_readable()

    def test_missing_or_altered_source_is_left_as_it_was(self):
        broken = self.attachments[1]
        path = self.Attachment._full_path(broken.store_fname)
        with open(path, "rb") as file:
            original = file.read()
        os.rename(path, path + ".away")
        try:
            summary = self.migrate("s3")
        finally:
            os.rename(path + ".away", path)
        self.assertEqual([attachment_id for attachment_id, _r in summary.skipped], [broken.id])
        self.assertEqual(self.ours("filestore"), broken)
        with open(path, "rb") as file:
            self.assertEqual(file.read(), original)

    def test_refused_without_configuration(self):
        with s3_configured(None), self.assertRaisesRegex(MigrationError, "no S3 configuration"):
            self.migrate("s3")
