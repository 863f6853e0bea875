"""``BodyLimit``: the one cap on request bodies, for every endpoint (``/sparql``, ``/graphql``, ...).

A pure ASGI middleware, declared once in ``create_app``:

* a request whose ``Content-Length`` is over ``max_body_bytes`` (or is not a
  number) is answered 413 at once, before any of its body is read;
* every body is also counted as it arrives, so a ``Content-Length`` that lies
  low, or a chunked body (no length at all), is stopped as soon as it passes
  the cap: reading on raises ``LimitExceeded``, which ``api/http_errors.py`` turns
  into the same 413. Handlers just read the body; none of them counts bytes.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ietfkg.api.http_errors import to_response
from ietfkg.schema.errors import LimitExceeded


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    def _too_large(self) -> LimitExceeded:
        return LimitExceeded(f"request body larger than {self.max_bytes:,} bytes")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            response = await to_response(Request(scope), self._too_large())
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise self._too_large()
            return message

        await self.app(scope, counted, send)
