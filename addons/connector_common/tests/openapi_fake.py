"""A local fake provider that holds every request and canned answer to the provider's OpenAPI file.

Connector tests point a real client (an official SDK or ``requests``) at this server. The server:

- records every request (:attr:`OpenAPIFakeServer.requests`);
- validates it against the provider's own spec with ``openapi-core`` (path, method, security,
  parameters, headers, body; form bodies with Stripe-style bracket keys are decoded into nested
  objects first), plus the extra header rules a provider fake registers with
  :meth:`OpenAPIFakeServer.require_header`. A request that breaks the contract is answered
  ``400`` with the list of problems, and the problems go to :attr:`OpenAPIFakeServer.violations`;
- answers from a per-route scenario queue (:meth:`OpenAPIFakeServer.queue`), then from the route
  handler (:meth:`OpenAPIFakeServer.on`); a canned answer is itself validated against the
  response documented for its status, so a fake cannot lie about the provider.

Tests end with ``server.assert_clean()``, or a fixture does it at teardown with
:func:`checked`; a test that provokes violations on purpose collects them with
:meth:`OpenAPIFakeServer.take_violations`::

    @pytest.fixture
    def twilio():
        yield from checked(TwilioFake())

Specs are parsed once per (file, transform) for the whole test session: pass module-level
functions as ``spec_transform`` (a new lambda each time defeats the cache).
"""

import contextlib
import copy
import json
import os
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from jsonschema_path import SchemaPath
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.responses.exceptions import ResponseNotFound
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

# The suite's checkout: addons/connector_common/tests/openapi_fake.py
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


FORM_MIMETYPE = "application/x-www-form-urlencoded"
JSON_MIMETYPE = "application/json"

# --------------------------------------------------------------------------------------------
# Canned answers
# --------------------------------------------------------------------------------------------


@dataclass
class FakeResponse:
    """A canned answer; ``body`` as dict/list is sent as JSON, str/bytes as they are."""

    status: int
    body: object = None
    headers: dict = field(default_factory=dict)

    def encode(self):
        headers = dict(self.headers)
        body = self.body
        if body is None:
            data = b""
        elif isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
            headers.setdefault("Content-Type", JSON_MIMETYPE)
        elif isinstance(body, str):
            data = body.encode()
            headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        else:
            data = bytes(body)
            headers.setdefault("Content-Type", "application/octet-stream")
        return data, headers


@dataclass
class Raw:
    """An answer sent byte for byte and never validated (malformed JSON, HTML error pages)."""

    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)


@dataclass
class Timeout:
    """Hold the answer for ``seconds`` (longer than the client's timeout).

    Afterwards the request is processed as usual (``then``, or the route handler), which is
    what a real provider does: the client gave up, the provider still did the work.
    """

    seconds: float
    then: object = None


@dataclass
class RecordedRequest:
    """One request as the fake received it."""

    method: str
    path: str
    query: dict
    headers: dict
    body: bytes
    json: object = None
    form: dict = None
    route: str = None
    path_params: dict = field(default_factory=dict)
    violations: list = field(default_factory=list)

    def header(self, name, default=None):
        """Header value by case-insensitive name."""
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return default

    @property
    def data(self):
        """The decoded body: parsed JSON, nested form, or ``None``."""
        return self.json if self.json is not None else self.form


# --------------------------------------------------------------------------------------------
# Reusable helpers: form decoding, spec transforms
# --------------------------------------------------------------------------------------------

_BRACKET_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def decode_form(raw):
    """Decode an ``application/x-www-form-urlencoded`` body into nested objects.

    ``a[b][c]=1`` -> ``{"a": {"b": {"c": "1"}}}``; ``l[0]=x&l[1]=y`` and ``l[]=x&l[]=y`` ->
    ``{"l": ["x", "y"]}``; a flat key repeated (Twilio's ``MediaUrl``) -> a list. Values stay
    strings: casting to the schema's types is the validator's job.
    """
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8")
    root = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        match = _BRACKET_KEY.match(key)
        if match:
            parts = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        else:
            parts = [key]
        node = root
        for position, part in enumerate(parts):
            last = position == len(parts) - 1
            if part == "":
                # "l[]": append to a list kept under the special key
                part = len(node)
                while str(part) in node:
                    part += 1
                part = str(part)
            if last:
                if part in node and len(parts) == 1:
                    existing = node[part]
                    node[part] = (existing if isinstance(existing, list) else [existing]) + [value]
                else:
                    node[part] = value
            else:
                node = node.setdefault(part, {})
    return _lists_from_indexes(root)


def _lists_from_indexes(node):
    if isinstance(node, list):
        return [_lists_from_indexes(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _lists_from_indexes(value) for key, value in node.items()}
    if node and all(key.isdigit() for key in node):
        indexes = sorted(int(key) for key in node)
        if indexes == list(range(len(indexes))):
            return [node[str(index)] for index in indexes]
    return node


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


def _resolve(data, schema):
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 50:
        node = data
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        schema = node
        seen += 1
    return schema


_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")


def cast_form_value(data, schema, value):
    """Cast decoded form strings to the types ``schema`` asks for (best effort, never raises)."""
    try:
        return _cast(data, schema, value)
    except (ValueError, TypeError):
        return value


def _cast(data, schema, value):
    schema = _resolve(data, schema)
    if not isinstance(schema, dict):
        return value
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            if value == "" and any(
                "" in (_resolve(data, sub).get("enum") or ()) for sub in schema[combinator]
            ):
                return value
            for sub in schema[combinator]:
                try:
                    return _cast_strict(data, sub, value)
                except (ValueError, TypeError):
                    continue
            return value
    if "allOf" in schema:
        for sub in schema["allOf"]:
            value = _cast(data, sub, value)
        return value
    return _cast_strict(data, schema, value)


def _cast_strict(data, schema, value):
    schema = _resolve(data, schema)
    if not isinstance(schema, dict):
        return value
    if any(key in schema for key in ("anyOf", "oneOf", "allOf")):
        return _cast(data, schema, value)
    kind = schema.get("type")
    if kind == "object" or (kind is None and "properties" in schema):
        if not isinstance(value, dict):
            raise ValueError("not an object")
        properties = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        result = {}
        for key, item in value.items():
            if key in properties:
                result[key] = _cast(data, properties[key], item)
            elif isinstance(extra, dict):
                result[key] = _cast(data, extra, item)
            else:
                result[key] = item
        return result
    if kind == "array":
        if isinstance(value, dict) and all(key.isdigit() for key in value):
            value = [value[key] for key in sorted(value, key=int)]
        if not isinstance(value, list):
            value = [value]
        return [_cast(data, schema.get("items") or {}, item) for item in value]
    if not isinstance(value, str):
        if kind in ("string", "integer", "number", "boolean"):
            raise ValueError(f"not a {kind}")
        return value
    if kind == "boolean":
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ValueError("not a boolean")
    if kind == "integer":
        return int(value)
    if kind == "number":
        number = float(value)
        return int(number) if number.is_integer() and "." not in value else number
    if "enum" in schema and value not in schema["enum"]:
        raise ValueError("not in enum")
    return value


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


class OpenAPIFakeServer:
    """A threaded local HTTP server that answers as a provider and checks its OpenAPI contract.

    :param spec_path: the provider's OpenAPI file (YAML or JSON)
    :param spec_transform: ``f(spec_dict) -> spec_dict`` fixing known quirks when loading
    :param server_prefix: path the client puts before the spec's paths (``/mydhlapi``)
    """

    def __init__(self, spec_path, *, spec_transform=None, server_prefix=""):
        self.spec_path = Path(spec_path)
        self.spec = load_spec(self.spec_path, spec_transform)
        self.server_prefix = "/" + server_prefix.strip("/") if server_prefix.strip("/") else ""
        self.requests = []
        self.violations = []
        self._handlers = {}
        self._queues = {}
        self._header_rules = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = None
        self._thread = None
        self.base_url = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self):
        server = self

        class Handler(_RequestHandler):
            fake = server

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        port = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{port}{self.server_prefix}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"openapi-fake-{port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self):
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
        return False

    # -- scenario setup -----------------------------------------------------------------------

    def on(self, method, path_template, handler):
        """Answer ``method path_template`` with ``handler(RecordedRequest) -> FakeResponse``."""
        self._handlers[self._route_key(method, path_template)] = handler
        return self

    def queue(self, method, path_template, *responses):
        """Serve ``responses`` (FakeResponse, Raw, Timeout) in order before the handler."""
        key = self._route_key(method, path_template)
        with self._lock:
            self._queues.setdefault(key, deque()).extend(responses)
        return self

    def require_header(self, name, predicate=None, message=None):
        """Every request must carry header ``name`` (and satisfy ``predicate(value)``)."""
        self._header_rules.append((name, predicate, message or f"header {name!r} is required"))
        return self

    def _route_key(self, method, path_template):
        method = method.lower()
        item = self.spec.data.get("paths", {}).get(path_template)
        if item is None or method not in item:
            raise ValueError(f"{method.upper()} {path_template} is not an operation of the spec")
        return method, path_template

    # -- results ------------------------------------------------------------------------------

    def assert_clean(self):
        """Raise AssertionError listing every contract violation seen so far."""
        if self.violations:
            listing = "\n\n".join(f"- {violation}" for violation in self.violations)
            raise AssertionError(
                f"{len(self.violations)} OpenAPI contract violation(s) against "
                f"{self.spec_path.name}:\n{listing}"
            )

    def take_violations(self):
        """Return the violations seen so far and forget them (for tests expecting some)."""
        with self._lock:
            taken, self.violations[:] = list(self.violations), []
        return taken

    def requests_to(self, method, path_template):
        """Recorded requests that matched ``method path_template``."""
        return [
            request
            for request in self.requests
            if request.method == method.upper() and request.route == path_template
        ]

    # -- request processing (called from the HTTP thread) -------------------------------------

    def _violation(self, request, message):
        text = f"{request.method} {request.path}: {message}"
        with self._lock:
            self.violations.append(text)
        if request is not None:
            request.violations.append(message)

    def _process(self, method, raw_path, headers, body):
        """Return ``(status, data, headers)``, or a Timeout to wait on first."""
        split = urlsplit(raw_path)
        query_pairs = parse_qsl(split.query, keep_blank_values=True)
        query = {}
        for key, value in query_pairs:
            if key in query:
                existing = query[key]
                query[key] = (existing if isinstance(existing, list) else [existing]) + [value]
            else:
                query[key] = value
        request = RecordedRequest(
            method=method, path=split.path, query=query, headers=dict(headers), body=body
        )
        content_type = request.header("Content-Type", "") or ""
        mimetype = content_type.split(";")[0].strip().lower()
        if body:
            if mimetype == FORM_MIMETYPE:
                request.form = decode_form(body)
            elif mimetype.endswith("json"):
                with contextlib.suppress(ValueError):  # malformed JSON: the validator says so
                    request.json = json.loads(body)
        with self._lock:
            self.requests.append(request)

        spec_path = split.path
        if self.server_prefix:
            if not spec_path.startswith(self.server_prefix):
                self._violation(request, f"path is outside the prefix {self.server_prefix}")
                return self._reject(request)
            spec_path = spec_path[len(self.server_prefix) :] or "/"
        template, params, item = self.spec.match(spec_path)
        if template is None or method.lower() not in item:
            what = "unknown path" if template is None else f"method not allowed on {template}"
            self._violation(request, f"{what} (not in {self.spec_path.name})")
            return self._reject(request)
        request.route, request.path_params = template, params

        core_request = _CoreRequest(
            host_url=self.spec.server_url(template, method.lower()),
            path=spec_path,
            method=method.lower(),
            query_pairs=query_pairs,
            headers=headers,
            body=body,
            content_type=content_type.lower(),
        )
        core_request.path = urlsplit(core_request.host_url).path + spec_path
        core_request.host_url = "{0.scheme}://{0.netloc}".format(urlsplit(core_request.host_url))
        for message in self._validate_request(core_request, template, method.lower(), request):
            self._violation(request, message)
        for name, predicate, message in self._header_rules:
            value = request.header(name)
            if value is None or (predicate is not None and not predicate(value)):
                self._violation(request, f"{message} (got {value!r})")
        if request.violations:
            return self._reject(request)
        return self._answer(request, core_request, (method.lower(), template))

    def _validate_request(self, core_request, template, method, request):
        operation = self.spec.data["paths"][template][method]
        content = (operation.get("requestBody") or {}).get("content") or {}
        is_form = request.form is not None and FORM_MIMETYPE in content
        if not is_form:
            for error in self.spec.request_validator.iter_errors(core_request):
                yield describe_error(error)
            return
        for validator in (self.spec.security_validator, self.spec.parameters_validator):
            for error in validator.iter_errors(core_request):
                yield describe_error(error)
        schema = content[FORM_MIMETYPE].get("schema")
        if schema is None:
            return
        value = cast_form_value(self.spec.data, schema, request.form)
        schema_path = (
            self.spec.schema_path
            / "paths"
            / template
            / method
            / "requestBody"
            / "content"
            / FORM_MIMETYPE
            / "schema"
        )
        validator = self.spec.request_validator.schema_validators_factory.create(
            self.spec.schema_path, schema_path
        )
        try:
            validator.validate(value)
        except Exception as error:  # any validation failure is reported
            yield "form body does not match the spec: " + describe_error(error)

    def _reject(self, request):
        # One body readable by every SDK: Stripe reads error.message, Twilio code/message,
        # DHL title/detail/status; the list itself is under "violations".
        message = "openapi_fake: the request does not match the provider's OpenAPI spec: " + (
            "; ".join(request.violations)
        )
        body = {
            "error": {"type": "invalid_request_error", "message": message},
            "code": "openapi_fake_violation",
            "message": message,
            "more_info": str(self.spec_path.name),
            "status": 400,
            "title": "Bad Request",
            "detail": message,
            "violations": request.violations,
        }
        return 400, json.dumps(body).encode(), {"Content-Type": JSON_MIMETYPE}

    def _next_answer(self, key):
        with self._lock:
            pending = self._queues.get(key)
            if pending:
                return pending.popleft()
        return None

    def _answer(self, request, core_request, key, answer=None):
        if answer is None:
            answer = self._next_answer(key)
        if isinstance(answer, Timeout):
            return answer, lambda: self._answer(request, core_request, key, answer.then or False)
        if answer is None or answer is False:
            handler = self._handlers.get(key)
            if handler is None:
                self._violation(request, f"the fake has no handler for {key[0].upper()} {key[1]}")
                return (
                    501,
                    b'{"error": "openapi_fake: no handler"}',
                    {"Content-Type": JSON_MIMETYPE},
                )
            answer = handler(request)
        if isinstance(answer, Raw):
            return answer.status, answer.body, dict(answer.headers)
        if not isinstance(answer, FakeResponse):
            raise TypeError(f"a fake answer must be FakeResponse/Raw/Timeout, got {answer!r}")
        data, headers = answer.encode()
        self._validate_response(request, core_request, answer.status, data, headers)
        return answer.status, data, headers

    def _validate_response(self, request, core_request, status, data, headers):
        core_response = _CoreResponse(status, data, headers)
        for error in self.spec.response_validator.iter_errors(core_request, core_response):
            if isinstance(error, ResponseNotFound) or isinstance(error.__cause__, ResponseNotFound):
                continue  # undocumented status: nothing to hold the answer to
            self._violation(
                request,
                f"the fake's {status} answer does not match the spec: " + describe_error(error),
            )


def checked(server):
    """Generator for pytest fixtures: serve, hand the server to the test, then assert_clean.

    ::

        @pytest.fixture
        def twilio():
            yield from checked(TwilioFake())
    """
    with server:
        yield server
    server.assert_clean()


class _RequestHandler(BaseHTTPRequestHandler):
    fake = None  # set on the subclass built by OpenAPIFakeServer.start()

    def log_message(self, format, *args):
        pass

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = dict(self.headers.items())
        try:
            result = self.fake._process(self.command, self.path, headers, body)
            while isinstance(result[0], Timeout):
                timeout, then = result
                if self.fake._stopping.wait(timeout.seconds):
                    return
                result = then()
        except Exception as error:  # a broken fake must fail the test, loudly
            with self.fake._lock:
                self.fake.violations.append(f"{self.command} {self.path}: fake crashed: {error!r}")
            result = (
                500,
                b'{"error": "openapi_fake: fake crashed"}',
                {"Content-Type": JSON_MIMETYPE},
            )
        status, data, headers = result
        # the client may have given up meanwhile (timeout scenarios)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, str(value))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle
