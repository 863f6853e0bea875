"""Maps ``IetfKgError`` subclasses to HTTP responses (the only place that does)."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ietfkg.schema.errors import IetfKgError, QueryTimeout, StoreMissing

log = logging.getLogger("ietfkg.api")


async def to_response(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IetfKgError)
    headers = {"Retry-After": "5"} if isinstance(exc, (QueryTimeout, StoreMissing)) else None
    return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, status_code=exc.status, headers=headers)


async def unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    return JSONResponse({"error": {"code": "internal", "message": "internal server error"}}, status_code=500)


EXCEPTION_HANDLERS = {IetfKgError: to_response, Exception: unexpected}
