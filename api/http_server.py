"""How ietf-kg runs under uvicorn, and the one request uvicorn would refuse before the app: a long URL.

httptools (uvicorn's fast HTTP parser) cannot split a URL longer than 65,535 bytes, so uvicorn
answers one with a text/plain ``400 Invalid HTTP request received.`` that the app never sees.
``UrlCapProtocol`` (uvicorn's httptools protocol, chosen by ``config``) hands such a request
on with its path alone (or ``/``) and its real length in the scope's extensions; ``UrlCap`` (a
middleware in front of every route) answers it 414 through ``api/http_errors.py``, as JSON or
HTML like every other refusal. A long query belongs in a POST body.
"""

from __future__ import annotations

from typing import Any

import uvicorn
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ietfkg.api.http_errors import to_response
from ietfkg.schema.errors import UriTooLong

MAX_URL_BYTES = 65_535  # the most httptools can parse
_LENGTH_KEY = "ietfkg.url_bytes"


class UrlCapProtocol(HttpToolsProtocol):
    def on_headers_complete(self) -> None:
        if len(self.url) > MAX_URL_BYTES:
            path = self.url.partition(b"?")[0]
            length, self.url = len(self.url), path if len(path) <= MAX_URL_BYTES else b"/"
            self.scope.setdefault("extensions", {})[_LENGTH_KEY] = length  # type: ignore[typeddict-item]
        super().on_headers_complete()


class UrlCap:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        length = (scope.get("extensions") or {}).get(_LENGTH_KEY)
        if scope["type"] == "http" and length is not None:
            refusal = UriTooLong(
                f"request URL of {length:,} bytes is longer than {MAX_URL_BYTES:,}; "
                "send a long query as a POST body (application/sparql-query, a form or GraphQL JSON)"
            )
            response = await to_response(Request(scope), refusal)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def config(app: ASGIApp, **options: Any) -> uvicorn.Config:
    """uvicorn's configuration for the app (``ietfkg serve`` and the tests' servers)."""
    return uvicorn.Config(app, http=UrlCapProtocol, **options)
