"""SHACL validation of a build in a second process, fed while the build writes its store.

Validating after the build meant extracting the triples the shapes read from the
finished store, building pyshacl's rdflib graph from them, then validating: half
the build, all of it on the build's critical path. Here a worker process
(``python -m ietfkg.graph.validation_worker``) starts with the build and imports
pyshacl meanwhile; the build hands it every quad it writes (``feed``), filtered to
the triples the shapes read (``validate.ShapeInputs``) and sent as N-Triples over
a pipe, which the worker parses into its graph as it arrives, on the other core
(each distinct term is built once: ``RdflibLoader``). ``seal`` closes the pipe
as soon as the build has written every triple the shapes read (its statistics
come after, and are none of them): the worker validates what it holds, its
shapes split over two forked processes that share the loaded graph, while the
build counts and optimizes its store. ``finish`` waits for the report (JSON).
A triple the shapes read that arrives after ``seal`` fails the build: it would
have gone unvalidated. The worker validates the same triples as
``validate_store`` on the finished store (a test compares the counts).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from types import TracebackType
from typing import Any

import rdflib
from pyoxigraph import Quad, RdfFormat, serialize

from ietfkg.graph.validate import (
    RdflibLoader,
    Report,
    Violation,
    combined,
    shape_inputs,
    shapes_graph,
    split_shapes,
    validate_graph,
)
from ietfkg.schema.errors import BuildFailed

CHUNK = 1 << 20  # bytes the worker parses at a time
FEED_NICENESS = 10  # while the build loads its store (see _worker_main)
PROCESSES = 2  # pyshacl processes at the end: the build itself is done with the CPU by then


class BackgroundValidation:
    """A validator process for one build; use as a context manager (it is killed on error)."""

    def __init__(self) -> None:
        self._wanted = shape_inputs().selector()
        self._sealed = False
        command = [sys.executable, "-m", __name__]
        # stderr to a file: a worker writing warnings while the build still feeds it must not block
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed in __exit__)
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors)
        # A thread writes to the pipe: the worker parses slower than the build maps, and
        # the build must not wait for it (the pipe holds only 64 KB).
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write_all, name="ietfkg-shacl-feed", daemon=True)
        self._writer.start()
        self._broken: BaseException | None = None

    def feed(self, quads: Iterable[Quad]) -> None:
        """Send the triples of ``quads`` that the shapes read (any graph: validation sees their union)."""
        wanted = self._wanted
        triples = [q.triple for q in quads if wanted(q.subject, q.predicate, q.object)]
        if triples:
            self._send(serialize(triples, format=RdfFormat.N_TRIPLES), len(triples), triples[0])

    def feed_lines(self, triples: Sequence[tuple[Any, Any, Any]], lines: Sequence[str]) -> None:
        """``feed`` for triples the build has already written as N-Triples, one line each (``lines``)."""
        wanted = self._wanted
        kept = [line for (s, p, o), line in zip(triples, lines, strict=True) if wanted(s, p, o)]
        if kept:
            self._send("".join(kept).encode(), len(kept), kept[0])

    def _send(self, ntriples: bytes, count: int, example: object) -> None:
        if self._sealed:
            raise BuildFailed(
                f"{count} triples the SHACL shapes read were written after validation began, "
                f"e.g. {example}: write them before seal()"
            )
        self._queue.put(ntriples)

    def seal(self) -> None:
        """Every triple the shapes read has been fed: the worker starts validating."""
        if not self._sealed:
            self._sealed = True
            self._queue.put(None)

    def finish(self) -> Report:
        """Seal the feed if it is not yet, and wait for the worker's report."""
        self.seal()
        self._writer.join()
        assert self.process.stdout is not None
        out = self.process.stdout.read()
        self.process.wait()
        if self._broken is not None or self.process.returncode != 0:
            raise BuildFailed(f"the SHACL validator failed (exit {self.process.returncode}): {self._stderr()}")
        return _report(json.loads(out))

    def _write_all(self) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            while (data := self._queue.get()) is not None:
                stdin.write(data)
            stdin.close()  # end of the feed
        except OSError as exc:  # the worker died: finish() reports its stderr
            self._broken = exc

    def _stderr(self) -> str:
        self.errors.seek(0)
        return self.errors.read().decode(errors="replace")[-2000:]

    def __enter__(self) -> BackgroundValidation:  # noqa: PYI034
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self.process.poll() is None:  # the build failed before asking for the report
            self.process.kill()
            self.seal()
            self._writer.join()
            self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
        self.errors.close()


def _report(data: dict) -> Report:
    return Report(data["conforms"], [Violation(**v) for v in data["violations"]], data["triples"])


def validate_in_parallel(data: rdflib.Graph, shapes: rdflib.Graph, processes: int) -> Report:
    """``validate_graph`` with the shapes split over ``processes`` (forked: they share ``data``).

    pyshacl is single-threaded and was most of the build's final wait; the data is loaded
    once, and each forked child validates its group of shapes on the copy-on-write graph.
    """
    groups = split_shapes(shapes, data, processes if hasattr(os, "fork") else 1)
    children = [_fork_validation(data, shapes, group) for group in groups[1:]]
    reports = [validate_graph(data, shapes, only=groups[0])]
    for pid, answer in children:
        with os.fdopen(answer, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status != 0:
            raise RuntimeError(f"a SHACL validation child failed (wait status {status})")
        reports.append(_report(json.loads(payload)))
    return combined(reports)


def _fork_validation(data: rdflib.Graph, shapes: rdflib.Graph, group: list[str]) -> tuple[int, int]:
    """Fork a child that validates ``group`` and writes its report to a pipe: (pid, read end)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return pid, read_end
    os.close(read_end)
    try:
        with os.fdopen(write_end, "w") as pipe:
            json.dump(asdict(validate_graph(data, shapes, only=group)), pipe)
    except BaseException:  # noqa: BLE001 - a forked child must never return into the parent's code
        traceback.print_exc()
        os._exit(1)
    os._exit(0)


def _worker_main() -> None:
    """Read N-Triples from stdin until EOF, validate them, print the report as JSON."""
    # The build is the critical path and uses both cores while it loads its store, and this
    # process has time to spare until the feed is sealed; then the build soon waits for it.
    # Not the lowest priority: on a machine kept busy by other work that would starve it.
    os.nice(FEED_NICENESS)
    import pyshacl  # noqa: F401  (imported now, while the build is still mapping)

    shapes = shapes_graph()
    data = rdflib.Graph()
    loader = RdflibLoader(data)
    pending = b""
    for chunk in iter(lambda: sys.stdin.buffer.read(CHUNK), b""):
        complete, _, pending = (pending + chunk).rpartition(b"\n")
        if complete:
            loader.add_ntriples(complete + b"\n")
    if pending.strip():
        loader.add_ntriples(pending + b"\n")
    with contextlib.suppress(PermissionError):  # only a privileged process may raise its priority again
        os.nice(-FEED_NICENESS)
    json.dump(asdict(validate_in_parallel(data, shapes, PROCESSES)), sys.stdout)


if __name__ == "__main__":
    _worker_main()
    sys.stdout.flush()
    # Skip the interpreter's teardown: freeing the graph object by object takes a while, and
    # the build waits for this process to close its output.
    os._exit(0)
