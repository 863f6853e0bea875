"""``create_app(settings)``: routes, exception handlers and lifespan, declared once.

``from_environment()`` is the same app for each of ``ietfkg serve``'s server processes
(``server_processes`` > 1), which uvicorn's supervisor starts by import string.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import anyio

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ietfkg.api import collector, home, pages, readiness, viz
from ietfkg.api.body_limit import BodyLimit
from ietfkg.api.derived import Derived
from ietfkg.api.graphql.answers import AnswerCache
from ietfkg.api.graphql.asgi import create_graphql_app
from ietfkg.api.http_errors import EXCEPTION_HANDLERS
from ietfkg.api.http_server import UrlCap
from ietfkg.api.process_board import Board
from ietfkg.api.settings import Settings
from ietfkg.api.sparql import endpoint as sparql
from ietfkg.api.sparql import limits as sparql_limits
from ietfkg.api.sparql.pool import die_with_parent
from ietfkg.api.store import AsyncStore
from ietfkg.api.well_known_void import void
from ietfkg.graph.adjacency import Adjacency
from ietfkg.graph.backends import Backend, open_store
from ietfkg.graph.queries import load

STATIC = Path(__file__).parent / "static"


async def favicon(request: Request) -> FileResponse:
    """Browsers ask every site for ``/favicon.ico``; the mark is an SVG, which they all take."""
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")


def create_app(settings: Settings, backend: Backend | None = None) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        collector.for_requests()
        opened = backend or open_store(settings.store, settings.backend)
        app.state.store = AsyncStore(opened, settings.query_timeout_s, settings.threads, settings.max_rows)
        app.state.settings = settings
        app.state.derived = Derived(opened)
        app.state.answers = AnswerCache(settings.answer_cache)
        app.state.derived.start("adjacency", Adjacency.from_backend)  # path queries need not wait
        app.state.board = board = Board.from_env(settings.server_processes)
        async with AsyncExitStack() as stack:
            stack.callback(app.state.derived.close)
            if board is not None:
                stack.callback(board.mark_stopped)
            pool = sparql.pool_for(settings.store, settings.sparql_workers, settings.backend)
            app.state.sparql_pool = None if pool is None else await stack.enter_async_context(pool.running())
            tasks = await stack.enter_async_context(anyio.create_task_group())
            tasks.start_soon(readiness.announce, app, settings)
            try:
                yield
            finally:
                tasks.cancel_scope.cancel()

    routes = [
        Route("/", home.home, name="home"),
        Route("/search", home.search, name="search"),
        Route("/healthz", readiness.health, name="health"),
        Route("/favicon.ico", favicon, name="favicon"),
    ]
    routes += viz.routes
    routes += [
        Route("/sparql", sparql.sparql, methods=["GET", "POST"], name="sparql"),
        Route("/sparql/limits", sparql_limits.limits, name="sparql_limits"),
        Route("/graphql", create_graphql_app(), name="graphql"),
        Route("/.well-known/void", void, name="void"),
        *pages.routes(),
    ]
    routes.append(Mount("/static", StaticFiles(directory=STATIC), name="static"))
    middleware = [Middleware(UrlCap), Middleware(BodyLimit, max_bytes=settings.max_body_bytes)]
    return Starlette(routes=routes, middleware=middleware, exception_handlers=EXCEPTION_HANDLERS, lifespan=lifespan)


def from_environment() -> Starlette:
    """The app of one of several server processes (settings from ``IETFKG_*``): it dies with the
    supervisor, so even a ``ietfkg serve`` killed with SIGKILL leaves no process behind."""
    die_with_parent()
    return create_app(Settings.from_env())
