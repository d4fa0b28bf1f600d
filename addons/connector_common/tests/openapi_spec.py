"""The providers' OpenAPI files for the fake: where they are, their quirks, loading, validators.

A spec is parsed once per (file, transform) for the whole test session (:func:`load_spec`); the
loaded spec carries the ``openapi-core`` validators and the compiled routes the server matches
requests with (see :mod:`.openapi_fake`).
"""

import copy
import json
import os
import re
import threading
from pathlib import Path

from jsonschema_path import SchemaPath
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.request.validators import (
    V30RequestParametersValidator,
    V30RequestSecurityValidator,
    V30RequestValidator,
    V31RequestParametersValidator,
    V31RequestSecurityValidator,
    V31RequestValidator,
)
from openapi_core.validation.response.validators import V30ResponseValidator, V31ResponseValidator
from werkzeug.datastructures import Headers, ImmutableMultiDict

# The suite's checkout: addons/connector_common/tests/openapi_spec.py
_CHECKOUT = Path(__file__).resolve().parents[3]


def specs_dir():
    """Folder of the providers' official OpenAPI files: ``SUITE_SPECS_DIR``, or the folder
    ``shared/specs`` beside the suite's checkout (see the README)."""
    folder = Path(os.environ.get("SUITE_SPECS_DIR") or _CHECKOUT.parent / "shared" / "specs")
    if not folder.is_dir():
        raise RuntimeError(
            f"OpenAPI specs not found in {folder}: set SUITE_SPECS_DIR to the folder holding "
            "the DHL, Stripe and Twilio OpenAPI files (see README)."
        )
    return folder


# --------------------------------------------------------------------------------------------
# Spec transforms (known quirks of the providers' files)
# --------------------------------------------------------------------------------------------


def _walk_schemas(node, visit):
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            _walk_schemas(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk_schemas(value, visit)


def rewrite_nullable(spec):
    """Make ``nullable: true`` work beside ``enum``/``anyOf``/``oneOf``/``allOf``.

    OpenAPI 3.0 validators apply ``nullable`` to ``type`` only, so ``{enum: [a], nullable: true}``
    still rejects ``null`` (Stripe writes this everywhere, Twilio on 41 enums). ``null`` is added
    to the enum; a combinator becomes ``anyOf: [..., {enum: [null]}]``.
    """

    def visit(schema):
        if schema.get("nullable") is not True:
            return
        if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
            schema["enum"].append(None)
        if isinstance(schema.get("anyOf"), list):
            schema["anyOf"].append({"enum": [None]})
            del schema["nullable"]
        elif isinstance(schema.get("oneOf"), list) or isinstance(schema.get("allOf"), list):
            inner = {key: schema.pop(key) for key in ("oneOf", "allOf") if key in schema}
            schema.pop("nullable")
            schema["anyOf"] = [inner, {"enum": [None]}]

    _walk_schemas(spec, visit)
    return spec


def drop_multiple_of(spec):
    """Drop ``multipleOf``: on decimals such as 0.001 float validators reject 0.7 (DHL)."""

    def visit(schema):
        value = schema.get("multipleOf")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            del schema["multipleOf"]

    _walk_schemas(spec, visit)
    return spec


# --------------------------------------------------------------------------------------------
# Spec loading (cached per file and transform)
# --------------------------------------------------------------------------------------------


class _LoadedSpec:
    """A parsed spec with its validators and compiled routes."""

    def __init__(self, data):
        self.data = data
        self.schema_path = SchemaPath.from_dict(data)
        v31 = str(data.get("openapi", "3.0")).startswith("3.1")
        if v31:
            request_cls, params_cls, security_cls, response_cls = (
                V31RequestValidator,
                V31RequestParametersValidator,
                V31RequestSecurityValidator,
                V31ResponseValidator,
            )
        else:
            request_cls, params_cls, security_cls, response_cls = (
                V30RequestValidator,
                V30RequestParametersValidator,
                V30RequestSecurityValidator,
                V30ResponseValidator,
            )
        self.request_validator = request_cls(self.schema_path)
        self.parameters_validator = params_cls(self.schema_path)
        self.security_validator = security_cls(self.schema_path)
        self.response_validator = response_cls(self.schema_path)
        self.routes = []
        for template, item in data.get("paths", {}).items():
            names = {}
            pieces = []
            for index, piece in enumerate(re.split(r"\{([^}]+)\}", template)):
                if index % 2:
                    names[f"p{len(names)}"] = piece
                    pieces.append(f"(?P<p{len(names) - 1}>[^/]+)")
                else:
                    pieces.append(re.escape(piece))
            self.routes.append((template, re.compile("^" + "".join(pieces) + "$"), names, item))
        # literal paths first, then fewer variables (as openapi-core does)
        self.routes.sort(key=lambda route: len(route[2]))

    def match(self, path):
        for template, regex, names, item in self.routes:
            found = regex.match(path)
            if found:
                params = {names[key]: value for key, value in found.groupdict().items()}
                return template, params, item
        return None, {}, None

    def server_url(self, template, method):
        item = self.data["paths"][template]
        operation = item.get(method, {})
        servers = operation.get("servers") or item.get("servers") or self.data.get("servers")
        if not servers:
            return "http://localhost"
        server = servers[0]
        url = server["url"]
        for name, variable in (server.get("variables") or {}).items():
            url = url.replace("{" + name + "}", str(variable.get("default", "")))
        if "://" not in url:
            url = "http://localhost" + ("" if url.startswith("/") else "/") + url
        return url.rstrip("/")


_SPEC_CACHE = {}
_SPEC_LOCK = threading.Lock()


def load_spec(spec_path, spec_transform=None):
    """Parse (and transform) a spec file once per process; returns the cached ``_LoadedSpec``."""
    key = (str(Path(spec_path).resolve()), spec_transform)
    with _SPEC_LOCK:
        loaded = _SPEC_CACHE.get(key)
        if loaded is None:
            raw = _SPEC_CACHE.get(("raw", key[0]))
            if raw is None:
                raw = _parse_file(key[0])
                _SPEC_CACHE[("raw", key[0])] = raw
            data = copy.deepcopy(raw) if spec_transform else raw
            if spec_transform:
                data = spec_transform(data)
            loaded = _SPEC_CACHE[key] = _LoadedSpec(data)
        return loaded


def _parse_file(path):
    text = Path(path).read_text(encoding="utf-8")
    if path.endswith(".json"):
        return json.loads(text)
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


# --------------------------------------------------------------------------------------------
# openapi-core request/response adapters
# --------------------------------------------------------------------------------------------


class _CoreRequest:
    def __init__(self, host_url, path, method, query_pairs, headers, body, content_type):
        self.host_url = host_url
        self.path = path
        self.method = method
        self.body = body
        self.content_type = content_type
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(query_pairs),
            header=Headers(list(headers.items())),
            cookie=ImmutableMultiDict(),
        )


class _CoreResponse:
    def __init__(self, status, data, headers):
        self.status_code = status
        self.data = data
        self.headers = Headers(list(headers.items()))
        self.content_type = self.headers.get("Content-Type", "").lower()


def describe_error(exc):
    """A readable one-paragraph message of an openapi-core error (schema details included)."""
    parts = [f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__]
    seen = set()
    current = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for error in getattr(current, "schema_errors", None) or ():
            location = "/".join(str(p) for p in getattr(error, "absolute_path", ())) or "(root)"
            parts.append(f"  at {location}: {getattr(error, 'message', error)}")
        if current is not exc and not getattr(current, "schema_errors", None):
            parts.append(f"  caused by {type(current).__name__}: {current}")
        current = current.__cause__ or current.__context__
    return "\n".join(parts)
