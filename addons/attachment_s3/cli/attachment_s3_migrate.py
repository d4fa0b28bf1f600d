"""``odoo-bin attachment_s3_migrate -d DB --to s3|filestore [--dry-run] [--batch-size N]``"""

import logging
import optparse
import sys
from pathlib import Path

import odoo
from odoo.cli import Command

from ..models.s3_migration import (
    MigrationError,
    MigrationInterrupted,
    migrate,
    print_summary,
)

_logger = logging.getLogger(__name__)


class AttachmentS3Migrate(Command):
    """Move attachments between the filestore and Amazon S3 (batched, verified, resumable)"""

    name = "attachment_s3_migrate"

    def run(self, args):
        parser = odoo.tools.config.parser
        parser.prog = f"{Path(sys.argv[0]).name} {self.name}"
        group = optparse.OptionGroup(
            parser,
            "Attachment migration",
            "Move the files of the database given by -d to S3 (--to s3) or back to the "
            "filestore (--to filestore). S3 is configured as for the server: the "
            "[attachment_s3] section of the configuration file or ATTACHMENT_S3_* variables.",
        )
        group.add_option("--to", dest="s3_to", choices=["s3", "filestore"], help="s3 or filestore")
        group.add_option(
            "--dry-run",
            dest="s3_dry_run",
            action="store_true",
            default=False,
            help="count what would move, change nothing",
        )
        group.add_option(
            "--batch-size",
            dest="s3_batch_size",
            type="int",
            default=100,
            help="attachments per transaction (default 100)",
        )
        parser.add_option_group(group)
        opt = odoo.tools.config.parse_config(args, setup_logging=True)
        dbname = odoo.tools.config["db_name"]
        if isinstance(dbname, (list, tuple)):
            dbname = dbname[0] if len(dbname) == 1 else None
        elif dbname and "," in dbname:
            dbname = None
        if not dbname or not opt.s3_to:
            sys.exit(
                f"usage: {parser.prog} -d DATABASE --to s3|filestore [--dry-run] [--batch-size N]"
            )
        registry = odoo.modules.registry.Registry(dbname)
        try:
            summary = migrate(
                registry,
                opt.s3_to,
                dry_run=opt.s3_dry_run,
                batch_size=opt.s3_batch_size,
                out=sys.stderr,
            )
        except MigrationError as error:
            sys.exit(f"attachment_s3_migrate: {error}")
        except MigrationInterrupted as interrupted:
            print_summary(interrupted.summary, sys.stdout)
            sys.exit(1)
        print_summary(summary, sys.stdout)
        sys.exit(1 if summary.skipped else 0)
