"""Readiness: ``/healthz`` says ``starting`` until the SPARQL workers have loaded the store, and the
server logs one line at the moment it is ready.

With several server processes (``server_processes``), each has its own pool: ``/healthz`` says
``starting`` until every one of them is ready (``api/process_board.py``), whichever process answers.

A worker process loads the store at start (seconds on a big build): until every one has, the
server answers ``/healthz`` with 503 ``{"status": "starting"}`` and a ``Retry-After``, so a load
balancer, a script or the test suite waits for it instead of sending queries that would pay for
the start-up. The line ``ietfkg ready on <url> (N SPARQL workers, M triples)`` goes to the
server's log (uvicorn's) when ready.
"""

from __future__ import annotations

import logging

import anyio

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ietfkg.api import assets
from ietfkg.api.http_errors import RETRY_AFTER_S
from ietfkg.api.process_board import Board
from ietfkg.api.settings import Settings
from ietfkg.api.sparql.pool import WorkerPool
from ietfkg.graph.queries import load
from ietfkg.schema.errors import IetfKgError

log = logging.getLogger("uvicorn.error")  # the server's own log: the line sits with uvicorn's start-up lines


async def health(request: Request) -> Response:
    pool: WorkerPool | None = request.app.state.sparql_pool
    board: Board | None = request.app.state.board
    if (pool is not None and not pool.ready) or (board is not None and not board.ready()):
        return JSONResponse({"status": "starting"}, status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)})
    ok = await request.app.state.store.ask("ASK { ?s ?p ?o }")
    return JSONResponse({"status": "ok" if ok else "empty"})


async def announce(app: Starlette, settings: Settings) -> None:
    """Log what cannot work (front-end files not installed), then the ready line once the
    worker pool (if any) is ready."""
    for face in assets.FACES:
        if (message := assets.notice(face)) is not None:
            log.warning(message)
    pool: WorkerPool | None = app.state.sparql_pool
    if pool is not None:
        await pool.wait_ready()
    board: Board | None = app.state.board
    if board is not None:
        board.mark_ready()
        while not board.ready():
            await anyio.sleep(0.1)  # the other processes are still loading
        if not board.claim_announcement():
            return  # another process says it, once for all
    try:
        rows = (await app.state.store.select(load("sources"))).rows
        triples = f"{sum(int(row[6].value) for row in rows):,}"
    except IetfKgError:  # a remote store that does not answer now: ready all the same
        triples = "?"
    workers = f"{pool.size} SPARQL worker{'s' if pool.size != 1 else ''}" if pool else "no SPARQL workers"
    if board is not None:
        workers = f"{board.processes} server processes, {workers} each"
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    log.info("ietfkg ready on http://%s:%d (%s, %s triples)", host, settings.port, workers, triples)
