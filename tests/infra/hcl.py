"""The Terraform of terraform/, parsed with python-hcl2 into plain dicts, for the invariant tests.

``load_stack()`` returns ``{folder: Folder}`` for every folder holding .tf files (modules and
environments, relative to terraform/). Strings lose their quotes, blocks become lists of
dicts, interpolations stay as ``"${...}"`` strings and ``#`` comments are kept under
``__comments__`` (checkov's skip comments live there).
"""

from dataclasses import dataclass, field
from pathlib import Path

import hcl2
from hcl2.utils import SerializationOptions

TERRAFORM = Path(__file__).resolve().parents[2] / "terraform"
OPTIONS = SerializationOptions(with_comments=True, explicit_blocks=False, strip_string_quotes=True)


@dataclass
class Folder:
    resources: dict = field(default_factory=dict)  # type -> name -> body
    data: dict = field(default_factory=dict)  # type -> name -> body
    locals: dict = field(default_factory=dict)
    variables: dict = field(default_factory=dict)  # name -> body
    modules: dict = field(default_factory=dict)  # name -> body
    texts: dict = field(default_factory=dict)  # file name -> raw text


def _merge_blocks(target, blocks):
    for block in blocks:
        for type_, named in block.items():
            for name, body in named.items():
                target.setdefault(type_, {})[name] = body


def load_stack(root=TERRAFORM):
    stack = {}
    for path in sorted(Path(root).rglob("*.tf")):
        if ".terraform" in path.parts:
            continue
        folder = stack.setdefault(str(path.parent.relative_to(root)), Folder())
        text = path.read_text()
        folder.texts[path.name] = text
        parsed = hcl2.loads(text, serialization_options=OPTIONS)
        _merge_blocks(folder.resources, parsed.get("resource", []))
        _merge_blocks(folder.data, parsed.get("data", []))
        for block in parsed.get("locals", []):
            folder.locals.update({k: v for k, v in block.items() if not k.startswith("__")})
        for block in parsed.get("variable", []):
            folder.variables.update(block)
        for block in parsed.get("module", []):
            folder.modules.update(block)
    return stack


def blocks(value):
    """A nested block as a list of dicts (hcl2 gives a list; a missing block is [])."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def first(value, default=None):
    found = blocks(value)
    return found[0] if found else default
