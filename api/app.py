"""``create_app(settings)``: routes, exception handlers and lifespan, declared once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import escape
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ietfkg.api import pages, sparql, viz
from ietfkg.api.errors import EXCEPTION_HANDLERS
from ietfkg.api.graphql.app import create_graphql_app
from ietfkg.api.settings import Settings
from ietfkg.api.store import AsyncStore
from ietfkg.api.void import void
from ietfkg.graph.backends import Backend, open_store
from ietfkg.graph.queries import load


def _store(request: Request) -> AsyncStore:
    return request.app.state.store


async def home(request: Request) -> Response:
    rows = (await _store(request).select(load("sources"))).rows
    items = "".join(
        f"<tr><td>{escape(r[1].value)}</td><td>{escape(r[2].value)}</td><td>{escape(r[4].value)}</td>"
        f"<td>{int(r[6].value):,}</td></tr>"
        for r in rows
    )
    return HTMLResponse(
        "<!doctype html><html><head><meta charset='utf-8'><title>ietf-kg</title></head><body>"
        "<h1>ietf-kg</h1><p>A knowledge graph of the IETF, IRTF and IAB.</p>"
        f"<table><tr><th>source</th><th>title</th><th>snapshot</th><th>triples</th></tr>{items}</table>"
        "</body></html>"
    )


async def health(request: Request) -> Response:
    ok = await _store(request).ask("ASK { ?s ?p ?o }")
    return JSONResponse({"status": "ok" if ok else "empty"})


def create_app(settings: Settings, backend: Backend | None = None) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        opened = backend or open_store(settings.store, settings.backend)
        app.state.store = AsyncStore(opened, settings.query_timeout_s, settings.threads, settings.max_rows)
        app.state.settings = settings
        app.state.sparql_pool = sparql.start_pool(settings.store, settings.sparql_workers)
        try:
            yield
        finally:
            if app.state.sparql_pool is not None:
                app.state.sparql_pool.close()

    routes = [Route("/", home, name="home"), Route("/healthz", health, name="health")]
    routes += viz.routes
    routes += [
        Route("/sparql", sparql.sparql, methods=["GET", "POST"], name="sparql"),
        Route("/graphql", create_graphql_app(), name="graphql"),
        Route("/.well-known/void", void, name="void"),
        *pages.routes(),
    ]
    routes.append(Mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static"))
    return Starlette(routes=routes, exception_handlers=EXCEPTION_HANDLERS, lifespan=lifespan)
