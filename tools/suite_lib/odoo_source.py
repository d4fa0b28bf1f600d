"""The Odoo 18 source: ODOO_SRC, or a clone of ODOO_REPO@ODOO_REF kept in the cache."""

import re
import shutil
from pathlib import Path

from .core import CACHE, SuiteError, env, run, say

ODOO_DIR = CACHE / "odoo"
ODOO_SOURCE_FILE = CACHE / "odoo-source"  # which directory/repository@ref the cache holds
DEFAULT_ODOO_REPO = "https://github.com/odoo/odoo.git"
DEFAULT_ODOO_REF = "18.0"


def odoo_major_version(folder):
    """18 for an Odoo 18 source tree, None when the folder is not an Odoo source tree."""
    release = Path(folder) / "odoo" / "release.py"
    if not (release.is_file() and (Path(folder) / "odoo-bin").is_file()):
        return None
    match = re.search(r"^version_info\s*=\s*\((\d+)", release.read_text(), re.M)
    return int(match.group(1)) if match else None


def check_odoo_tree(folder, origin):
    version = odoo_major_version(folder)
    if version is None:
        raise SuiteError(
            f"{origin}: {folder} is not an Odoo source tree (no odoo-bin and odoo/release.py)"
        )
    if version != 18:
        raise SuiteError(f"{origin}: {folder} holds Odoo {version}, the suite needs Odoo 18.0")
    for addon in ("sale_stock", "purchase_stock", "portal", "payment_stripe", "sms"):
        if not (Path(folder) / "addons" / addon / "__manifest__.py").is_file():
            raise SuiteError(
                f"{origin}: {folder} lacks the addon {addon!r}: not Odoo Community 18.0"
            )


def clone_odoo(repo, ref):
    """Clone repo@ref into the cache; the old copy stays in place until the new one is whole."""
    asked = ref
    tmp = CACHE / "odoo.part"
    shutil.rmtree(tmp, ignore_errors=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    say(f"fetching Odoo from {repo} at {ref}")
    try:
        run(["git", "init", "-q", tmp])
        run(["git", "-C", tmp, "remote", "add", "origin", repo])
        if Path(repo).is_dir():  # a local repository: resolve an abbreviated commit id first
            full = run(
                ["git", "-C", repo, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}"],
                check=False,
                capture=True,
                quiet=True,
            ).stdout.strip()
            ref = full or ref
        # A branch, a tag or a full commit id: a shallow fetch is enough.
        shallow = run(["git", "-C", tmp, "fetch", "-q", "--depth", "1", "origin", ref], check=False)
        if shallow.returncode == 0:
            run(["git", "-C", tmp, "checkout", "-q", "FETCH_HEAD"])
        else:  # an abbreviated commit id: only a full fetch can resolve it
            run(["git", "-C", tmp, "fetch", "-q", "origin"])
            run(["git", "-C", tmp, "checkout", "-q", ref])
        check_odoo_tree(tmp, f"ODOO_REPO={repo} ODOO_REF={ref}")
    except SuiteError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SuiteError(f"could not get Odoo 18 from {repo} at {ref}: {exc}") from None
    commit = run(["git", "-C", tmp, "rev-parse", "HEAD"], capture=True, quiet=True).stdout.strip()
    old = CACHE / "odoo.old"
    shutil.rmtree(old, ignore_errors=True)
    if ODOO_DIR.exists() and not ODOO_DIR.is_symlink():
        ODOO_DIR.rename(old)
    elif ODOO_DIR.is_symlink():
        ODOO_DIR.unlink()
    tmp.rename(ODOO_DIR)
    shutil.rmtree(old, ignore_errors=True)
    ODOO_SOURCE_FILE.write_text(f"{repo}@{asked} {commit}\n")


def ensure_odoo_source():
    """Return the Odoo 18 source folder: ODOO_SRC, else the cached clone of ODOO_REPO@ODOO_REF."""
    src = env("ODOO_SRC")
    if src:
        src = Path(src).expanduser().resolve()
        check_odoo_tree(src, f"ODOO_SRC={src}")
        CACHE.mkdir(parents=True, exist_ok=True)
        if ODOO_DIR.is_symlink() or not ODOO_DIR.exists() or ODOO_DIR.resolve() != src:
            if ODOO_DIR.exists() and not ODOO_DIR.is_symlink():
                shutil.rmtree(ODOO_DIR)
            elif ODOO_DIR.is_symlink():
                ODOO_DIR.unlink()
            ODOO_DIR.symlink_to(src)
            ODOO_SOURCE_FILE.write_text(f"{src}\n")
        return ODOO_DIR
    repo, ref = env("ODOO_REPO"), env("ODOO_REF")
    recorded = ODOO_SOURCE_FILE.read_text().split()[0] if ODOO_SOURCE_FILE.is_file() else ""
    wanted = f"{repo or DEFAULT_ODOO_REPO}@{ref or DEFAULT_ODOO_REF}"
    have_tree = odoo_major_version(ODOO_DIR) is not None
    if have_tree and (not (repo or ref) or recorded == wanted):
        check_odoo_tree(ODOO_DIR, f"the cached Odoo in {ODOO_DIR}")
        return ODOO_DIR
    clone_odoo(repo or DEFAULT_ODOO_REPO, ref or DEFAULT_ODOO_REF)
    return ODOO_DIR
