"""Lifecycle of the suite's modules, generic over the modules found in addons/: update on a
database with the demo story, uninstall each (the rest keeps working, nothing orphaned),
reinstall, install each alone on a fresh database, upgrade from the previous landed version.
"""

import ast
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from backups import READ_STORY, same_story
from harness import PROD_CONF, ROOT, check, say, scenario

# Checks after an uninstall, in the database itself: what a removed module must not leave.
ORPHANS = {
    # Business records a removed module created (its demo customers, say) are kept by Odoo
    # when other records still point to them, with their external ids: not orphans. Its
    # structure (models, fields, views, menus, rules, rights, actions, groups, message
    # templates) must go.
    "structure of removed modules": (
        "SELECT module || '.' || name || ' (' || model || ')' FROM ir_model_data "
        "WHERE module = ANY(%(removed)s) AND model != 'ir.attachment' "
        "AND (model LIKE 'ir.%%' OR model IN ('res.groups', 'mail.template', 'sms.template'))"
    ),
    "fields of models that no longer exist": (
        "SELECT f.model || '.' || f.name FROM ir_model_fields f "
        "LEFT JOIN ir_model m ON m.model = f.model WHERE m.id IS NULL"
    ),
    "record rules on models that no longer exist": (
        "SELECT r.name FROM ir_rule r LEFT JOIN ir_model m ON m.id = r.model_id WHERE m.id IS NULL"
    ),
    "access rights on models that no longer exist": (
        "SELECT a.name FROM ir_model_access a LEFT JOIN ir_model m ON m.id = a.model_id "
        "WHERE m.id IS NULL"
    ),
    "views of models that no longer exist": (
        "SELECT v.name FROM ir_ui_view v LEFT JOIN ir_model m ON m.model = v.model "
        "WHERE v.model IS NOT NULL AND v.model != '' AND m.id IS NULL"
    ),
    "window actions of models that no longer exist": (
        "SELECT a.name->>'en_US' FROM ir_act_window a "
        "LEFT JOIN ir_model m ON m.model = a.res_model WHERE m.id IS NULL"
    ),
    "menus whose action is gone": (
        "SELECT mn.name->>'en_US' FROM ir_ui_menu mn WHERE mn.action IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM ir_actions a WHERE a.id = split_part(mn.action, ',', 2)::int)"
    ),
    "scheduled actions of models that no longer exist": (
        "SELECT c.cron_name FROM ir_cron c JOIN ir_act_server s ON s.id = c.ir_actions_server_id "
        "LEFT JOIN ir_model m ON m.id = s.model_id WHERE m.id IS NULL"
    ),
    "queue job functions of models that no longer exist": (
        "SELECT f.name FROM queue_job_function f LEFT JOIN ir_model m ON m.id = f.model_id "
        "WHERE m.id IS NULL"
    ),
}

# Uninstall through Odoo's own button (what an admin clicks in Apps), then report.
UNINSTALL = """
import json
module = env["ir.module.module"].search([("name", "=", {module!r})])
before = set(env["ir.module.module"].search([("state", "=", "installed")]).mapped("name"))
module.button_immediate_uninstall()
env.cr.commit()
env.cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'")
after = {{name for (name,) in env.cr.fetchall()}}
print("RESULT:" + json.dumps(sorted(before - after)))
"""

# Stock flows still work: a storable product bought, received, sold, delivered; every view
# left still renders (one referencing a removed field fails here) and every record rule's
# domain still applies (one naming a removed field would break its model for the users it
# restricts).
STOCK_FLOWS = """
import json
from odoo import Command
from odoo.tools.safe_eval import safe_eval
product = env["product.product"].create({"name": "Walnut stool", "type": "consu",
                                          "is_storable": True, "list_price": 300.0})
vendor = env["res.partner"].create({"name": "A supplier"})
customer = env["res.partner"].create({"name": "A customer"})
purchase = env["purchase.order"].create({"partner_id": vendor.id, "order_line": [
    Command.create({"product_id": product.id, "product_qty": 2, "price_unit": 100.0})]})
purchase.button_confirm()
receipt = purchase.picking_ids
receipt.move_ids.quantity = 2
receipt.move_ids.picked = True
receipt.button_validate()
sale = env["sale.order"].create({"partner_id": customer.id, "order_line": [
    Command.create({"product_id": product.id, "product_uom_qty": 1})]})
sale.action_confirm()
delivery = sale.picking_ids
delivery.move_ids.quantity = 1
delivery.move_ids.picked = True
delivery.button_validate()
broken = []
views = env["ir.ui.view"].search([("type", "!=", "qweb"), ("model", "!=", False)])
for view in views.filtered(lambda v: not v.inherit_id or v.mode == "primary"):
    try:
        with env.cr.savepoint():
            env[view.model].get_views([(view.id, view.type)])
    except Exception as exc:
        broken.append(f"view {view.xml_id or view.name}: {str(exc)[:200]}")
for rule in env["ir.rule"].search([]):
    try:
        with env.cr.savepoint():
            domain = safe_eval(rule.domain_force or "[]", rule._eval_context())
            env[rule.model_id.model].with_context(active_test=False).search(domain, limit=1)
    except Exception as exc:
        broken.append(f"rule {rule.name}: {str(exc)[:200]}")
print("RESULT:" + json.dumps({"receipt": receipt.state, "delivery": delivery.state,
                              "on_hand": product.qty_available, "broken": broken}))
"""


def manifest(folder):
    return ast.literal_eval((folder / "__manifest__.py").read_text())


def orphans(ctx, db, removed):
    found = {}
    for label, sql in ORPHANS.items():
        rows = ctx.cluster.query(db, sql, {"removed": list(removed)})
        if rows:
            found[label] = sorted({r[0] for r in rows})[:10]
    return found


def check_stock_flows(ctx, db, **extra):
    result = ctx.odoo.shell(db, STOCK_FLOWS, **extra)
    broken = result.pop("broken")
    check(
        result["receipt"] == "done" and result["delivery"] == "done" and result["on_hand"] == 1,
        f"stock flows broke: {result}",
    )
    check(not broken, f"broken after the uninstall: {broken[:10]}")


def xmlids(ctx, db, modules):
    rows = ctx.cluster.query(
        db,
        "SELECT module, count(*) FROM ir_model_data WHERE module = ANY(%s) GROUP BY module",
        [list(modules)],
    )
    return dict(rows)


def server_wide_modules(conf_text):
    """The modules of a configuration's ``server_wide_modules`` line."""
    line = re.search(r"(?m)^server_wide_modules\s*=\s*(.*)$", conf_text).group(1)
    return [name.strip() for name in line.split(",") if name.strip()]


def uninstall_and_reinstall(ctx, module):
    db = ctx.copy_of_template(f"lc_{module}"[:60])
    # Odoo refuses to uninstall a server-wide module: an admin first takes it out of the
    # configuration's server_wide_modules, restarts, then uninstalls; so do we.
    wide = server_wide_modules(PROD_CONF.read_text())
    extra = {}
    if module in wide:
        extra["ODOO_SERVER_WIDE_MODULES"] = ",".join(m for m in wide if m != module)
    base_orphans = orphans(ctx, db, [])
    before = xmlids(ctx, db, ctx.modules)
    started = time.monotonic()
    removed = ctx.odoo.shell(db, UNINSTALL.format(module=module), **extra)
    check(module in removed, f"{module} is still installed after its uninstall")
    uninstalled = time.monotonic()
    ctx.figures[f"uninstall {module}"] = round(uninstalled - started)
    say(f"uninstalled {module} in {uninstalled - started:.0f}s: removed {', '.join(removed)}")
    left = orphans(ctx, db, removed)
    new = {k: v for k, v in left.items() if v != base_orphans.get(k)}
    check(not new, f"uninstalling {module} left orphans: {new}")
    check_stock_flows(ctx, db, **extra)
    # Reinstall what the uninstall took away: its records come back.
    suite_removed = [m for m in removed if m in ctx.modules]
    took = ctx.odoo.run_once(db, ["-i", ",".join(suite_removed), "--stop-after-init"])
    ctx.figures[f"reinstall {module}"] = round(took)
    say(f"reinstalled {', '.join(suite_removed)} in {took:.0f}s")
    after = xmlids(ctx, db, suite_removed)
    for name in suite_removed:
        # Some modules have no records of their own (code only, or demo data that only
        # changes other modules' records): those have none after either.
        check(
            after.get(name) or not before.get(name),
            f"{name} has no records after its reinstall",
        )
        # Demo records are not loaded again on a reinstall (Odoo loads demo data on a first
        # install of a database only when asked): compare the module's own data.
        check(
            after.get(name, 0) >= before.get(name, 0) * 0.5,
            f"{name}: {after.get(name)} records after its reinstall, {before.get(name)} before",
        )
    ctx.cluster.dropdb(db)


def uninstall_and_reinstall_all(ctx, modules):
    """Each of ``modules`` in turn, on its own copy of the template; all failures told."""
    failures = []
    for module in modules:
        try:
            uninstall_and_reinstall(ctx, module)
        except Exception as exc:
            failures.append(f"{module}: {exc}")
            say(f"{module}: FAILED {exc}")
    check(not failures, "; ".join(failures))


@scenario("update-suite", quick=True)
def update_suite(ctx):
    """``-u`` of every suite module on a database with the demo story: the story survives."""
    db = ctx.copy_of_template("lc_update")
    before = ctx.odoo.shell(db, READ_STORY)
    took = ctx.odoo.run_once(db, ["-u", ",".join(ctx.modules), "--stop-after-init"])
    ctx.figures["-u suite"] = round(took, 1)
    same_story("-u of the suite", before, ctx.odoo.shell(db, READ_STORY))
    check(not orphans(ctx, db, []), "orphans after -u")
    ctx.cluster.dropdb(db)


@scenario("uninstall-leaf", quick=False)
def uninstall_leaf(ctx):
    """Uninstall and reinstall the modules nothing else of the suite depends on (besides the
    demo umbrella): quick check that a module comes and goes cleanly."""
    uninstall_and_reinstall_all(ctx, leaf_modules(ctx))


@scenario("uninstall-each", quick=False)
def uninstall_each(ctx):
    """Uninstall each suite module (with what depends on it), check the rest, reinstall."""
    leaves = set(leaf_modules(ctx))  # uninstall-leaf does those
    uninstall_and_reinstall_all(ctx, [m for m in ctx.modules if m not in leaves])


def leaf_modules(ctx):
    """Suite modules no other suite module depends on, the demo umbrella aside."""
    umbrella = {"furniture_suite", "furniture_suite_company"}
    needed = set()
    for module in ctx.modules:
        if module not in umbrella:
            needed.update(manifest(ROOT / "addons" / module).get("depends", []))
    return [m for m in ctx.modules if m not in needed and m not in umbrella]


@scenario("install-each-alone", quick=False)
def install_each_alone(ctx):
    """Each suite module alone (with its dependencies only) on a fresh database, with demo."""
    failures = []
    for module in ctx.modules:
        db = f"lc_alone_{module}"[:60]
        ctx.cluster.dropdb(db)
        ctx.cluster.createdb(db)
        try:
            took = ctx.odoo.run_once(db, ["-i", module, "--stop-after-init"])
            ctx.figures[f"alone {module}"] = round(took)
            say(f"{module} installed alone in {took:.0f}s")
        except Exception as exc:
            failures.append(f"{module}: {exc}")
            say(f"{module} alone: FAILED {exc}")
        ctx.cluster.dropdb(db)
    check(not failures, "; ".join(failures))


@scenario("upgrade-from-previous", quick=False)
def upgrade_from_previous(ctx):
    """The previous landed version of the suite, installed with its demo story, then the
    new code with ``-u all`` (and ``-i`` of the modules it adds): the story survives."""
    ref = os.environ.get("SUITE_UPGRADE_FROM", "1b3ddcd")
    old = Path(ctx.workdir) / "previous"
    shutil.rmtree(old, ignore_errors=True)  # a kept --workdir's earlier run
    old.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "addons"],
        capture_output=True,
        check=False,
    )
    check(archive.returncode == 0, f"git archive {ref}: {archive.stderr.decode()[:300]}")
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
    old_modules = sorted(
        p.parent.name
        for p in (old / "addons").glob("*/__manifest__.py")
        if manifest(p.parent).get("installable", True)
    )
    db = "lc_upgrade"
    ctx.cluster.dropdb(db)
    ctx.cluster.createdb(db)
    new_path = ctx.odoo.addons_path
    ctx.odoo.addons_path = new_path.replace(str(ROOT / "addons"), str(old / "addons"), 1)
    try:
        # The server-wide modules of that version's own prod.conf.
        old_conf = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{ref}:config/prod.conf"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        wide = {"ODOO_SERVER_WIDE_MODULES": ",".join(server_wide_modules(old_conf))}
        took = ctx.odoo.run_once(db, ["-i", ",".join(old_modules), "--stop-after-init"], **wide)
        ctx.figures[f"install {ref}"] = round(took)
        before = ctx.odoo.shell(db, READ_STORY, **wide)
    finally:
        ctx.odoo.addons_path = new_path
    started = time.monotonic()
    ctx.odoo.run_once(db, ["-u", "all", "--stop-after-init"])
    added = [m for m in ctx.modules if m not in old_modules]
    if added:
        ctx.odoo.run_once(db, ["-i", ",".join(added), "--stop-after-init"])
    ctx.figures["-u all from previous"] = round(time.monotonic() - started)
    same_story(f"upgrade from {ref}", before, ctx.odoo.shell(db, READ_STORY), new_files=True)
    versions = dict(
        ctx.cluster.query(
            db,
            "SELECT name, latest_version FROM ir_module_module WHERE name = ANY(%s)",
            [ctx.modules],
        )
    )
    for module in ctx.modules:
        expected = manifest(ROOT / "addons" / module)["version"]
        check(
            versions.get(module) == expected,
            f"{module} is at {versions.get(module)} after the upgrade, not {expected}",
        )
    check(not orphans(ctx, db, []), "orphans after the upgrade")
    ctx.cluster.dropdb(db)
