"""Attachments on S3 against Odoo's filestore, measured in the same run.

Run with `make bench ARGS=s3` (python3 tools/suite.py bench s3 [--count N] [--sizes 10240,5242880]).
Writes then reads N attachments of each size through the ORM (``ir.attachment`` create, then
``raw`` on a cold cache), once on the stock filestore and once on moto's S3 server on loopback,
in a database with attachment_s3 installed, inside one transaction rolled back at the end.
Prints median times per operation, the ratio S3 / filestore, and the number of S3 requests
per operation, counted on botocore's ``before-send`` event (the goal: one each).

Loopback S3 has no network latency: the ratio shows the client's own cost (signing, HTTP,
XML), not a real region's round trip (add ~10-30 ms per request within an AWS region).
"""

import logging
import os
import statistics
import sys
import time
import uuid
from unittest.mock import patch

from common import bench_arguments, free_port

import odoo
from odoo import api
from odoo.tools import config

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}


def parse_args():
    parser = bench_arguments(__doc__)
    parser.add_argument("--count", type=int, default=20, help="attachments per size and storage")
    parser.add_argument("--sizes", default="10240,5242880", help="bytes, comma-separated")
    return parser.parse_args()


def human(size):
    return f"{size // 1048576} MB" if size >= 1048576 else f"{size // 1024} KB"


class Requests:
    def __init__(self):
        self.count = 0

    def __call__(self, **kwargs):
        self.count += 1


def run_storage(env, size, count, counter):
    """(write seconds, read seconds, write requests, read requests) per attachment."""
    Attachment = env["ir.attachment"]
    writes, reads, write_requests, read_requests = [], [], [], []
    attachments = []
    for _ in range(count):
        data = os.urandom(size)  # distinct contents: no deduplication helps
        before = counter.count
        start = time.perf_counter()
        attachments.append(Attachment.create({"name": "bench.bin", "raw": data}))
        env.flush_all()
        writes.append(time.perf_counter() - start)
        write_requests.append(counter.count - before)
    for attachment in attachments:
        attachment.invalidate_recordset()
        before = counter.count
        start = time.perf_counter()
        assert len(attachment.raw) == size
        reads.append(time.perf_counter() - start)
        read_requests.append(counter.count - before)
    return (
        statistics.median(writes),
        statistics.median(reads),
        statistics.mean(write_requests),
        statistics.mean(read_requests),
    )


def main():
    args = parse_args()
    config.parse_config([*args.odoo_args.split(), "-d", args.database])
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's access log
    import boto3
    from botocore.config import Config
    from moto.server import ThreadedMotoServer

    from odoo.addons.attachment_s3.models import s3_settings

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    bucket = f"bench-{uuid.uuid4().hex[:8]}"
    with patch.dict(os.environ, CREDENTIALS):
        boto3.client(
            "s3",
            endpoint_url=url,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}),
        ).create_bucket(Bucket=bucket)
    settings = s3_settings.S3Settings(
        bucket=bucket, region="us-east-1", endpoint_url=url, read_timeout=30, connect_timeout=5
    )
    counter = Requests()
    registry = odoo.modules.registry.Registry(args.database)
    print(
        f"attachments: write + read {args.count} per size through the ORM, median ms per "
        "attachment; S3 = moto's server on loopback"
    )
    print(f"{'size':>6} {'op':>5} {'filestore':>10} {'s3':>8} {'ratio':>6} {'S3 requests/op':>15}")
    try:
        with patch.dict(os.environ, CREDENTIALS), registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
            with patch.object(s3_settings, "current", return_value=settings):
                storage = env["ir.attachment"]._s3_request()
                storage.events.register("before-send.s3", counter)
                run_storage(env, 1024, 3, counter)  # warm-up: connection pool, caches
            for size in [int(x) for x in args.sizes.split(",")]:
                with patch.object(s3_settings, "current", return_value=None):
                    file_w, file_r, _wq, _rq = run_storage(env, size, args.count, counter)
                with patch.object(s3_settings, "current", return_value=settings):
                    s3_w, s3_r, s3_wq, s3_rq = run_storage(env, size, args.count, counter)
                for op, base, ours, requests_per_op in (
                    ("write", file_w, s3_w, s3_wq),
                    ("read", file_r, s3_r, s3_rq),
                ):
                    print(
                        f"{human(size):>6} {op:>5} {base * 1000:>10.2f} {ours * 1000:>8.2f} "
                        f"{ours / base:>6.2f} {requests_per_op:>15.2f}",
                        flush=True,
                    )
            cr.rollback()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
