"""The /sparql worker processes: runaway queries are killed, results stream, shutdown leaves nothing.

Runs ``ietfkg serve`` as a real subprocess (one worker, a 2 s limit, a 50-row
cap) and watches its process tree with psutil: CPU *time* is measured, never
wall-clock durations.
"""

from __future__ import annotations

import os
import re
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

from ietfkg.api.settings import Settings
from ietfkg.api.sparql.pool import CHUNK, Head, Job, WorkerPool
from ietfkg.graph.backends import open_store
from ietfkg.graph.store_dir import StoreDir
from ietfkg.schema.errors import QueryTimeout
from tests.conftest import cli_command, serve_app
from tests.remote import free_port
from tests.timeouts import HTTP_TIMEOUT_S

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
    """``ietfkg serve`` as a subprocess; its log (stdout and stderr) goes to ``log_path``."""

    def __init__(
        self, store_root: Path, log_path: Path, ietfkg: list[str] | None = None, processes: int = 1,
        access_log: bool = False,
    ) -> None:
        """``ietfkg``: the command that runs ietfkg (default: this checkout's, ``cli_command``);
        ``processes``: its ``server_processes`` (one: the process tree the tests below watch);
        ``access_log``: a line per request in the log (off by default, as in ``ietfkg serve``)."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "IETFKG_QUERY_TIMEOUT_S": "2",
            "IETFKG_SPARQL_WORKERS": "1",
            "IETFKG_MAX_ROWS": "50",
            "IETFKG_SERVER_PROCESSES": str(processes),
            "IETFKG_ACCESS_LOG": "1" if access_log else "0",
        }
        serve = ("serve", "--store", str(store_root), "--port", str(self.port))
        command = [*ietfkg, *serve] if ietfkg else cli_command(*serve)
        self.log_path = log_path
        with log_path.open("wb") as log:
            # uvicorn logs requests to stdout, the rest to stderr: both, unbuffered, are the server's log
            self.proc = subprocess.Popen(
                command, env={**env, "PYTHONUNBUFFERED": "1"}, stdout=log, stderr=subprocess.STDOUT
            )
        self.ps = psutil.Process(self.proc.pid)
        wait_until(self.healthy, "the server to answer /healthz", limit_s=600)

    @property
    def log(self) -> str:
        return self.log_path.read_text()

    def healthy(self) -> bool:
        if self.proc.poll() is not None:
            raise AssertionError(f"server exited: {self.log}")
        try:
            return httpx.get(self.url + "/healthz", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def query(self, query: str, **kwargs) -> httpx.Response:
        return httpx.post(self.url + "/sparql", data={"query": query}, timeout=30, **kwargs)


@pytest.fixture(scope="module")
def server(store_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(store_root, tmp_path_factory.mktemp("serve") / "server.log")
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
    assert response.headers["ietfkg-truncated"] == "rows=50"
    data = response.json()
    assert len(data["results"]["bindings"]) == 50 and data["truncated"] is True
    small = server.query("SELECT ?s WHERE { ?s ietf:rfcNumber 8446 }").json()
    assert len(small["results"]["bindings"]) == 1 and "truncated" not in small
    graph = server.query("CONSTRUCT WHERE { ?s a ietf:RFC }", headers={"Accept": "application/n-triples"})
    assert len(graph.text.strip().splitlines()) == 50


def test_a_point_lookup_is_answered_without_a_worker(server: Server, store_root: Path) -> None:
    """A one-pattern lookup is answered in the server process (api/sparql/inline.py): with the only
    worker stopped (SIGSTOP), it still gets the store's rows, while a query that needs a worker waits
    for it up to the limit and gets 503; the stopped worker is then killed and replaced."""
    rfc = open_store(str(store_root)).select("SELECT ?rfc WHERE { ?rfc ietf:rfcNumber 8446 }").rows[0][0]
    lookup = f"SELECT ?p ?o WHERE {{ {rfc} ?p ?o }}"
    expected = {(row[0].value, row[1].value) for row in open_store(str(store_root)).select(lookup).rows}
    assert 0 < len(expected) <= 50  # within the server's row cap
    (worker,) = workers(server.ps)
    worker.suspend()
    try:
        answered = server.query(lookup)
        assert answered.status_code == 200
        bindings = answered.json()["results"]["bindings"]
        assert {(b["p"]["value"], b["o"]["value"]) for b in bindings} == expected
        held = server.query("SELECT ?s WHERE { ?s ietf:rfcNumber ?n FILTER(?n = 8446) }")
        assert held.status_code == 503 and held.json()["error"]["code"] == "query_timeout"
    finally:
        if worker.is_running():
            worker.resume()
    wait_until(lambda: not worker.is_running(), "the stopped worker to be killed")
    assert server.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ietf:rfcNumber 8446 }").status_code == 200


def test_a_download_past_the_time_limit_is_broken_off_not_ended(server: Server) -> None:
    """A streamed answer the time limit stops cannot change its status any more: the connection
    is broken off, so the client sees an incomplete transfer rather than a short file that looks whole."""
    endless = "SELECT ?a ?b WHERE { ?a ?p ?b . ?c ?q ?d }"  # rows come at once, and for far longer than 2 s
    received = 0
    with pytest.raises(httpx.RemoteProtocolError):
        with httpx.stream("POST", server.url + "/sparql", data={"query": endless}, params={"format": "csv"},
                          timeout=30) as response:
            assert response.status_code == 200 and "ietfkg-truncated" not in response.headers
            for chunk in response.iter_raw():
                received += len(chunk)
    assert received > 0
    assert server.query("ASK { ?s ?p ?o }").json()["boolean"] is True  # a fresh worker took the slot
    # an expected end, said in one line of the server's log, not a traceback
    assert re.search(r"streamed answer broken off after \d+ bytes: query took longer", server.log)
    assert "Traceback" not in server.log


def test_sigterm_leaves_no_worker_behind(server: Server) -> None:
    children = server.ps.children(recursive=True)
    assert workers(server.ps)
    runaway = threading.Thread(target=server.query, args=(RUNAWAY,))
    runaway.start()  # a busy worker too
    wait_until(lambda: cpu_seconds(workers(server.ps)) > 0.3, "the worker to be busy")
    server.proc.send_signal(signal.SIGTERM)
    # uvicorn shuts down gracefully (lifespan ran), then re-raises the signal
    assert server.proc.wait(timeout=60) in (0, -signal.SIGTERM)
    log = server.log
    assert "Application shutdown complete" in log
    # the moment it was ready was logged once, naming where and what it serves
    (ready,) = [line for line in log.splitlines() if "ietfkg ready on" in line]
    assert re.search(rf"ietfkg ready on {server.url} \(1 SPARQL worker, [\d,]+ triples\)$", ready)
    runaway.join(timeout=60)
    wait_until(
        lambda: not any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE for c in children),
        "every child of the server to exit",
    )


def test_several_server_processes_share_the_port(store_root: Path, tmp_path: Path) -> None:
    """``server_processes`` 2: uvicorn's supervisor runs two server processes on the one port, each
    with its own worker (``sparql_workers`` 1: one in each); the ready line is
    logged once, for both; a runaway query is still stopped, with the CPU back to idle; SIGTERM
    stops every process of the tree."""
    server = Server(store_root, tmp_path / "server.log", processes=2)
    children = server.ps.children(recursive=True)
    try:
        serving = [p for p in server.ps.children() if workers(p)]
        assert len(serving) == 2 and [len(workers(p)) for p in serving] == [1, 1]
        wait_until(lambda: "ietfkg ready on" in server.log, "the ready line")
        (ready,) = [line for line in server.log.splitlines() if "ietfkg ready on" in line]
        assert re.search(
            rf"ietfkg ready on {server.url} \(2 server processes, 1 SPARQL worker each, [\d,]+ triples\)$", ready
        )
        for _ in range(4):  # new connections, whichever process takes them
            assert server.query("SELECT ?s WHERE { ?s ietf:rfcNumber 8446 }").json()["results"]["bindings"]
        runaway = server.query(RUNAWAY)
        assert runaway.status_code == 503 and runaway.json()["error"]["code"] == "query_timeout"

        def idle() -> bool:
            tree = [server.ps, *server.ps.children(recursive=True)]
            start = cpu_seconds(tree)
            time.sleep(1.0)
            return cpu_seconds(tree) - start < 0.3

        wait_until(idle, "the server processes and their workers to use (almost) no CPU", limit_s=120)
    finally:
        server.proc.send_signal(signal.SIGTERM)
        assert server.proc.wait(timeout=60) == 0
    wait_until(
        lambda: not any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE for c in children),
        "every child of the server to exit",
    )


# -- the pool itself -----------------------------------------------------------------
def test_pool_streams_before_the_worker_finishes(store_root: Path) -> None:
    async def main() -> None:
        async with WorkerPool(StoreDir(store_root).current(), 1).running() as pool:
            job = Job("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 40000", "csv", "results", None)  # uncapped
            head, chunks = await pool.answer(job, 60)
            first = await anext(chunks)
            # the first bytes are here while the worker is still on the job (it has not sent "end")
            assert head == Head(False, None)
            assert pool.busy == 1 and first.startswith(b"s,p,o\r\n") and len(first) >= CHUNK
            rest = [chunk async for chunk in chunks]
            assert pool.busy == 0 and len(rest) > 10
            assert (first + b"".join(rest)).count(b"\r\n") == 40_001

            # a capped job is written whole first, so its head says whether the cap cut it
            capped = Job("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "csv", "results", 40_000)
            head, chunks = await pool.answer(capped, 60)
            body = b"".join([chunk async for chunk in chunks])
            assert head == Head(True, 40_000) and body.count(b"\r\n") == 40_001

            # a client that goes away mid-result: the worker is killed and replaced
            chunks = pool.stream(job, 60)
            await anext(chunks)
            await chunks.aclose()
            assert pool.replaced == 1 and pool.busy == 0
            ask = b"".join([c async for c in pool.stream(Job("ASK {}", "json", "results", 1), 60)])
            assert b'"boolean":true' in ask

    anyio.run(main)


def hold_worker_start(monkeypatch: pytest.MonkeyPatch, gate: Path) -> None:
    """Every worker a pool starts from now on waits for ``gate`` to exist before it runs (then it
    is the real worker, loading the real store): start-up lasts exactly as long as a test wants."""
    command = WorkerPool.worker_command
    wait = 'while [ ! -e "$0" ]; do sleep 0.05; done; exec "$@"'
    monkeypatch.setattr(WorkerPool, "worker_command", lambda pool, fd: ["sh", "-c", wait, str(gate), *command(pool, fd)])


def test_a_fresh_workers_start_up_is_not_charged_to_the_query(
    store_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers held at start-up for as long as the test likes: the pool says it is not ready, and a
    query sent then waits for it holding no worker (so no clock of its own runs on a worker's
    start-up); once every worker has loaded, the query is answered by a loaded worker. Then the
    limit still stops a query, and the worker started in its place loads in the background: the
    next query is answered by the worker that was already loaded, not made to wait for it.
    States and counters only: no assertion depends on how fast anything runs."""
    gate = tmp_path / "gate"
    hold_worker_start(monkeypatch, gate)

    async def main() -> None:
        async with WorkerPool(StoreDir(store_root).current(), 2, backend="memory").running() as pool:
            answers: list[bytes] = []

            async def ask() -> None:
                chunks = pool.stream(Job("ASK { ?s ?p ?o }", "json", "results", 1), HTTP_TIMEOUT_S)
                answers.append(b"".join([c async for c in chunks]))

            async with anyio.create_task_group() as tasks:
                tasks.start_soon(ask)
                await anyio.wait_all_tasks_blocked()
                assert not pool.ready and pool.loaded == 0
                assert pool.busy == 0 and answers == []  # waiting for the pool, not on a loading worker
                gate.touch()
            assert pool.ready and pool.loaded == 2
            assert b'"boolean":true' in answers[0]

            gate.unlink()  # the worker started next is held at start-up for good
            with pytest.raises(QueryTimeout):
                async for _ in pool.stream(Job(RUNAWAY, "json", "results", 1), 0.5):
                    pass
            assert pool.replaced == 1 and pool.loaded == 2  # its replacement is held
            # answered by the loaded worker (given the held one, it would wait for good)
            ask_again = b"".join(
                [c async for c in pool.stream(Job("ASK {}", "json", "results", 1), HTTP_TIMEOUT_S)]
            )
            assert b'"boolean":true' in ask_again and pool.loaded == 2

    anyio.run(main)


def test_healthz_and_sparql_say_starting_until_the_workers_have_loaded(
    store_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the workers are held at start-up, /healthz is 503 ``starting``, and a query waits for
    them up to its own limit and then gets the same 503 with Retry-After (the workers stay held the
    whole time, so the answer does not depend on speed); once they load, both answer."""
    gate = tmp_path / "gate"
    hold_worker_start(monkeypatch, gate)
    settings = Settings.from_env(store=str(store_root), sparql_workers=1, query_timeout_s=1)
    with serve_app(settings, wait_ready=False) as url:
        health = httpx.get(url + "/healthz", timeout=HTTP_TIMEOUT_S)
        assert health.status_code == 503 and health.json() == {"status": "starting"}
        assert int(health.headers["retry-after"]) > 0
        early = httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=HTTP_TIMEOUT_S)
        assert early.status_code == 503 and early.json()["error"]["code"] == "starting"
        assert "still loading the store" in early.json()["error"]["message"] and early.headers["retry-after"]
        gate.touch()
        wait_until(
            lambda: httpx.get(url + "/healthz", timeout=HTTP_TIMEOUT_S).status_code == 200,
            "the workers to load", limit_s=600,
        )
        answer = httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=HTTP_TIMEOUT_S)
        assert answer.status_code == 200 and answer.json()["boolean"] is True
