import contextlib
import hashlib
import json
import logging

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter
from starlette.exceptions import HTTPException as StarletteHTTPException

from odoo.exceptions import ValidationError

from ..models.storefront_service import StorefrontError
from ..schemas.common import Problem

PROBLEMS = {
    400: {"model": Problem, "description": "The body is not JSON (or not UTF-8)"},
    401: {"model": Problem, "description": "No valid API key, or no valid client token"},
    403: {"model": Problem, "description": "The API key lacks the scope"},
    404: {"model": Problem, "description": "Not found, or not the client's"},
    422: {"model": Problem, "description": "The request is not valid: `detail` says why"},
    429: {"model": Problem, "description": "Rate limit reached: see Retry-After"},
}


class RefusalsAsInformation:
    """ASGI middleware: a refused request (any 4xx, the router's 404 and 405 included) is
    the client's mistake, not the server's; Odoo logs it as information (its ``loglevel``
    convention) instead of an error with a traceback. The exception still reaches Odoo, which
    rolls the transaction back and answers it."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        try:
            await self.app(scope, receive, send)
        except (StarletteHTTPException, RequestValidationError) as error:
            error.loglevel = logging.INFO
            raise


@contextlib.contextmanager
def storefront_errors():
    """The service's refusals as HTTP answers: its own status, 422 for the back office's
    validation (same messages)."""
    try:
        yield
    except StorefrontError as error:
        raise HTTPException(error.status, error.args[0]) from error
    except ValidationError as error:
        raise HTTPException(422, error.args[0]) from error


def etag_response(request: Request, model, data):
    """``data`` checked against ``model`` (a schema or ``list[schema]``), as JSON with a
    strong ETag; 304 when the client's ``If-None-Match`` already has it."""
    adapter = TypeAdapter(model)
    body = json.dumps(
        adapter.dump_python(adapter.validate_python(data), mode="json"),
        separators=(",", ":"),
        sort_keys=True,
    ).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "private, max-age=0, must-revalidate"}
    candidates = [t.strip() for t in (request.headers.get("if-none-match") or "").split(",")]
    if etag in candidates or "*" in candidates:
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type="application/json", headers=headers)
