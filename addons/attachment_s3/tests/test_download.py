import base64
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import requests

from odoo.tests import tagged

from odoo.addons.mto_portal.tests.common import MtoPortalCase

from .common import LoopbackS3, presigned_refusal, s3_configured, settings_for

PDF = b"%PDF-1.4 drawing of the oak table"
OTHER_PDF = b"%PDF-1.4 the other workshop's sofa drawing"
# a 1 x 1 pixel PNG
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5E"
    "rkJggg=="
)


class S3PortalCase(MtoPortalCase):
    """The portal's two manufacturers, their files stored in a loopback S3."""

    presigned = False

    @classmethod
    def setUpClass(cls):
        # S3 first: the fixtures' files are written to the bucket
        cls.s3 = LoopbackS3().start()
        cls.addClassCleanup(cls.s3.stop)
        cls.bucket = cls.s3.create_bucket()
        cls.settings = settings_for(
            cls.s3.url,
            cls.bucket,
            presigned_downloads=cls.presigned,
            presigned_min_size=0,
            presigned_ttl=2,
        )
        cls.enterClassContext(s3_configured(cls.settings))
        super().setUpClass()
        cls.own_file = cls.env["mto.production.file"].create(
            {
                "name": "Table drawing.pdf",
                "file_name": "table.pdf",
                "file": base64.b64encode(PDF),
                "document_type_id": cls.doc_render.id,
                "purchase_id": cls.po_awaiting.id,
            }
        )
        # the other manufacturer's own drawing, content of its own (own object in S3)
        cls.other_secret = cls.env["mto.production.file"].create(
            {
                "name": "Sofa drawing.pdf",
                "file_name": "sofa.pdf",
                "file": base64.b64encode(OTHER_PDF),
                "document_type_id": cls.doc_render.id,
                "purchase_id": cls.po_other.id,
            }
        )

    def attachment_of(self, production_file):
        return self.env["ir.attachment"].search(
            [
                ("res_model", "=", "mto.production.file"),
                ("res_id", "=", production_file.id),
                ("res_field", "=", "file"),
            ]
        )

    def own_url(self):
        return f"/my/production/{self.po_awaiting.id}/file/{self.own_file.id}"

    def other_key(self):
        return self.attachment_of(self.other_secret).store_fname.split("/", 3)[3]

    def other_urls(self):
        other = self.attachment_of(self.other_secret)
        return [
            f"/my/production/{self.po_other.id}/file/{self.other_secret.id}",
            f"/my/production/{self.po_awaiting.id}/file/{self.other_secret.id}",
            f"/web/content/mto.production.file/{self.other_secret.id}/file?download=true",
            f"/web/content/{other.id}?download=true",
            f"/web/content/{other.id}",
        ]


@tagged("post_install", "-at_install", "attachment_s3")
class TestStreamedDownloads(S3PortalCase):
    """Default: files in S3, streamed through Odoo after its own checks."""

    def test_files_are_in_the_bucket_and_download_through_odoo(self):
        attachment = self.attachment_of(self.own_file)
        self.assertTrue(attachment.store_fname.startswith(f"s3://{self.bucket}/"))
        self.login(self.workshop_user)
        response = self.url_open(self.own_url(), allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PDF)

    def test_labels_in_s3_mode(self):
        self.po_awaiting.action_mto_accept()
        self.login(self.workshop_user)
        labels = self.url_open(f"/my/production/{self.po_awaiting.id}/labels")
        self.assertEqual(labels.status_code, 200)
        self.assertIn(self.po_awaiting.mto_piece_ids[:1].code, labels.text)

    def test_other_manufacturers_file_is_refused(self):
        self.login(self.workshop_user)
        for url in self.other_urls():
            response = self.url_open(url, allow_redirects=False)
            self.assertNotEqual(response.status_code, 200, url)
            self.assertNotIn(OTHER_PDF, response.content, url)
            self.assertNotIn(self.other_key(), response.text + str(response.headers), url)
        # the other workshop itself gets it
        self.login(self.other_user)
        own = f"/my/production/{self.po_other.id}/file/{self.other_secret.id}"
        self.assertEqual(self.url_open(own).content, OTHER_PDF)


@tagged("post_install", "-at_install", "attachment_s3")
class TestPresignedDownloads(S3PortalCase):
    """Presigned setting: a redirect to a short-lived URL of that one object."""

    presigned = True

    def test_own_file_redirects_to_a_presigned_url_that_expires(self):
        key = self.attachment_of(self.own_file).store_fname.split("/", 3)[3]
        self.login(self.workshop_user)
        response = self.url_open(self.own_url(), allow_redirects=False)
        self.assertEqual(response.status_code, 302)
        self.assertIn("max-age=0", response.headers.get("Cache-Control", ""))
        url = response.headers["Location"]
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        self.assertEqual(parts.path, f"/{self.bucket}/{key}")
        self.assertEqual(query["X-Amz-Expires"], ["2"])
        self.assertIn("X-Amz-Signature", query)
        self.assertIsNone(presigned_refusal(url), "S3 would serve it now")
        self.assertEqual(requests.get(url, timeout=10).content, PDF)
        # the signature covers the key and the lifetime: bent, the URL is refused
        other_key = self.other_key()
        self.assertEqual(presigned_refusal(url.replace(key, other_key)), "signature does not match")
        self.assertEqual(
            presigned_refusal(url.replace("X-Amz-Expires=2", "X-Amz-Expires=3600")),
            "signature does not match",
        )
        signed_at = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        self.assertIsNone(presigned_refusal(url, signed_at + timedelta(seconds=2)))
        self.assertEqual(presigned_refusal(url, signed_at + timedelta(seconds=3)), "expired")

    def test_other_manufacturers_file_gives_no_url(self):
        self.login(self.workshop_user)
        for url in self.other_urls():
            response = self.url_open(url, allow_redirects=False)
            self.assertNotEqual(response.status_code, 200, url)
            seen = response.headers.get("Location", "") + response.text
            self.assertNotIn("X-Amz-Signature", seen, url)
            self.assertNotIn(self.other_key(), seen, url)
            self.assertNotIn(OTHER_PDF, response.content, url)

    def test_back_office_download_and_images_stay_inline(self):
        self.authenticate("admin", "admin")
        attachment = self.attachment_of(self.own_file)
        response = self.url_open(
            f"/web/content/{attachment.id}?download=true", allow_redirects=False
        )
        self.assertEqual(response.status_code, 302)
        disposition = parse_qs(urlsplit(response.headers["Location"]).query)[
            "response-content-disposition"
        ][0]
        self.assertTrue(disposition.startswith("attachment;"), disposition)
        # images go through Odoo (resized, cached), never a redirect
        image = self.env["ir.attachment"].create(
            {"name": "photo.png", "raw": base64.b64decode(PNG), "mimetype": "image/png"}
        )
        self.assertTrue(image.store_fname.startswith("s3://"))
        response = self.url_open(f"/web/image/{image.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/png")

    def test_labels_in_presigned_mode(self):
        self.po_awaiting.action_mto_accept()
        self.login(self.workshop_user)
        labels = self.url_open(f"/my/production/{self.po_awaiting.id}/labels")
        self.assertEqual(labels.status_code, 200)
        self.assertIn(self.po_awaiting.mto_piece_ids[:1].code, labels.text)
