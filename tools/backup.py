"""Backup and restore of one database of the suite: the database, its files, its S3 objects.

    backup.py backup  --database furniture --output furniture.tar
    backup.py restore --input furniture.tar --database furniture_restored

Run with the suite's virtualenv Python (``make backup`` / ``make restore``, through
``tools/suite.py``). PostgreSQL is reached through libpq's environment (``PGHOST``,
``PGPORT``, ``PGUSER``, ``PGPASSWORD``) with ``pg_dump`` / ``pg_restore`` from ``PATH``.

A backup is one tar file:

- ``dump.pgc``: ``pg_dump --format=custom`` of the database;
- ``files/<ab>/<abcdef...>``: every file the database's attachments point to, whether it is
  in Odoo's filestore or in the S3 bucket of ``attachment_s3`` (fetched with boto3, through
  the same ``[attachment_s3]`` settings and ``ATTACHMENT_S3_*`` variables as the server);
- ``manifest.json``: the database, the installed modules and versions, and every file with
  its SHA-1.

The list of files and the dump are read from one database snapshot (``pg_export_snapshot``),
so they agree even while the server keeps working. Every file is checked against its SHA-1
(Odoo names files by it) when it is saved and again when it is restored.

A restore creates a **new** database (it never overwrites one), then puts every file where
the restoring server stores them: under the new database's prefix in its S3 bucket when
``attachment_s3`` is configured there, else in its filestore, and points the attachments
at them. So a restored copy never shares an S3 object with the original: the copy's garbage
collection cannot remove a file the original still uses. The copy gets a database UUID of its
own (``--keep-uuid`` for a disaster recovery that replaces the original).
"""

import argparse
import configparser
import datetime
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import uuid
from pathlib import Path

import psycopg2

FORMAT = "furniture-suite-backup/1"
S3_SCHEME = "s3://"
S3_ENV_PREFIX = "ATTACHMENT_S3_"
S3_SECTION = "attachment_s3"


class BackupError(Exception):
    pass


def say(message):
    print(f"[backup] {message}", flush=True)


def connect(database):
    cnx = psycopg2.connect(dbname=database)
    return cnx


def database_exists(name):
    cnx = connect("postgres")
    try:
        with cnx.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return bool(cr.fetchone())
    finally:
        cnx.close()


# --------------------------------------------------------------------------- S3


def s3_settings(odoo_conf):
    """``{bucket, region, endpoint_url, key_prefix}`` as the Odoo server reads them
    (the configuration file's ``[attachment_s3]`` section, environment first), or None."""
    section = {}
    if odoo_conf:
        parser = configparser.RawConfigParser()
        parser.read(odoo_conf)
        if parser.has_section(S3_SECTION):
            section = dict(parser.items(S3_SECTION))
    values = {}
    for key, default in (
        ("bucket", None),
        ("region", None),
        ("endpoint_url", None),
        ("key_prefix", "{db}"),
        ("kms_key_id", None),
    ):
        value = os.environ.get(S3_ENV_PREFIX + key.upper()) or section.get(key) or default
        values[key] = value
    return values if values["bucket"] else None


def s3_client(settings):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        region_name=settings["region"],
        endpoint_url=settings["endpoint_url"],
        config=Config(
            connect_timeout=5,
            read_timeout=60,
            retries={"max_attempts": 3, "mode": "standard"},
            s3={"addressing_style": "path"} if settings["endpoint_url"] else None,
        ),
    )


def split_s3(fname):
    bucket, _sep, key = fname[len(S3_SCHEME) :].partition("/")
    return bucket, key


# --------------------------------------------------------------------------- backup


def file_name(checksum):
    return f"files/{checksum[:2]}/{checksum}"


def read_attachment_file(store_fname, checksum, filestore, clients, settings):
    if store_fname.startswith(S3_SCHEME):
        if settings is None:
            raise BackupError(
                f"{store_fname} is in S3 but no S3 bucket is configured here "
                "([attachment_s3] bucket or ATTACHMENT_S3_BUCKET): the files cannot be saved"
            )
        bucket, key = split_s3(store_fname)
        client = clients.setdefault(bucket, s3_client(settings))
        return client.get_object(Bucket=bucket, Key=key)["Body"].read()
    path = filestore / store_fname
    if not path.is_file():
        raise BackupError(f"{store_fname} (checksum {checksum}) is missing from {filestore}")
    return path.read_bytes()


def backup(database, output, data_dir, odoo_conf):
    if not database_exists(database):
        raise BackupError(f"there is no database {database!r}")
    output = Path(output)
    if output.exists():
        raise BackupError(f"{output} exists: choose another file (a backup never overwrites)")
    filestore = Path(data_dir) / "filestore" / database
    settings = s3_settings(odoo_conf)
    cnx = connect(database)
    cnx.set_session(isolation_level="REPEATABLE READ", readonly=True)
    partial = output.with_name(output.name + ".partial")
    try:
        with cnx.cursor() as cr:
            cr.execute("SELECT pg_export_snapshot()")
            snapshot = cr.fetchone()[0]
            cr.execute(
                "SELECT DISTINCT store_fname, checksum FROM ir_attachment "
                "WHERE store_fname IS NOT NULL AND store_fname != '' ORDER BY store_fname"
            )
            attachments = cr.fetchall()
            cr.execute(
                "SELECT name, latest_version FROM ir_module_module "
                "WHERE state = 'installed' ORDER BY name"
            )
            modules = dict(cr.fetchall())
            with tempfile.TemporaryDirectory(prefix="furniture-backup-") as tmp:
                dump = Path(tmp) / "dump.pgc"
                # The dump sees exactly the snapshot the file list was read from.
                subprocess.run(
                    [
                        "pg_dump",
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        "--file",
                        str(dump),
                        database,
                    ],
                    check=True,
                )
                files, clients = {}, {}
                with tarfile.open(partial, "w") as tar:
                    tar.add(dump, "dump.pgc")
                    for store_fname, checksum in attachments:
                        data = read_attachment_file(
                            store_fname, checksum, filestore, clients, settings
                        )
                        actual = hashlib.sha1(data).hexdigest()
                        if checksum and actual != checksum:
                            raise BackupError(
                                f"{store_fname}: its content does not match its checksum "
                                f"{checksum} (the file is damaged): nothing was saved"
                            )
                        checksum = actual
                        if checksum not in files:
                            _add_bytes(tar, file_name(checksum), data)
                        files[checksum] = [*files.get(checksum, []), store_fname]
                    manifest = {
                        "format": FORMAT,
                        "database": database,
                        "created": datetime.datetime.now(datetime.UTC).isoformat(),
                        "modules": modules,
                        "files": files,
                    }
                    _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=1).encode())
        os.replace(partial, output)
    finally:
        cnx.close()
        partial.unlink(missing_ok=True)
    s3_count = sum(1 for names in files.values() if names[0].startswith(S3_SCHEME))
    say(
        f"{database}: {len(modules)} modules, {len(attachments)} attachment files "
        f"({len(files)} distinct, {s3_count} from S3) -> {output} "
        f"({output.stat().st_size // 1024} KiB)"
    )
    return manifest


def _add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


# --------------------------------------------------------------------------- restore


def restore(source, database, data_dir, odoo_conf, keep_uuid=False):
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no backup file {source}")
    if database_exists(database):
        raise BackupError(
            f"the database {database!r} exists: a restore never overwrites one. Restore into "
            "a new name (then switch to it), or drop it first yourself."
        )
    settings = s3_settings(odoo_conf)
    with tarfile.open(source) as tar, tempfile.TemporaryDirectory(prefix="furniture-rst-") as tmp:
        manifest = json.load(tar.extractfile("manifest.json"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{source} is not a backup of this tool ({manifest.get('format')})")
        # Every file is checked before the database is created: a damaged backup leaves
        # nothing behind.
        for checksum in manifest["files"]:
            if _read_verified(tar, checksum) is None:
                raise BackupError(f"{source}: the file {checksum} is damaged; nothing restored")
        dump = Path(tmp) / "dump.pgc"
        dump.write_bytes(tar.extractfile("dump.pgc").read())
        subprocess.run(["createdb", "-E", "UTF8", "-T", "template0", database], check=True)
        try:
            subprocess.run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    "--dbname",
                    database,
                    str(dump),
                ],
                check=True,
            )
            moved = _put_files(database, manifest, tar, data_dir, settings, keep_uuid)
        except BaseException:
            subprocess.run(["dropdb", "--if-exists", database], check=False)
            raise
    say(
        f"{manifest['database']} ({manifest['created']}) restored as {database}: "
        f"{len(manifest['files'])} files {moved}"
    )
    return manifest


def _read_verified(tar, checksum):
    """The file ``checksum`` of the backup, or None when its content does not match."""
    data = tar.extractfile(file_name(checksum)).read()
    return data if hashlib.sha1(data).hexdigest() == checksum else None


def _put_files(database, manifest, tar, data_dir, settings, keep_uuid):
    """Store every file where this server keeps them, and point the attachments at them."""
    filestore = Path(data_dir) / "filestore" / database
    client = s3_client(settings) if settings else None
    prefix = settings["key_prefix"].format(db=database).strip("/") if settings else ""
    cnx = connect(database)
    try:
        with cnx, cnx.cursor() as cr:
            for checksum, old_names in manifest["files"].items():
                data = _read_verified(tar, checksum)
                relative = f"{checksum[:2]}/{checksum}"
                if client:
                    key = f"{prefix}/{relative}" if prefix else relative
                    extra = {}
                    if settings["kms_key_id"]:
                        extra = {
                            "ServerSideEncryption": "aws:kms",
                            "SSEKMSKeyId": settings["kms_key_id"],
                        }
                    client.put_object(Bucket=settings["bucket"], Key=key, Body=data, **extra)
                    new_name = f"{S3_SCHEME}{settings['bucket']}/{key}"
                else:
                    path = filestore / relative
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
                    new_name = relative
                cr.execute(
                    "UPDATE ir_attachment SET store_fname = %s WHERE store_fname = ANY(%s)",
                    [new_name, old_names],
                )
            if not keep_uuid:
                cr.execute(
                    "UPDATE ir_config_parameter SET value = %s WHERE key = 'database.uuid'",
                    [str(uuid.uuid1())],
                )
    finally:
        cnx.close()
    return f"in S3 bucket {settings['bucket']} under {prefix}/" if client else f"in {filestore}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_backup = sub.add_parser("backup", help="one database, its files and S3 objects -> a tar")
    p_backup.add_argument("--database", required=True)
    p_backup.add_argument("--output", required=True)
    p_restore = sub.add_parser("restore", help="a backup -> a new database and its files")
    p_restore.add_argument("--input", required=True)
    p_restore.add_argument("--database", required=True)
    p_restore.add_argument(
        "--keep-uuid", action="store_true", help="keep the original's database UUID"
    )
    for sub_parser in (p_backup, p_restore):
        sub_parser.add_argument(
            "--data-dir",
            default=os.environ.get("SUITE_DATA_DIR"),
            required=not os.environ.get("SUITE_DATA_DIR"),
            help="Odoo's data directory (its filestore/ folder holds the files)",
        )
        sub_parser.add_argument(
            "--odoo-conf",
            default=os.environ.get("SUITE_ODOO_CONF"),
            help="the server's Odoo configuration (its [attachment_s3] section)",
        )
    args = parser.parse_args(argv)
    try:
        if args.command == "backup":
            backup(args.database, args.output, args.data_dir, args.odoo_conf)
        else:
            restore(args.input, args.database, args.data_dir, args.odoo_conf, args.keep_uuid)
    except (BackupError, subprocess.CalledProcessError, psycopg2.Error) as error:
        print(f"[backup] error: {error}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
