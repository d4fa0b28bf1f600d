from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..models.s3_request import (
    S3AccessDenied,
    S3BucketMissing,
    S3ServerError,
    S3Timeout,
    S3Unreachable,
    S3WrongRegion,
)
from .common import FaultyS3, LoopbackS3, S3Case, free_port, s3_configured, settings_for

# the errors the module logs on purpose when S3 fails
LOGGER = "odoo.addons.attachment_s3.models.ir_attachment"

FAULTS = {
    "server_error": (S3ServerError, "temporarily failing"),
    "access_denied": (S3AccessDenied, "refused access"),
    "bucket_missing": (S3BucketMissing, "bucket configured for files does not exist"),
    "wrong_region": (S3WrongRegion, "another AWS region"),
    "slow": (S3Timeout, "did not answer in time"),
}


@tagged("post_install", "-at_install", "attachment_s3")
class TestS3Faults(S3Case):
    """Each fault of S3 gives the user a clear message and leaves nothing half-made."""

    def _fault_settings(self, url):
        return settings_for(url, self.bucket, read_timeout=0.5, max_attempts=2)

    def assert_write_refused(self, message):
        count = self.Attachment.search_count([])
        with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
            self.Attachment.create({"name": "render.png", "raw": b"a new rendering"})
        self.assertIn(message, str(caught.exception))
        self.assertIn("nothing was changed", str(caught.exception))
        self.assertNotIn("Traceback", str(caught.exception))
        self.assertEqual(self.Attachment.search_count([]), count, "no attachment half-made")

    @mute_logger(LOGGER)
    def test_write_and_read_faults(self):
        attachment = self.Attachment.create({"name": "cad.pdf", "raw": b"stored before"})
        for fault, (error_class, message) in FAULTS.items():
            with (
                self.subTest(fault=fault),
                FaultyS3(fault) as server,
                s3_configured(self._fault_settings(server.url)),
            ):
                storage = self.Attachment._s3_request()
                with self.assertRaises(error_class):
                    storage.get("anything")
                self.assert_write_refused(message)
                attachment.invalidate_recordset()
                with self.assertRaises(UserError) as caught:
                    attachment.read(["raw"])
                self.assertIn(message, str(caught.exception))
                self.assertIn("cannot be opened right now", str(caught.exception))
                # bounded: botocore's standard retries, max_attempts requests per call
                self.assertLessEqual(len(server.requests), 3 * 2)
        attachment.invalidate_recordset()
        self.assertEqual(attachment.raw, b"stored before", "readable again once S3 answers")

    @mute_logger(LOGGER)
    def test_unreachable(self):
        closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
        with s3_configured(self._fault_settings(closed)):
            with self.assertRaises(S3Unreachable):
                self.Attachment._s3_request().get("anything")
            self.assert_write_refused("cannot be reached")

    @mute_logger(LOGGER)
    def test_stopped_server_then_back(self):
        attachment = self.Attachment.create({"name": "photo.jpg", "raw": b"QC photo"})
        self.s3.stop()
        try:
            attachment.invalidate_recordset()
            with self.assertRaisesRegex(UserError, "cannot be reached"):
                attachment.read(["raw"])
            self.assert_write_refused("cannot be reached")
        finally:
            self.s3.start()
        attachment.invalidate_recordset()
        self.assertEqual(attachment.raw, b"QC photo")


@tagged("post_install", "-at_install", "attachment_s3")
class TestS3FaultPages(HttpCase):
    """A download while S3 fails answers a clear error page, never a traceback."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s3 = LoopbackS3().start()
        cls.addClassCleanup(cls.s3.stop)
        bucket = cls.s3.create_bucket()
        cls.enterClassContext(s3_configured(settings_for(cls.s3.url, bucket)))
        cls.attachment = cls.env["ir.attachment"].create(
            {"name": "invoice.pdf", "raw": b"%PDF-1.4 invoice", "mimetype": "application/pdf"}
        )

    @mute_logger(LOGGER)
    def test_download_while_s3_is_down(self):
        self.authenticate("admin", "admin")
        url = f"/web/content/{self.attachment.id}?download=true"
        self.assertEqual(self.url_open(url).content, b"%PDF-1.4 invoice")
        self.s3.stop()
        try:
            self.env.invalidate_all()
            response = self.url_open(url)
        finally:
            self.s3.start()
        self.assertEqual(response.status_code, 503)
        self.assertNotIn("Traceback", response.text)
        self.assertIn("cannot be reached", response.text)
