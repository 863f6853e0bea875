"""The home page and the search box: one search for acronyms, names, RFC numbers and titles.

The home page counts what the graph holds, opens the areas (the Security Area first among the
entry points) and the latest RFCs, and offers example questions that open in the SPARQL page or
the GraphQL explorer. Search matches an accent-insensitive label index built once per app from
the store (``graph/search_index.py``, kept on ``app.state.derived``); its answer is an HTML list
for browsers and JSON for API clients.
"""

from __future__ import annotations

from urllib.parse import urlencode

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ietfkg.api.graphql.explorer import EXAMPLES as GRAPHQL_EXAMPLES
from ietfkg.api.html import templates
from ietfkg.api.http_errors import wants_html
from ietfkg.api.pages import Linker
from ietfkg.api.sparql.page import EXAMPLES as SPARQL_EXAMPLES, example_query, query_link
from ietfkg.graph.queries import load
from ietfkg.graph.search_index import SearchIndex
from ietfkg.schema.errors import RequestError
from ietfkg.schema.vocab import local_name

LATEST_RFCS = 8
MAX_HITS = 50
MAX_QUERY_CHARS = 200
KIND_NAMES = {"group": "group", "person": "person", "rfc": "RFC", "protocol": "protocol"}


async def home(request: Request) -> Response:
    store = request.app.state.store
    link = Linker(request)
    counts = (await store.select(load("home_counts"))).rows
    areas = (await store.select(load("home_areas"))).rows
    latest = (await store.select(load("home_latest_rfcs"), limit=LATEST_RFCS)).rows
    sources = (await store.select(load("sources"))).rows
    context = {
        "counts": [(r[1].value if r[1] is not None else local_name(r[0].value), _count(r[2].value)) for r in counts],
        "areas": [
            {"value": link.named(r[0], r[1].value if r[1] else None), "acronym": _text(r[2]), "active": r[3].value}
            for r in areas
        ],
        "security": link.local(request.app.state.settings.base + "group/sec"),
        "latest": [{"value": link.named(r[0], _text(r[2])), "title": _text(r[3]), "issued": _text(r[4])} for r in latest],
        "sparql_examples": [(title, query_link(request, example_query(name))) for name, title in SPARQL_EXAMPLES],
        "graphql_examples": [(title, "/graphql#" + urlencode({"query": text})) for title, text in GRAPHQL_EXAMPLES.items()],
        "sources": [
            {"name": link.value(r[0], r[1]), "title": r[2].value, "snapshot": r[4].value, "triples": _count(r[6].value)}
            for r in sources
        ],
    }
    return templates.TemplateResponse(request, "home.html", context)


async def search(request: Request) -> Response:
    q = request.query_params.get("q", "").strip()
    if len(q) > MAX_QUERY_CHARS:
        raise RequestError(f"a search is at most {MAX_QUERY_CHARS} characters")
    index = await request.app.state.derived.get("search", SearchIndex.from_backend)
    hits = await anyio.to_thread.run_sync(index.search, q, MAX_HITS + 1)
    more = len(hits) > MAX_HITS
    hits = hits[:MAX_HITS]
    link = Linker(request)
    found = [
        {"href": link.local(h.iri), "kind": KIND_NAMES.get(h.kind, h.kind), "short": h.short, "long": h.long}
        for h in hits
    ]
    if not wants_html(request):
        return JSONResponse({"query": q, "results": found, "truncated": more})
    return templates.TemplateResponse(request, "search.html", {"q": q, "results": found, "truncated": more, "max": MAX_HITS})



def _text(term: object) -> str | None:
    return None if term is None else getattr(term, "value", str(term))


def _count(value: str) -> str:
    return f"{int(value):,}" if value.isdecimal() else value

