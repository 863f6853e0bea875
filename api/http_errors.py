"""Maps ``IetfKgError`` subclasses to HTTP responses (the only place that does)."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ietfkg.schema.errors import IetfKgError

log = logging.getLogger("ietfkg.api")

RETRY_AFTER_S = 5


def retry_headers(exc: IetfKgError) -> dict[str, str] | None:
    """503s are temporary (a timeout, a store being built or a server down): say when to retry."""
    return {"Retry-After": str(RETRY_AFTER_S)} if exc.status == 503 else None


async def to_response(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IetfKgError)
    headers = retry_headers(exc)
    return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, status_code=exc.status, headers=headers)


async def unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    return JSONResponse({"error": {"code": "internal", "message": "internal server error"}}, status_code=500)


EXCEPTION_HANDLERS = {IetfKgError: to_response, Exception: unexpected}
