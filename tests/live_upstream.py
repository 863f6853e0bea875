"""A real local stand-in for the Datatracker API and the RFC Editor, for the live-ingest tests.

Serves ``tests/fixtures/live/<state>/`` in the upstream shapes: tastypie list pages
(``meta`` with ``limit``/``offset``/``next``/``total_count`` + ``objects``, with the
filters live ingest uses: ``x=``, ``x__in=``, ``x__slug__in=``, ``time__gte=``),
``/rfc-index.xml`` and ``/rfc/rfcNNNN.json``. Responses carry an ``ETag`` and
answer ``If-None-Match`` with 304. ``state`` switches to ``update`` (files
missing there fall back to ``base``). ``faults`` queues misbehaviour for one
request path + offset: ``("status", 429, {"Retry-After": "2"})``, ``("sleep", s)``,
``("body", bytes, content type)``. Every request is logged.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.in_thread import served_in_thread

FIXTURES = Path(__file__).parent / "fixtures" / "live"
ENDPOINTS = {
    "group/group": "groups",
    "group/grouphistory": "grouphistory",
    "group/role": "roles",
    "group/rolehistory": "rolehistory",
    "person/person": "persons",
    "doc/document": "documents",
}


@dataclass
class Upstream:
    state: str = "base"
    faults: dict[tuple[str, int], list[tuple[Any, ...]]] = field(default_factory=dict)
    log: list[tuple[str, str, int]] = field(default_factory=list)
    agents: set[str] = field(default_factory=set)
    url: str = ""

    def file(self, name: str) -> Path:
        path = FIXTURES / self.state / name
        return path if path.is_file() else FIXTURES / "base" / name

    def requests_to(self, path: str) -> list[tuple[str, str, int]]:
        return [entry for entry in self.log if entry[0] == path]


def _key(value: Any) -> str:
    """A related URI's last segment (``/api/v1/name/grouptypename/wg/`` -> ``wg``), else the value."""
    text = str(value)
    return text.rstrip("/").rsplit("/", 1)[-1] if text.startswith("/api/") else text


def _matches(obj: dict[str, Any], params: dict[str, str]) -> bool:
    for name, wanted in params.items():
        if name in ("limit", "offset", "format"):
            continue
        if name.endswith("__gte"):
            if str(obj.get(name[: -len("__gte")], "")) < wanted:
                return False
            continue
        field_name = name.removesuffix("__in").removesuffix("__slug")
        if _key(obj.get(field_name)) not in wanted.split(","):
            return False
    return True


def _page(upstream: Upstream, request: Request, endpoint: str) -> tuple[bytes, str]:
    # "{{now}}" stands for the time of the request: an upstream change made after the last sync.
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    objects = json.loads(
        upstream.file(f"{ENDPOINTS[endpoint]}.json").read_text("utf-8").replace("{{now}}", now)
    )
    params = dict(request.query_params)
    chosen = [obj for obj in objects if _matches(obj, params)]
    limit, offset = int(params.get("limit", "20")), int(params.get("offset", "0"))
    nxt = None
    if offset + limit < len(chosen):
        nxt = f"{request.url.path}?{urlencode({**params, 'offset': str(offset + limit)})}"
    body = {
        "meta": {"limit": limit, "next": nxt, "offset": offset, "previous": None, "total_count": len(chosen)},
        "objects": chosen[offset : offset + limit],
    }
    return json.dumps(body).encode(), "application/json"


def _app(upstream: Upstream) -> Starlette:
    async def handle(request: Request) -> Response:
        path = request.url.path
        offset = int(request.query_params.get("offset", "0"))
        queued = upstream.faults.get((path, offset))
        if queued:
            fault = queued.pop(0)
            if fault[0] == "sleep":
                await asyncio.sleep(fault[1])  # longer than the client's timeout; then served normally
            else:
                return _logged(upstream, request, _fault(fault))
        if path.startswith("/api/v1/"):
            endpoint = path.removeprefix("/api/v1/").strip("/")
            if endpoint not in ENDPOINTS:
                return _logged(upstream, request, Response("not found", 404))
            body, kind = _page(upstream, request, endpoint)
        elif path == "/rfc-index.xml":
            body, kind = upstream.file("rfc-index.xml").read_bytes(), "application/xml"
        elif path.startswith("/rfc/") and path.endswith(".json"):
            file = upstream.file("rfc/" + path.rsplit("/", 1)[-1])
            if not file.is_file():
                return _logged(
                    upstream, request, Response("<html>not found</html>", 404, media_type="text/html")
                )
            body, kind = file.read_bytes(), "application/json"
        else:
            return _logged(upstream, request, Response("not found", 404))
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("if-none-match") == etag:
            return _logged(upstream, request, Response(status_code=304, headers={"ETag": etag}))
        return _logged(upstream, request, Response(body, 200, headers={"ETag": etag}, media_type=kind))

    return Starlette(routes=[Route("/{path:path}", handle)])


def _fault(fault: tuple[Any, ...]) -> Response:
    if fault[0] == "status":
        return Response(
            "<html><body>upstream trouble</body></html>", fault[1], headers=fault[2], media_type="text/html"
        )
    return Response(fault[1], 200, media_type=fault[2])  # ("body", bytes, content type)


def _logged(upstream: Upstream, request: Request, response: Response) -> Response:
    upstream.agents.add(request.headers.get("user-agent", ""))
    upstream.log.append((request.url.path, str(request.query_params), response.status_code))
    return response


@contextmanager
def serve_upstream() -> Iterator[Upstream]:
    """Run the stand-in with uvicorn on a free loopback port, in a thread."""
    upstream = Upstream()
    with served_in_thread(_app(upstream), "upstream stand-in", lifespan="off") as url:
        upstream.url = url
        yield upstream
