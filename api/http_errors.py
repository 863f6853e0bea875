"""Maps ``IetfKgError`` subclasses to HTTP responses (the only place that does).

A browser (``Accept`` ranks ``text/html`` first) gets an HTML page saying what went wrong; API
clients get the JSON body ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ietfkg.api.html import templates
from ietfkg.api.sparql.negotiation import HTML_TYPES, accepted
from ietfkg.schema.errors import IetfKgError

log = logging.getLogger("ietfkg.api")

RETRY_AFTER_S = 5


def retry_headers(exc: IetfKgError) -> dict[str, str] | None:
    """503s are temporary (a timeout, a store being built or a server down): say when to retry."""
    return {"Retry-After": str(RETRY_AFTER_S)} if exc.status == 503 else None


HEADINGS = {400: "Bad request", 404: "Not found", 406: "Not acceptable", 413: "Too large", 503: "Try again"}


def wants_html(request: Request) -> bool:
    """A browser's navigation: the most wanted media type of its ``Accept`` header is HTML."""
    ranked = accepted(request.headers.get("accept"))
    return bool(ranked) and ranked[0] in HTML_TYPES


def html_error(request: Request, status: int, message: str, headers: dict[str, str] | None) -> Response:
    heading = HEADINGS.get(status, "Error" if status < 500 else "Server error")
    context = {"status": status, "heading": heading, "message": message}
    return templates.TemplateResponse(request, "error.html", context, status_code=status, headers=headers)


async def to_response(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IetfKgError)
    headers = retry_headers(exc)
    if wants_html(request):
        return html_error(request, exc.status, exc.message, headers)
    return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, status_code=exc.status, headers=headers)


async def unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    if wants_html(request):
        return html_error(request, 500, "internal server error", None)
    return JSONResponse({"error": {"code": "internal", "message": "internal server error"}}, status_code=500)


EXCEPTION_HANDLERS = {IetfKgError: to_response, Exception: unexpected}
