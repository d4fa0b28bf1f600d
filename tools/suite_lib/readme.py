"""`readme`: each module's README.rst, made from its manifest and readme/ fragments."""

import ast

from .core import ADDONS, say
from .odoo import suite_modules

README_SECTIONS = (("DESCRIPTION", None), ("CONFIGURE", "Configuration"), ("USAGE", "Usage"))


def module_readme(module):
    """README.rst of a module, made from its manifest and readme/ fragments (OCA layout)."""
    folder = ADDONS / module
    manifest = ast.literal_eval((folder / "__manifest__.py").read_text())
    title = manifest["name"]
    parts = ["=" * len(title), title, "=" * len(title), "", manifest.get("summary", ""), ""]
    for fragment, heading in README_SECTIONS:
        path = folder / "readme" / f"{fragment}.md"
        if not path.is_file():
            continue
        if heading:
            parts += [heading, "=" * len(heading), ""]
        parts += [path.read_text().rstrip(), ""]
    parts += [
        "Credits",
        "=======",
        "",
        f"Authors: {manifest.get('author', '')}",
        f"License: {manifest.get('license', '')}",
        "",
    ]
    return "\n".join(parts)


def cmd_readme(_args):
    for module in suite_modules():
        (ADDONS / module / "README.rst").write_text(module_readme(module))
        say(f"wrote addons/{module}/README.rst")
    return 0
