"""Backups: ``tools/backup.py`` saves a database with the demo story, its filestore files and
its S3 objects; a restore into a new database brings the story back whole, files readable,
with or without S3 on the restoring server, even once the original and its files are gone."""

import io
import logging
import os
import secrets
import subprocess
import sys
import tarfile

import boto3
import requests
from botocore.config import Config
from harness import PG_BIN, ROLE, ROOT, check, say, scenario

BACKUP_TOOL = ROOT / "tools" / "backup.py"
BUCKET = "furniture-reliability-backups"

# What a person checks after a restore: the orders, the pieces, the inspections, the files.
STORY = """
import hashlib, json
def story(env):
    PO = env["purchase.order"].sudo()
    states = {}
    for order in PO.search([("mto_state", "!=", False)]):
        states[order.mto_state] = states.get(order.mto_state, 0) + 1
    inspections = {}
    for inspection in env["mto.quality.inspection"].sudo().search([]):
        inspections[inspection.state] = inspections.get(inspection.state, 0) + 1
    # id: fields' files too; web assets left out (Odoo rebuilds them, -u drops them)
    stored = [("id", "!=", 0), "|", ("url", "=", False), ("url", "not like", "/web/assets/")]
    files, generated = {}, []
    for att in env["ir.attachment"].sudo().search([("store_fname", "!=", False)] + stored):
        files[str(att.id)] = hashlib.sha1(att.raw or b"").hexdigest()
        if att.name == "res.company.scss":  # the company's style sheet, written again by -u
            generated.append(str(att.id))
    return {
        "sale_orders": sorted(env["sale.order"].sudo().search([]).mapped("name")),
        "purchase_states": states,
        "pieces": sorted(env["mto.piece"].sudo().search([]).mapped("code")),
        "inspections": inspections,
        "files": files,
        "generated": generated,
        "s3_files": env["ir.attachment"].sudo().search_count(
            [("store_fname", "=like", "s3://%")] + stored
        ),
    }
"""

ADD_FILES = (
    STORY
    + """
order = env["purchase.order"].search([("mto_state", "=", "in_production")], limit=1)
added = env["ir.attachment"].create([
    {"name": "workshop-photo.jpg", "raw": bytes.fromhex("PHOTO"),
     "res_model": "purchase.order", "res_id": order.id},
    {"name": "production-drawing.pdf", "raw": bytes.fromhex("DRAWING"),
     "res_model": "purchase.order", "res_id": order.id},
])
env.cr.commit()
print("RESULT:" + json.dumps(dict(story(env), added=added.ids)))
"""
)

READ_STORY = STORY + '\nprint("RESULT:" + json.dumps(story(env)))\n'


class LoopbackS3:
    """moto's S3 server on a free loopback port, and the variables a server reads."""

    def __init__(self):
        from harness import free_port
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log
        port = free_port()
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self.server.start()
        self.environ = {
            "ATTACHMENT_S3_BUCKET": BUCKET,
            "ATTACHMENT_S3_REGION": "eu-west-1",
            "ATTACHMENT_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
            "AWS_ACCESS_KEY_ID": "reliability",
            "AWS_SECRET_ACCESS_KEY": "reliability",
        }
        self.client = boto3.client(
            "s3",
            endpoint_url=self.environ["ATTACHMENT_S3_ENDPOINT_URL"],
            region_name="eu-west-1",
            aws_access_key_id="reliability",
            aws_secret_access_key="reliability",
            config=Config(s3={"addressing_style": "path"}),
        )
        self.client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )

    def keys(self, prefix):
        found = self.client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])
        return [item["Key"] for item in found]

    def delete_prefix(self, prefix):
        for key in self.keys(prefix):
            self.client.delete_object(Bucket=BUCKET, Key=key)

    def stop(self):
        self.server.stop()


def backup_tool(ctx, *args, s3=None):
    """tools/backup.py as an admin runs it (make backup / make restore), on our cluster."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATTACHMENT_S3_", "PG"))}
    env.update(
        {
            "PGHOST": ctx.cluster.host,
            "PGPORT": str(ctx.cluster.port),
            "PGUSER": ROLE,
            "PATH": f"{PG_BIN}:{env.get('PATH', '')}",
        }
    )
    env.update(s3 or {})
    return subprocess.run(
        [sys.executable, str(BACKUP_TOOL), *args, "--data-dir", str(ctx.odoo.data_dir)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def same_story(label, before, after, new_files=False):
    """The story read before is the story read after. With ``new_files`` (an upgrade that
    installs new modules: their icons, their demo users' avatars), files may be added, but
    every file of before is still there with the same content (but the style sheet Odoo
    generates from the company's colours, which an update writes again)."""
    for key in ("sale_orders", "purchase_states", "pieces", "inspections"):
        check(
            before[key] == after[key],
            f"{label}: {key} differ: {before[key]!r} != {after[key]!r}",
        )
    files = after["files"]
    if new_files:
        files = {key: sha for key, sha in files.items() if key in before["files"]}
        files.update({key: before["files"][key] for key in after["generated"] if key in files})
    lost = sorted(set(before["files"]) - set(files), key=int)
    changed = sorted(
        (k for k in before["files"] if k in files and before["files"][k] != files[k]), key=int
    )
    added = sorted(set(files) - set(before["files"]), key=int)
    check(
        not (lost or changed or added),
        f"{label}: files differ: lost {lost}, content changed {changed}, added {added}",
    )


@scenario("backup-restore", quick=True)
def backup_restore(ctx):
    s3 = LoopbackS3()
    try:
        _backup_restore(ctx, s3)
    finally:
        s3.stop()


def _backup_restore(ctx, s3):
    odoo, cluster = ctx.odoo, ctx.cluster
    source = ctx.copy_of_template("bk_source")
    photo, drawing = secrets.token_bytes(20000), secrets.token_bytes(3000)
    # With S3 configured, the server stores new files in the bucket; the demo's stay in the
    # filestore: the backup holds both kinds.
    before = odoo.shell(
        source,
        ADD_FILES.replace("PHOTO", photo.hex()).replace("DRAWING", drawing.hex()),
        **s3.environ,
    )
    check(before["s3_files"] >= 2, f"the new files did not go to S3: {before['s3_files']}")
    check(len(before["files"]) > before["s3_files"], "no file of the demo in the filestore")
    check(before["pieces"] and before["inspections"], "the demo story has no piece/inspection")
    archive = ctx.workdir / "bk_source.tar"
    archive.unlink(missing_ok=True)  # a kept --workdir's earlier run
    (ctx.workdir / "damaged.tar").unlink(missing_ok=True)
    result = backup_tool(
        ctx, "backup", "--database", source, "--output", str(archive), s3=s3.environ
    )
    check(result.returncode == 0, f"backup failed: {result.stderr}")
    say(result.stdout.strip())
    again = backup_tool(ctx, "backup", "--database", source, "--output", str(archive))
    check(again.returncode and "exists" in again.stderr, "a backup overwrote an existing file")

    # The disaster: the database, its filestore and its S3 objects are gone.
    cluster.dropdb(source)
    for path in sorted((odoo.data_dir / "filestore" / source).rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    s3.delete_prefix(f"{source}/")

    # 1. Restored on a server with S3: every file lands under the new database's prefix.
    restored = "bk_restored"
    result = backup_tool(
        ctx, "restore", "--input", str(archive), "--database", restored, s3=s3.environ
    )
    check(result.returncode == 0, f"restore failed: {result.stderr}")
    say(result.stdout.strip())
    after = odoo.shell(restored, READ_STORY, **s3.environ)
    same_story("restore into S3", before, after)
    check(
        after["s3_files"] == len(after["files"]),
        f"{after['s3_files']} of {len(after['files'])} files in S3 after the restore",
    )
    check(len(s3.keys(f"{restored}/")) == len(set(after["files"].values())), "objects missing")
    refused = backup_tool(ctx, "restore", "--input", str(archive), "--database", restored)
    check(refused.returncode and "exists" in refused.stderr, "a restore overwrote a database")

    # 2. Restored on a server without S3: the same files, in its filestore.
    local = "bk_restored_fs"
    result = backup_tool(ctx, "restore", "--input", str(archive), "--database", local)
    check(result.returncode == 0, f"restore without S3 failed: {result.stderr}")
    after_local = odoo.shell(local, READ_STORY)
    same_story("restore into the filestore", before, after_local)
    check(after_local["s3_files"] == 0, "a file still points to S3 on a server without S3")

    # 3. The restored database serves its story: the workshop's portal, the files over HTTP.
    odoo.start(restored, **s3.environ)
    browser = requests.Session()
    login = browser.post(
        f"{odoo.base_url}/web/session/authenticate",
        json={"params": {"db": restored, "login": "admin", "password": "admin"}},
        timeout=60,
    ).json()
    check(login.get("result", {}).get("uid"), f"admin cannot log in: {login.get('error')}")
    for attachment_id in before["added"]:
        content = browser.get(f"{odoo.base_url}/web/content/{attachment_id}", timeout=60)
        check(
            content.status_code == 200 and content.content in (photo, drawing),
            f"attachment {attachment_id} is not served after the restore "
            f"(HTTP {content.status_code})",
        )
    workshop = requests.Session()
    workshop.post(
        f"{odoo.base_url}/web/session/authenticate",
        json={
            "params": {
                "db": restored,
                "login": "workshop@atelier-bois.example",
                "password": "workshop",
            }
        },
        timeout=60,
    )
    page = workshop.get(f"{odoo.base_url}/my/production?filterby=all", timeout=60)
    check(
        page.status_code == 200 and "/web/login" not in page.url,
        f"the workshop's portal does not open after the restore: {page.status_code}",
    )
    odoo.stop()

    # 4. A damaged backup is refused before anything is created.
    damaged = ctx.workdir / "damaged.tar"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("files/") and member.size > 1000:
                data = data[:-1] + bytes([data[-1] ^ 1])
            dst.addfile(member, io.BytesIO(data))
    result = backup_tool(ctx, "restore", "--input", str(damaged), "--database", "bk_damaged")
    check(result.returncode and "damaged" in result.stderr, "a damaged backup was restored")
    check("bk_damaged" not in cluster.databases(), "a damaged backup left a database behind")
    ctx.figures["backup size KiB"] = archive.stat().st_size // 1024
    for name in (restored, local):
        cluster.dropdb(name)
