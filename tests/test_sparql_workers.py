"""The /sparql worker processes: runaway queries are killed, results stream, shutdown leaves nothing.

Runs ``ietfkg serve`` as a real subprocess (one worker, a 2 s limit, a 50-row
cap) and watches its process tree with psutil: CPU *time* is measured, never
wall-clock durations.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import psutil
import pytest

from ietfkg.api.sparql.pool import CHUNK, Job, WorkerPool
from ietfkg.graph.store_dir import StoreDir
from ietfkg.schema.errors import QueryTimeout
from tests.conftest import cli_command
from tests.remote import free_port

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def wait_until(check, what: str, limit_s: float = 30.0) -> None:
    """Poll ``check()`` until true; fail (not assert a duration) if it never becomes true."""
    deadline = time.monotonic() + limit_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting: {what}")
        time.sleep(0.1)


def cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def workers(server: psutil.Process) -> list[psutil.Process]:
    return [p for p in server.children(recursive=True) if "ietfkg.api.sparql.pool" in p.cmdline()]


class Server:
    def __init__(self, store_root: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "IETFKG_QUERY_TIMEOUT_S": "2",
            "IETFKG_SPARQL_WORKERS": "1",
            "IETFKG_MAX_ROWS": "50",
        }
        command = cli_command("serve", "--store", str(store_root), "--port", str(self.port))
        self.proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.ps = psutil.Process(self.proc.pid)
        wait_until(self.healthy, "the server to answer /healthz")

    def healthy(self) -> bool:
        if self.proc.poll() is not None:
            raise AssertionError(f"server exited: {self.proc.stderr.read().decode()}")
        try:
            return httpx.get(self.url + "/healthz", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def query(self, query: str, **kwargs) -> httpx.Response:
        return httpx.post(self.url + "/sparql", data={"query": query}, timeout=30, **kwargs)


@pytest.fixture(scope="module")
def server(store_root: Path) -> Iterator[Server]:
    running = Server(store_root)
    yield running
    if running.proc.poll() is None:
        running.proc.kill()
        running.proc.wait(timeout=10)


def test_runaway_query_is_killed_and_cpu_returns_to_idle(server: Server) -> None:
    assert server.query("ASK { ?s ?p ?o }").json()["boolean"] is True  # the worker is up and ready
    (before,) = workers(server.ps)
    answers: list[httpx.Response] = []
    runaway = threading.Thread(target=lambda: answers.append(server.query(RUNAWAY)))
    runaway.start()
    wait_until(lambda: cpu_seconds([before]) > 0.5, "the runaway query to burn CPU in the worker")
    # other requests are answered while the query runs (it runs in the worker, not the event loop)
    assert httpx.get(server.url + "/healthz", timeout=5).json() == {"status": "ok"}
    assert (
        httpx.get(server.url + "/group/tls", headers={"Accept": "text/turtle"}, timeout=5).status_code == 200
    )
    runaway.join(timeout=60)
    (response,) = answers
    assert response.status_code == 503
    assert response.json()["error"] == {
        "code": "query_timeout",
        "message": "query took longer than 2 s and was stopped",
    }
    # the worker that ran it is gone, a fresh one took its slot and answers
    assert not before.is_running()
    assert server.query("ASK { ?s ?p ?o }").json()["boolean"] is True
    (after,) = workers(server.ps)
    assert after.pid != before.pid
    # and nothing keeps a core busy: the server and its children use (almost) no CPU time now
    tree = [server.ps, *server.ps.children(recursive=True)]
    start = cpu_seconds(tree)
    time.sleep(1.5)
    assert cpu_seconds(tree) - start < 0.3


def test_row_cap_is_enforced_and_announced(server: Server) -> None:
    response = server.query("SELECT ?s WHERE { ?s a ietf:RFC }")
    assert response.headers["x-max-rows"] == "50"
    data = response.json()
    assert len(data["results"]["bindings"]) == 50 and data["truncated"] is True
    small = server.query("SELECT ?s WHERE { ?s ietf:rfcNumber 8446 }").json()
    assert len(small["results"]["bindings"]) == 1 and "truncated" not in small
    graph = server.query("CONSTRUCT WHERE { ?s a ietf:RFC }", headers={"Accept": "application/n-triples"})
    assert len(graph.text.strip().splitlines()) == 50


def test_sigterm_leaves_no_worker_behind(server: Server) -> None:
    children = server.ps.children(recursive=True)
    assert workers(server.ps)
    runaway = threading.Thread(target=server.query, args=(RUNAWAY,))
    runaway.start()  # a busy worker too
    wait_until(lambda: cpu_seconds(workers(server.ps)) > 0.3, "the worker to be busy")
    server.proc.send_signal(signal.SIGTERM)
    # uvicorn shuts down gracefully (lifespan ran), then re-raises the signal
    assert server.proc.wait(timeout=60) in (0, -signal.SIGTERM)
    assert "Application shutdown complete" in server.proc.stderr.read().decode()
    runaway.join(timeout=60)
    wait_until(
        lambda: not any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE for c in children),
        "every child of the server to exit",
    )


# -- the pool itself -----------------------------------------------------------------
def test_pool_streams_before_the_worker_finishes(store_root: Path) -> None:
    async def main() -> None:
        pool = WorkerPool(StoreDir(store_root).current(), 1)
        pool.start()
        try:
            job = Job("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "csv", "results", 40_000)
            chunks = pool.stream(job, 60)
            first = await anext(chunks)
            # the first bytes are here while the worker is still on the job (it has not sent "end")
            assert pool.busy == 1 and first.startswith(b"s,p,o\r\n") and len(first) >= CHUNK
            rest = [chunk async for chunk in chunks]
            assert pool.busy == 0 and len(rest) > 10
            assert (first + b"".join(rest)).count(b"\r\n") == 40_001

            # a client that goes away mid-result: the worker is killed and replaced
            chunks = pool.stream(job, 60)
            await anext(chunks)
            await chunks.aclose()
            assert pool.replaced == 1 and pool.busy == 0
            ask = b"".join([c async for c in pool.stream(Job("ASK {}", "json", "results", 1), 60)])
            assert b'"boolean":true' in ask
        finally:
            pool.close()

    anyio.run(main)


def test_a_fresh_workers_start_up_is_not_charged_to_the_query(store_root: Path) -> None:
    """A worker loading the store into memory takes far longer than 50 ms (an interpreter
    starts, imports pyoxigraph, reads the store): the first query still gets its whole
    time limit, and the limit still stops a query once the worker is up."""

    async def main() -> None:
        pool = WorkerPool(StoreDir(store_root).current(), 1, backend="memory")
        pool.start()
        try:
            ask = b"".join(
                [c async for c in pool.stream(Job("ASK { ?s ?p ?o }", "json", "results", 1), 0.05)]
            )
            assert b'"boolean":true' in ask
            with pytest.raises(QueryTimeout):
                async for _ in pool.stream(Job(RUNAWAY, "json", "results", 1), 0.05):
                    pass
            assert pool.replaced == 1
        finally:
            pool.close()

    anyio.run(main)
