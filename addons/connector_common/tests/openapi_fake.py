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
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from openapi_core.templating.responses.exceptions import ResponseNotFound

from .openapi_form import cast_form_value, decode_form
from .openapi_spec import (
    _CoreRequest,
    _CoreResponse,
    describe_error,
    drop_multiple_of,
    load_spec,
    rewrite_nullable,
    specs_dir,
)

# What the provider fakes and the tests import from here; the spec and form helpers live in
# openapi_spec.py and openapi_form.py.
__all__ = [
    "FORM_MIMETYPE",
    "JSON_MIMETYPE",
    "FakeResponse",
    "OpenAPIFakeServer",
    "Raw",
    "RecordedRequest",
    "Timeout",
    "cast_form_value",
    "checked",
    "decode_form",
    "describe_error",
    "drop_multiple_of",
    "load_spec",
    "rewrite_nullable",
    "specs_dir",
]

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
