"""Move attachments between the filestore and S3: batched, verified, resumable.

One transaction per batch. Each file is read from where the database points, its SHA-1
checked against the attachment's checksum, written to the other storage and read back from
there with the same check; only then does the attachment point at the new copy. The old copy
is only marked for garbage collection, which removes it once no attachment uses it. An
interruption at any point rolls back the current batch: every attachment still points at a
copy that was verified, and the same command resumes where it stopped (objects already
written are found again under the same content-addressed key or collected by GC).
"""

import hashlib
import sys
import time
from dataclasses import dataclass, field

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

from . import const
from .ir_attachment import is_s3_fname, split_s3_fname
from .s3_request import TEMPORARY_ERRORS, S3Error

DIRECTIONS = ("s3", "filestore")


class MigrationError(Exception):
    """The migration cannot start or must stop (the message says why)."""


class SourceUnreadable(Exception):
    """This attachment's file is missing or differs from its checksum: it is left as it is."""


@dataclass
class MigrationSummary:
    to: str
    dry_run: bool
    candidates: int = 0
    candidate_bytes: int = 0
    moved: int = 0
    moved_bytes: int = 0
    uploads: int = 0
    skipped: list = field(default_factory=list)  # (attachment id, reason)
    seconds: float = 0.0
    interrupted: str = ""

    def lines(self):
        verb = "would move" if self.dry_run else "moved"
        done = self.candidates if self.dry_run else self.moved
        done_bytes = self.candidate_bytes if self.dry_run else self.moved_bytes
        lines = [
            f"attachment_s3_migrate --to {self.to}{' (dry run)' if self.dry_run else ''}: "
            f"{verb} {done} of {self.candidates} attachments, {human(done_bytes)} of "
            f"{human(self.candidate_bytes)}, in {self.seconds:.1f} s"
        ]
        if not self.dry_run:
            lines.append(
                f"  {self.uploads} files written and verified (identical files are stored once)"
            )
        for attachment_id, reason in self.skipped:
            lines.append(f"  left as it was: attachment {attachment_id}: {reason}")
        if self.interrupted:
            lines.append(
                f"  interrupted: {self.interrupted}. Every attachment is readable; run the "
                "same command again to resume."
            )
        return lines


def human(size):
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


class Progress:
    """A progress bar with counts and bytes on a terminal; one line per batch otherwise."""

    def __init__(self, total, total_bytes, out):
        self.total, self.total_bytes, self.out = total, total_bytes, out
        self.count = self.bytes = 0
        self.tty = hasattr(out, "isatty") and out.isatty()

    def advance(self, size):
        self.count += 1
        self.bytes += size or 0
        if self.tty:
            self.draw("\r")

    def batch_done(self):
        self.draw("\r" if self.tty else "")
        if not self.tty:
            self.out.write("\n")
        self.out.flush()

    def draw(self, start):
        width = 30
        filled = width * self.count // self.total if self.total else width
        self.out.write(
            f"{start}[{'#' * filled}{'.' * (width - filled)}] {self.count}/{self.total} "
            f"attachments, {human(self.bytes)}/{human(self.total_bytes)}"
        )
        self.out.flush()

    def close(self):
        if self.tty:
            self.out.write("\n")
            self.out.flush()


def _where(to, attachment_ids):
    """The attachments a direction moves: their files (those kept in the database stay)."""
    pattern = const.FNAME_SCHEME + "%"
    where = (
        SQL("store_fname IS NOT NULL AND store_fname NOT LIKE %s", pattern)
        if to == "s3"
        else SQL("store_fname LIKE %s", pattern)
    )
    if attachment_ids is not None:
        where = SQL("%s AND id = ANY(%s)", where, list(attachment_ids))
    return where


def migrate(registry, to, *, dry_run=False, batch_size=100, out=None, attachment_ids=None):
    """Move every attachment of ``registry``'s database (or those of ``attachment_ids``) to
    ``to`` ("s3" or "filestore"); return a MigrationSummary. Raises MigrationError when it
    cannot start, MigrationInterrupted when it stopped part-way."""
    if to not in DIRECTIONS:
        raise MigrationError(f"--to must be one of {', '.join(DIRECTIONS)}")
    if batch_size < 1:
        raise MigrationError("--batch-size must be at least 1")
    out = out or sys.stderr
    summary = MigrationSummary(to=to, dry_run=dry_run)
    start = time.monotonic()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if not hasattr(env["ir.attachment"], "_s3_settings"):
            raise MigrationError(f"the module attachment_s3 is not installed in {cr.dbname}")
        if not env["ir.attachment"]._s3_settings():
            raise MigrationError(const.NOT_CONFIGURED)
        cr.execute(
            SQL(
                "SELECT count(*), coalesce(sum(file_size), 0) FROM ir_attachment WHERE %s",
                _where(to, attachment_ids),
            )
        )
        summary.candidates, summary.candidate_bytes = cr.fetchone()
    if dry_run or not summary.candidates:
        summary.seconds = time.monotonic() - start
        return summary
    progress = Progress(summary.candidates, summary.candidate_bytes, out)
    written = set()  # new store_fnames written and verified in this run
    last_id = 0
    try:
        while True:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                cr.execute(
                    SQL(
                        "SELECT id, store_fname, checksum, file_size FROM ir_attachment "
                        "WHERE %s AND id > %s ORDER BY id LIMIT %s",
                        _where(to, attachment_ids),
                        last_id,
                        batch_size,
                    )
                )
                rows = cr.fetchall()
                if not rows:
                    break
                moved = []
                for attachment_id, fname, checksum, size in rows:
                    try:
                        new_fname, checksum = _copy(env, to, fname, checksum, written, summary)
                    except SourceUnreadable as error:
                        summary.skipped.append((attachment_id, str(error)))
                        continue
                    except S3Error as error:
                        if isinstance(error, TEMPORARY_ERRORS):
                            raise
                        summary.skipped.append((attachment_id, str(error)))
                        continue
                    cr.execute(
                        "UPDATE ir_attachment SET store_fname = %s, checksum = %s "
                        "WHERE id = %s AND store_fname = %s",
                        [new_fname, checksum, attachment_id, fname],
                    )
                    env["ir.attachment"]._mark_for_gc(fname)
                    moved.append(size or 0)
                    progress.advance(size)
                last_id = rows[-1][0]
                env["ir.attachment"].invalidate_model(["store_fname", "checksum"])
            # committed: the batch counts
            summary.moved += len(moved)
            summary.moved_bytes += sum(moved)
            progress.batch_done()
    except (S3Error, KeyboardInterrupt) as error:
        summary.interrupted = str(error) or type(error).__name__
        raise MigrationInterrupted(summary) from error
    finally:
        progress.close()
        summary.seconds = time.monotonic() - start
    return summary


class MigrationInterrupted(Exception):
    """The migration stopped part-way; ``summary`` says what was committed before."""

    def __init__(self, summary):
        super().__init__(summary.interrupted)
        self.summary = summary


def _copy(env, to, fname, checksum, written, summary):
    """Write the file of ``fname`` to the other storage and verify it; return its new
    store_fname and checksum."""
    Attachment = env["ir.attachment"]
    if to == "s3":
        data = _read_filestore(Attachment, fname)
        checksum = _checked(data, checksum, fname)
        storage = Attachment._s3_request()
        key = Attachment._s3_key(checksum)
        new_fname = f"{const.FNAME_SCHEME}{storage.bucket}/{key}"
        if new_fname not in written:
            Attachment._mark_for_gc(new_fname)  # before the upload, like any write
            storage.put(key, data, checksum)
            storage.get_verified(key, checksum)
            written.add(new_fname)
            summary.uploads += 1
        return new_fname, checksum
    bucket, key = split_s3_fname(fname)
    storage = Attachment._s3_request(bucket)
    if checksum:
        data = storage.get_verified(key, checksum)
    else:
        data = storage.get(key)
        checksum = hashlib.sha1(data).hexdigest()
    filestore = Attachment.with_context(attachment_s3_storage="file")
    new_fname = filestore._file_write(data, checksum)
    if new_fname not in written:
        # Odoo's own write logs and goes on when the disk fails: read it back
        _checked(_read_filestore(filestore, new_fname), checksum, new_fname)
        written.add(new_fname)
        summary.uploads += 1
    return new_fname, checksum


def _read_filestore(Attachment, fname):
    if is_s3_fname(fname):
        raise SourceUnreadable(f"{fname} is not in the filestore")
    path = Attachment._full_path(fname)
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as error:
        raise SourceUnreadable(f"{fname}: {error.strerror or error}") from error


def _checked(data, checksum, fname):
    actual = hashlib.sha1(data).hexdigest()
    if checksum and actual != checksum:
        raise SourceUnreadable(f"{fname}: its SHA-1 is {actual}, the attachment says {checksum}")
    return actual


def print_summary(summary, out):
    for line in summary.lines():
        out.write(line + "\n")
    out.flush()
