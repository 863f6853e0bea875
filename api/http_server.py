"""How ietf-kg runs under uvicorn (one process, or several on one socket: ``serve_processes``),
and the one request uvicorn would refuse before the app: a long URL.

httptools (uvicorn's fast HTTP parser) cannot split a URL longer than 65,535 bytes, so uvicorn
answers one with a text/plain ``400 Invalid HTTP request received.`` that the app never sees.
``UrlCapProtocol`` (uvicorn's httptools protocol, chosen by ``config``) hands such a request
on with its path alone (or ``/``) and its real length in the scope's extensions; ``UrlCap`` (a
middleware in front of every route) answers it 414 through ``api/http_errors.py``, as JSON or
HTML like every other refusal. A long query belongs in a POST body.
"""

from __future__ import annotations

import os
import socket
import tempfile
from typing import Any

import uvicorn
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.supervisors.multiprocess import Multiprocess

from ietfkg.api import process_board
from ietfkg.api.http_errors import to_response
from ietfkg.api.settings import Settings
from ietfkg.api.sparql.pool import STARTUP_LIMIT_S
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


def config(app: ASGIApp | str, **options: Any) -> uvicorn.Config:
    """uvicorn's configuration for the app (``ietfkg serve`` and the tests' servers)."""
    return uvicorn.Config(app, http=UrlCapProtocol, **options)


def serve_processes(settings: Settings, sock: socket.socket) -> None:
    """``settings.server_processes`` server processes accepting on ``sock``, under uvicorn's
    supervisor (it stops them on SIGTERM/SIGINT and replaces one that dies). They are fresh
    interpreters reading their settings from the environment: the command line's go there first."""
    with tempfile.TemporaryDirectory(prefix="ietfkg-board-") as board:
        os.environ.update(
            {
                process_board.ENV: board,
                "IETFKG_STORE": settings.store,
                "IETFKG_HOST": settings.host,
                "IETFKG_PORT": str(settings.port),
            }
        )
        # The supervisor pings each process's thread; copying the store into memory holds the GIL
        # for seconds, so a process is given as long to answer as a SPARQL worker has to start.
        options = {
            "factory": True,
            "workers": settings.server_processes,
            "log_level": "info",
            "access_log": bool(settings.access_log),
            "timeout_worker_healthcheck": int(STARTUP_LIMIT_S),
        }
        Multiprocess(config("ietfkg.api.app:from_environment", **options), sockets=[sock]).run()
