"""A small pool of worker processes that run /sparql queries where they can be stopped.

pyoxigraph cannot cancel a running query: a timed-out query in a thread frees
the request but keeps a core busy. So user queries run in separate processes,
each holding the store open read-only (``Store.read_only``). One job at a time
per worker:

* the parent sends a ``Job`` down the worker's pipe;
* the worker evaluates it and sends the serialized result back as
  ``("data", bytes)`` messages of about ``CHUNK`` bytes, then ``("end", count,
  truncated, tail)`` carrying the last bytes (so a small result is one message),
  or ``("error", code, message)``;
* a job without a cap (``max_rows=None``: CSV, TSV and downloads) streams as it
  is produced. The pipe is bounded by the OS, so a worker never runs ahead of a
  slow client by more than a pipe buffer plus one chunk: such results are never
  built whole in memory;
* a capped job is written whole first (at most ``max_rows`` rows, so bounded),
  because whether the cap cut it goes in a response header, before the body: a
  result larger than one message is announced by ``("head", count, truncated)``;
  the parent's ``answer`` gives that ``Head`` before any byte. The parent waits
  for a message on the event loop (``anyio.wait_readable``), not in a thread: no
  thread hop per message;
* past the deadline (or when the client goes away mid-result), the parent kills
  the worker with SIGKILL and starts a fresh one in its slot.

Start-up is nobody's query: each worker's ``("ready", pid)`` is awaited in the
background from the moment it is spawned (``running()`` owns those tasks), and
``ready`` is set once every worker started with the pool has loaded the store
(``/healthz`` says ``starting`` until then). A query sent before that waits for
it (up to its own time limit, then 503 ``starting``) and only then starts its
clock; a replacement worker still loading is likewise not charged to the query
that gets it.

Workers are fresh interpreters (``python -m ietfkg.api.sparql.pool STORE FD PID BACKEND``,
talking over a socket pair), not forks: they inherit neither the server's
threads nor its signal handlers, and unlike ``multiprocessing``'s spawn they
never re-import the server's ``__main__``. They ignore SIGINT (Ctrl-C reaches the
whole process group: the server stops them itself), exit when their socket
closes, and on Linux ask the kernel to kill them if the server dies, so even a
server killed with SIGKILL leaves no worker behind.
"""

from __future__ import annotations

import io
import logging
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import anyio
from anyio.abc import TaskGroup

from ietfkg.schema.errors import BadQuery, IetfKgError, QueryTimeout, ResultCut, Starting, StoreError, error_for_code

log = logging.getLogger("ietfkg.sparql")

CHUNK = 64 * 1024
STARTUP_LIMIT_S = 120.0  # a worker loading the store into memory on a slow, busy machine


@dataclass(frozen=True, slots=True)
class Job:
    """One query, its dataset and the result format (a name from ``graph/exports.py``)."""

    query: str
    fmt: str
    kind: str  # "results" (SELECT/ASK) | "rdf" (CONSTRUCT/DESCRIBE)
    max_rows: int | None  # None: every row (or triple), streamed as it comes
    default_graphs: tuple[str, ...] | None = None  # None: the store's own default graph (the merge of the sources)
    named_graphs: tuple[str, ...] | None = None
    uses_from: bool = False  # the query has FROM / FROM NAMED: let it choose its dataset


@dataclass(frozen=True, slots=True)
class Head:
    """What is known before the first byte of an answer: whether a cap cut it, and after how many."""

    truncated: bool
    count: int | None  # rows or triples sent; None while a streamed result is still coming


# -- the worker process ----------------------------------------------------------
class _ChunkWriter:
    """A binary file-like object sending ``("data", chunk)`` messages of about CHUNK bytes."""

    def __init__(self, conn: Connection) -> None:
        self.conn, self.buffer = conn, bytearray()

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buffer:
            self.conn.send(("data", bytes(self.buffer)))
            self.buffer.clear()

    def finish(self, written: Any) -> None:
        """The last message: the count, whether the cap cut the result, and the bytes still buffered."""
        self.conn.send(("end", written.count, written.truncated, bytes(self.buffer)))
        self.buffer.clear()


def _run_job(backend: Any, job: Job, conn: Connection) -> None:
    from pyoxigraph import NamedNode

    from ietfkg.graph import exports
    from ietfkg.graph.result_writers import write_results

    options: dict[str, Any] = {}
    if job.default_graphs is not None:
        options["default_graph"] = [NamedNode(g) for g in job.default_graphs]
    if job.named_graphs is not None:
        options["named_graphs"] = [NamedNode(g) for g in job.named_graphs]
        options.setdefault("default_graph", [])
    if job.uses_from and not options:
        options["use_default_graph_as_union"] = False
    cut_upstream = False
    try:
        result = backend.raw_query(job.query, **options)
    except ResultCut as cut:  # a remote server cut it: send what came, and say so
        result, cut_upstream = cut.partial, True
    fmt = exports.get(job.fmt, job.kind)
    if job.max_rows is None and not cut_upstream:
        out = _ChunkWriter(conn)
        out.finish(write_results(result, fmt, out, None))
        return
    held = io.BytesIO()
    written = write_results(result, fmt, held, job.max_rows)
    _send_held(conn, held.getbuffer(), written.count, written.truncated or cut_upstream)


def _send_held(conn: Connection, body: memoryview, count: int, truncated: bool) -> None:
    """A result written whole: one ``end`` message if it fits, else ``head``, the chunks, then ``end``."""
    if len(body) > CHUNK:
        conn.send(("head", count, truncated))
        while len(body) > CHUNK:
            conn.send(("data", bytes(body[:CHUNK])))
            body = body[CHUNK:]
    conn.send(("end", count, truncated, bytes(body)))


def die_with_parent() -> None:
    """On Linux, have the kernel SIGKILL this process when its parent exits."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _worker_main(conn: Connection, store: str, parent: int, backend_name: str) -> None:
    """Entry point of a worker process: open the store read-only, then serve jobs until EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    if os.getppid() != parent:
        return  # the server died before we could ask to follow it
    from ietfkg.graph.backends import is_remote, open_backend, open_store
    from ietfkg.graph.syntax_errors import oxigraph_error

    try:
        # ``store`` is one build directory (local) or the server URL (remote).
        backend = open_store(store) if is_remote(store) else open_backend(backend_name, Path(store))
    except (IetfKgError, OSError) as exc:
        conn.send(("error", "store_missing", f"worker could not open the store: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # the server went away
        try:
            _run_job(backend, job, conn)
        except (BrokenPipeError, EOFError):
            return
        except IetfKgError as exc:
            conn.send(("error", exc.code, exc.message))
        except SyntaxError as exc:  # Oxigraph's parser: queries the endpoint's screen let through
            conn.send(("error", "bad_query", oxigraph_error(job.query, str(exc)).message))
        except Exception as exc:
            log.exception("query failed in worker %s", os.getpid())
            conn.send(("error", "query_failed", f"query evaluation failed: {exc}"))


# -- the parent side -------------------------------------------------------------
@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    conn: Connection
    started: anyio.Event = field(default_factory=anyio.Event)  # set once it has loaded the store, or failed to
    failure: IetfKgError | None = None  # why it could not start

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=5)
        if not self.conn.closed:
            anyio.notify_closing(self.conn.fileno())  # wakes a task still waiting for its start-up
            self.conn.close()


def _error(code: str, message: str) -> IetfKgError:
    if code == "query_failed":  # the user's query failed to evaluate: a 400, not a server error
        error: IetfKgError = BadQuery(message)
        error.code = code
        return error
    return error_for_code(code, message)


class WorkerPool:
    """``size`` worker processes over one store directory, started by ``running()``.

    ``stream(job, timeout_s)`` yields the serialized result in chunks; the
    deadline covers waiting for a free worker, evaluation and streaming, but not
    start-up: a query is not charged for loading the store (bounded apart by
    ``STARTUP_LIMIT_S``).
    ``backend`` names the local backend each worker opens (``memory`` answers
    whole-graph aggregates faster than on-disk, at the cost of a copy per worker).
    """

    def __init__(self, store: Path | str, size: int, backend: str = "oxigraph") -> None:
        self.store, self.size, self.backend = store, max(1, size), backend
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._free: anyio.Semaphore | None = None
        self._tasks: TaskGroup | None = None
        self._ready: anyio.Event | None = None
        self._closed = False
        self.loaded = 0  # workers that have loaded the store (at start and replacements)
        self.replaced = 0  # workers killed and replaced (timeouts, dropped clients)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[WorkerPool]:
        """Start the workers (they load the store in the background); stop them all on exit."""
        try:
            async with anyio.create_task_group() as tasks:
                self._tasks, self._ready = tasks, anyio.Event()
                self._free = anyio.Semaphore(self.size)
                self._idle = [self._spawn() for _ in range(self.size)]
                tasks.start_soon(self._all_started, self._ready, list(self._idle))
                try:
                    yield self
                finally:
                    tasks.cancel_scope.cancel()
        finally:
            self.close()

    @property
    def ready(self) -> bool:
        """Every worker started with the pool has loaded the store (or failed to: its queries say why)."""
        return self._ready is not None and self._ready.is_set()

    async def wait_ready(self) -> None:
        assert self._ready is not None, "start the pool with `async with pool.running()`"
        await self._ready.wait()

    @staticmethod
    async def _all_started(ready: anyio.Event, workers: list[_Worker]) -> None:
        for worker in workers:
            await worker.started.wait()
        ready.set()

    def worker_command(self, fd: int) -> list[str]:
        """The command line of one worker process, handed its end of the socket pair as ``fd``."""
        return [sys.executable, "-m", __name__, str(self.store), str(fd), str(os.getpid()), self.backend]

    def _spawn(self) -> _Worker:
        assert self._tasks is not None, "start the pool with `async with pool.running()`"
        ours, theirs = socket.socketpair()
        with ours, theirs:
            command = self.worker_command(theirs.fileno())
            process = subprocess.Popen(command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
            worker = _Worker(process, Connection(ours.detach()))
        self._tasks.start_soon(self._start_up, worker)
        return worker

    async def _start_up(self, worker: _Worker) -> None:
        """Await a fresh worker's ``ready`` (or its start-up error): the only read before its first job."""
        late = StoreError(f"a SPARQL worker did not start within {STARTUP_LIMIT_S:g} s")
        try:
            message = await self._receive(worker, anyio.current_time() + STARTUP_LIMIT_S, late)
            if message[0] == "ready":
                self.loaded += 1
            else:
                worker.failure = _error(message[1], message[2])
        except IetfKgError as exc:
            worker.failure = exc
        finally:
            worker.started.set()

    @property
    def busy(self) -> int:
        """Workers on a job right now (a worker is released only after its last chunk)."""
        return len(self._busy)

    def close(self) -> None:
        """Stop every worker (idle or busy); called on server shutdown."""
        self._closed = True
        for worker in (*self._idle, *self._busy):
            worker.kill()
        self._idle, self._busy = [], set()

    async def _until_ready(self, timeout_s: float) -> None:
        """Before the pool is ready, wait for it up to the query's own limit (not charged to it)."""
        if self.ready:
            return
        with anyio.move_on_after(timeout_s):
            await self.wait_ready()
        if not self.ready:
            raise Starting(f"the SPARQL workers are still loading the store (waited {timeout_s:g} s); try again")

    def _take_idle(self) -> _Worker:
        """An idle worker, one that has loaded the store if there is one."""
        loaded = [w for w in self._idle if w.started.is_set()]
        worker = loaded[-1] if loaded else self._idle[-1]
        self._idle.remove(worker)
        return worker

    async def answer(self, job: Job, timeout_s: float) -> tuple[Head, AsyncIterator[bytes]]:
        """The answer's ``Head`` (errors before the first byte are raised here), then its chunks."""
        parts = self._parts(job, timeout_s)
        head = await anext(parts)
        assert isinstance(head, Head)
        return head, parts  # type: ignore[return-value]  # after the head, only bytes

    async def stream(self, job: Job, timeout_s: float) -> AsyncIterator[bytes]:
        """The answer's chunks alone."""
        _, chunks = await self.answer(job, timeout_s)
        try:
            async for chunk in chunks:
                yield chunk
        finally:
            await chunks.aclose()  # type: ignore[attr-defined]  # frees (or replaces) the worker now

    async def _parts(self, job: Job, timeout_s: float) -> AsyncIterator[Head | bytes]:
        """The ``Head``, then the chunks."""
        if self._free is None:
            raise StoreError("the SPARQL worker pool is not running")
        await self._until_ready(timeout_s)
        deadline = anyio.current_time() + timeout_s
        try:
            with anyio.fail_after(timeout_s):
                await self._free.acquire()
        except TimeoutError as exc:
            raise QueryTimeout(f"no SPARQL worker became free within {timeout_s:g} s") from exc
        worker = self._take_idle()
        self._busy.add(worker)
        finished = False
        try:
            if not worker.started.is_set():  # a replacement still loading: its start-up is not charged
                left = deadline - anyio.current_time()
                await worker.started.wait()
                deadline = anyio.current_time() + left
            if worker.failure is not None:
                raise worker.failure
            try:
                worker.conn.send(job)
            except OSError as exc:
                raise StoreError("a SPARQL worker died; try again") from exc
            headed = False
            while True:
                message = await self._receive(
                    worker, deadline, QueryTimeout(f"query took longer than {timeout_s:g} s and was stopped")
                )
                if not headed and message[0] in ("head", "data", "end"):
                    headed = True
                    yield Head(message[2], message[1]) if message[0] != "data" else Head(False, None)
                if message[0] == "head":
                    continue
                if message[0] == "data":
                    yield message[1]
                elif message[0] == "end":
                    finished = True
                    if message[3]:
                        yield message[3]
                    return
                else:
                    finished = message[1] != "store_missing"
                    raise _error(message[1], message[2])
        finally:
            self._busy.discard(worker)
            if self._closed:
                worker.kill()  # the server is stopping: no replacement
            else:
                if not finished:
                    worker.kill()
                    worker = self._spawn()
                    self.replaced += 1
                self._idle.append(worker)
                self._free.release()

    async def _receive(self, worker: _Worker, deadline: float, late: IetfKgError) -> tuple[Any, ...]:
        """The worker's next message; ``late`` is raised if none has come by ``deadline``."""
        try:
            with anyio.fail_after(max(0.0, deadline - anyio.current_time())):
                await anyio.wait_readable(worker.conn.fileno())
            # A message is arriving: the worker writes each one at once (at most a CHUNK
            # and a header), so this read does not hold the event loop. uvloop leaves a
            # polled descriptor non-blocking, where a message still arriving would
            # raise EAGAIN half-read: make it blocking again first.
            os.set_blocking(worker.conn.fileno(), True)
            return worker.conn.recv()
        except TimeoutError as exc:
            raise late from exc
        except (EOFError, OSError, anyio.ClosedResourceError) as exc:
            raise StoreError("the SPARQL worker died while running the query") from exc


if __name__ == "__main__":
    _worker_main(Connection(int(sys.argv[2])), sys.argv[1], int(sys.argv[3]), sys.argv[4])
