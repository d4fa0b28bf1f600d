import dataclasses
import logging

import psycopg2
from werkzeug.exceptions import ServiceUnavailable

from odoo import api, models
from odoo.exceptions import UserError
from odoo.http import Stream, request
from odoo.sql_db import db_connect
from odoo.tools.misc import str2bool

from . import const, s3_settings
from .s3_request import S3Error, S3ObjectMissing

_logger = logging.getLogger(__name__)


def is_s3_fname(fname):
    return bool(fname) and fname.startswith(const.FNAME_SCHEME)


def split_s3_fname(fname):
    """("bucket", "key") of an S3 store_fname."""
    bucket, _sep, key = fname[len(const.FNAME_SCHEME) :].partition("/")
    return bucket, key


class IrAttachment(models.Model):
    """Amazon S3 as the storage of attachments, on Odoo's own storage hooks.

    With S3 configured (``s3_settings``), ``_storage()`` is ``"s3"`` and new files go to the
    bucket under content-addressed keys ``<prefix>/<sha[:2]>/<sha>``, their ``store_fname``
    being ``s3://<bucket>/<key>``. Files already in the filestore stay readable there until
    ``attachment_s3_migrate`` moves them. Without configuration every method is Odoo's own.

    Garbage collection works like the filestore's: every written or released object gets a
    marker committed at once in its own transaction (table ``attachment_s3_gc``, shared by
    all servers of the database); the autovacuum deletes the objects no attachment points at
    and keeps the marker of a deletion S3 refused, to retry on the next run.
    """

    _inherit = "ir.attachment"

    def init(self):
        super().init()
        # Created and committed on a connection of its own, like the markers written into it:
        # created in the installing transaction, the first file stored during the installation
        # (S3 being configured) would wait on its marker, and the marker on the installation.
        with db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute(
                """
                CREATE TABLE IF NOT EXISTS attachment_s3_gc (
                    id bigserial PRIMARY KEY,
                    store_fname varchar NOT NULL,
                    create_date timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
                );
                CREATE INDEX IF NOT EXISTS attachment_s3_gc_create_date_index
                    ON attachment_s3_gc (create_date);
                """
            )

    # ------------------------------------------------------------------ settings and client

    @api.model
    def _s3_settings(self):
        """This server's S3 settings, or None (the tests replace it)."""
        return s3_settings.current()

    @api.model
    def _s3_request(self, bucket=None):
        """The S3 client of the configured bucket, or of ``bucket`` with the same settings."""
        settings = self._s3_settings()
        if not settings:
            raise UserError(const.NOT_CONFIGURED)
        if bucket and bucket != settings.bucket:
            settings = dataclasses.replace(settings, bucket=bucket)
        return settings.storage()

    @api.model
    def _s3_key(self, checksum):
        prefix = self._s3_settings().prefix(self.env.cr.dbname)
        return f"{prefix}/{checksum[:2]}/{checksum}" if prefix else f"{checksum[:2]}/{checksum}"

    # ------------------------------------------------------------------ storage hooks

    @api.model
    def _storage(self):
        forced = self.env.context.get("attachment_s3_storage")
        if forced:
            return forced
        if self._s3_settings():
            return "s3"
        return super()._storage()

    @api.model
    def _get_storage_domain(self):
        s3_files = [("store_fname", "=like", const.FNAME_SCHEME + "%")]
        if self._storage() == "s3":
            return [
                "|",
                ("db_datas", "!=", False),
                "&",
                ("store_fname", "!=", False),
                ("store_fname", "not like", const.FNAME_SCHEME + "%"),
            ]
        domain = super()._get_storage_domain()
        return ["|", *domain, *s3_files] if self._storage() == "file" else domain

    @api.model
    def _file_read(self, fname):
        if not is_s3_fname(fname):
            return super()._file_read(fname)
        try:
            return self._s3_read(fname)
        except S3Error as error:
            raise UserError(self._s3_read_error(error)) from error

    def _s3_read_error(self, error):
        return self.env._(
            "%(problem)s The file cannot be opened right now; please try again in a moment.",
            problem=error.user_message,
        )

    @api.model
    def _s3_read(self, fname):
        """The bytes of an S3 store_fname; S3Error when S3 fails (logged)."""
        bucket, key = split_s3_fname(fname)
        try:
            return self._s3_request(bucket).get(key)
        except S3ObjectMissing as error:
            # as the filestore does with a missing file: logged, read as empty
            _logger.warning("attachment_s3: cannot read %s: %s", fname, error)
            return b""
        except S3Error as error:
            _logger.error("attachment_s3: cannot read %s: %s", fname, error)
            raise

    @api.model
    def _file_write(self, bin_value, checksum):
        if self._storage() != "s3":
            return super()._file_write(bin_value, checksum)
        storage = self._s3_request()
        key = self._s3_key(checksum)
        fname = f"{const.FNAME_SCHEME}{storage.bucket}/{key}"
        # Marked before it exists: whatever happens to this transaction, GC knows the object.
        self._mark_for_gc(fname)
        try:
            storage.put(key, bin_value, checksum)
        except S3Error as error:
            _logger.error("attachment_s3: cannot write %s: %s", fname, error)
            raise UserError(
                self.env._(
                    "%(problem)s The file was not saved and nothing was changed; please try "
                    "again in a moment.",
                    problem=error.user_message,
                )
            ) from error
        return fname

    def _mark_for_gc(self, fname):
        if not is_s3_fname(fname):
            return super()._mark_for_gc(fname)
        # Its own connection, committed at once: the marker outlives a rollback of ours.
        with db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute("INSERT INTO attachment_s3_gc (store_fname) VALUES (%s)", [fname])
        return None

    @api.autovacuum
    def _gc_file_store(self):
        if self._storage() != "s3":
            return super()._gc_file_store()
        # As Odoo's filestore GC: a new transaction whose first statement is the lock.
        cr = self.env.cr
        cr.commit()  # pylint: disable=invalid-commit
        cr.execute("SET LOCAL lock_timeout TO '10s'")
        try:
            cr.execute("LOCK ir_attachment IN SHARE MODE")
        except psycopg2.errors.LockNotAvailable:
            cr.rollback()
            return False
        self._gc_file_store_unsafe()  # the filestore's files released by a migration
        self._s3_gc_unsafe()
        cr.commit()  # pylint: disable=invalid-commit
        return True

    def _s3_gc_unsafe(self, grace=const.GC_GRACE_SECONDS):
        """Delete the marked objects that no attachment points at; return (checked, removed,
        kept for a retry). Run under ``LOCK ir_attachment IN SHARE MODE``."""
        cr = self.env.cr
        cr.execute(
            """
            SELECT store_fname, array_agg(id) FROM attachment_s3_gc
             WHERE create_date <= (now() AT TIME ZONE 'UTC') - make_interval(secs => %s)
             GROUP BY store_fname
            """,
            [grace],
        )
        markers = dict(cr.fetchall())
        removed = failed = 0
        for names in cr.split_for_in_conditions(markers):
            cr.execute("SELECT store_fname FROM ir_attachment WHERE store_fname IN %s", [names])
            used = {row[0] for row in cr.fetchall()}
            done = []
            for fname in names:
                if fname not in used:
                    bucket, key = split_s3_fname(fname)
                    try:
                        self._s3_request(bucket).delete(key)
                        removed += 1
                    except S3Error as error:
                        # a committed delete is never lost: the marker stays for the next run
                        _logger.warning("attachment_s3 gc: kept %s for later: %s", fname, error)
                        failed += 1
                        continue
                done.extend(markers[fname])
            if done:
                cr.execute("DELETE FROM attachment_s3_gc WHERE id = ANY(%s)", [done])
        _logger.info(
            "attachment_s3 gc: %d checked, %d removed, %d kept for a retry",
            len(markers),
            removed,
            failed,
        )
        return len(markers), removed, failed

    # ------------------------------------------------------------------ downloads

    def _to_http_stream(self):
        if not is_s3_fname(self.store_fname):
            return super()._to_http_stream()
        self.ensure_one()
        stream = Stream(
            mimetype=self.mimetype,
            download_name=self.name,
            etag=self.checksum,
            public=self.public,
            last_modified=self.write_date,
            size=self.file_size,
        )
        if self._s3_presign_allowed():
            settings = self._s3_settings()
            bucket, key = split_s3_fname(self.store_fname)
            download = request and str2bool(request.params.get("download") or "0", False)
            stream.type = "url"
            stream.url = self._s3_request(bucket).presigned_url(
                key,
                settings.presigned_ttl,
                filename=self.name,
                mimetype=self.mimetype,
                as_attachment=download,
            )
            stream.max_age = 0  # a 302 that nothing caches: the URL dies with its TTL
            return stream
        stream.type = "data"
        try:
            stream.data = self._s3_read(self.store_fname)
        except S3Error as error:
            # Odoo's download routes turn a UserError into "404 Not Found": say what it is
            raise ServiceUnavailable(self._s3_read_error(error)) from error
        stream.size = len(stream.data)
        return stream

    def _s3_presign_allowed(self):
        """Whether this download may go straight to S3 (the caller checked access already)."""
        self.ensure_one()
        settings = self._s3_settings()
        return bool(
            settings
            and settings.presigned_downloads
            and request
            and not self.public  # assets and website files: served and cached by Odoo
            and not self.env.context.get("attachment_s3_inline")
            and (self.file_size or 0) >= settings.presigned_min_size
        )
