"""``create_app(settings)``: routes, exception handlers and lifespan, declared once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ietfkg.api import home, pages, viz
from ietfkg.api.body_limit import BodyLimit
from ietfkg.api.derived import Derived
from ietfkg.api.graphql.answers import AnswerCache
from ietfkg.api.graphql.asgi import create_graphql_app
from ietfkg.api.http_errors import EXCEPTION_HANDLERS
from ietfkg.api.settings import Settings
from ietfkg.api.sparql import endpoint as sparql
from ietfkg.api.store import AsyncStore
from ietfkg.api.well_known_void import void
from ietfkg.graph.adjacency import Adjacency
from ietfkg.graph.backends import Backend, open_store
from ietfkg.graph.queries import load


def _store(request: Request) -> AsyncStore:
    return request.app.state.store


async def health(request: Request) -> Response:
    ok = await _store(request).ask("ASK { ?s ?p ?o }")
    return JSONResponse({"status": "ok" if ok else "empty"})


def create_app(settings: Settings, backend: Backend | None = None) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        opened = backend or open_store(settings.store, settings.backend)
        app.state.store = AsyncStore(opened, settings.query_timeout_s, settings.threads, settings.max_rows)
        app.state.settings = settings
        app.state.sparql_pool = sparql.start_pool(settings.store, settings.sparql_workers, settings.backend)
        app.state.derived = Derived(opened)
        app.state.answers = AnswerCache(settings.answer_cache)
        app.state.derived.start("adjacency", Adjacency.from_backend)  # path queries need not wait
        try:
            yield
        finally:
            app.state.derived.close()
            if app.state.sparql_pool is not None:
                app.state.sparql_pool.close()

    routes = [
        Route("/", home.home, name="home"),
        Route("/search", home.search, name="search"),
        Route("/healthz", health, name="health"),
    ]
    routes += viz.routes
    routes += [
        Route("/sparql", sparql.sparql, methods=["GET", "POST"], name="sparql"),
        Route("/graphql", create_graphql_app(), name="graphql"),
        Route("/.well-known/void", void, name="void"),
        *pages.routes(),
    ]
    routes.append(Mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static"))
    middleware = [Middleware(BodyLimit, max_bytes=settings.max_body_bytes)]
    return Starlette(routes=routes, middleware=middleware, exception_handlers=EXCEPTION_HANDLERS, lifespan=lifespan)
