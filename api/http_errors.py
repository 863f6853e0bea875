"""Maps ``IetfKgError`` subclasses to HTTP responses (the only place that does).

A browser (``Accept`` ranks ``text/html`` first) gets an HTML page saying what went wrong; API
clients get the JSON body ``{"error": {"code", "message"}}``. The refusals Starlette and
strawberry make themselves (an unknown path, a method a route does not take, a GraphQL batch)
come here too, through ``from_http``: no error leaves the app as text/plain.
"""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ietfkg.api.html import templates
from ietfkg.api.sparql.negotiation import HTML_TYPES, accepted
from ietfkg.schema.errors import (
    IetfKgError,
    LimitExceeded,
    MethodNotAllowed,
    NotFound,
    RequestError,
    UnsupportedMediaType,
    UriTooLong,
)

log = logging.getLogger("ietfkg.api")

RETRY_AFTER_S = 5


def retry_headers(exc: IetfKgError) -> dict[str, str] | None:
    """503s are temporary (a timeout, a store being built or a server down): say when to retry."""
    return {"Retry-After": str(RETRY_AFTER_S)} if exc.status == 503 else None


HEADINGS = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    413: "Too large",
    414: "URL too long",
    415: "Unsupported media type",
    503: "Try again",
}


def wants_html(request: Request) -> bool:
    """A browser's navigation: the most wanted media type of its ``Accept`` header is HTML."""
    ranked = accepted(request.headers.get("accept"))
    return bool(ranked) and ranked[0] in HTML_TYPES


def html_error(request: Request, status: int, message: str, headers: dict[str, str] | None) -> Response:
    heading = HEADINGS.get(status, "Error" if status < 500 else "Server error")
    context = {"status": status, "heading": heading, "message": message}
    return templates.TemplateResponse(request, "error.html", context, status_code=status, headers=headers)


async def to_response(request: Request, exc: Exception, headers: dict[str, str] | None = None) -> Response:
    assert isinstance(exc, IetfKgError)
    headers = {**(retry_headers(exc) or {}), **(headers or {})} or None
    if wants_html(request):
        return html_error(request, exc.status, exc.message, headers)
    return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, status_code=exc.status, headers=headers)


async def unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    if wants_html(request):
        return html_error(request, 500, "internal server error", None)
    return JSONResponse({"error": {"code": "internal", "message": "internal server error"}}, status_code=500)


_BY_STATUS: dict[int, type[IetfKgError]] = {
    cls.status: cls for cls in (NotFound, MethodNotAllowed, LimitExceeded, UriTooLong, UnsupportedMediaType)
}


def from_http(status: int, message: str) -> IetfKgError:
    """Our error for a status some library chose (its message kept)."""
    error = _BY_STATUS.get(status, RequestError)(message)
    error.status = status
    return error


async def http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (404 for an unknown path, 405 with its ``Allow``), answered as ours."""
    assert isinstance(exc, HTTPException)
    message = exc.detail
    if exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}; allowed: {(exc.headers or {}).get('Allow', '')}"
    elif exc.status_code == 404:
        message = f"nothing at {request.url.path}"
    return await to_response(request, from_http(exc.status_code, message), exc.headers)


EXCEPTION_HANDLERS = {IetfKgError: to_response, HTTPException: http_exception, Exception: unexpected}
