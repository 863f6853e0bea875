"""Reading a slow source in a second process while the build reads the others.

Decoding the sub-series YAML is the largest part of the parsing time, on one core
while the other waits for the first triples to validate. A source marked ``apart``
(it reads no earlier source's records) is read by ``python -m
ietfkg.ingest.apart NAME SNAPSHOT``, started before the first source is read; it
writes its records and parse errors to stdout, pickled. ``ApartReads.take``
collects them when the build reaches that source, or returns None if the
process failed, and the build then reads the source itself: the same records
either way. A subprocess rather than multiprocessing, whose spawned children
re-import the caller's main module.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path
from types import TracebackType

from ietfkg.ingest import registry
from ietfkg.ingest.records import Record
from ietfkg.ingest.sources.base import Source
from ietfkg.schema.errors import ParseError

SourceRead = tuple[list[Record], list[ParseError]]


class ApartReads:
    """The ``apart`` sources among ``sources`` (registered ones only), each being read in its own process."""

    def __init__(self, sources: tuple[Source, ...], snapshot: Path) -> None:
        # only registered sources: the worker process finds the reader by name in the registry
        self._running = {
            s.info.name: subprocess.Popen(
                [sys.executable, "-m", __name__, s.info.name, str(snapshot)],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # a failure only means the build reads the source itself
            )
            for s in sources
            if s.apart and s in registry.snapshot_sources()
        }

    def take(self, name: str) -> SourceRead | None:
        """What the process read for source ``name``, or None (not read apart, or the process failed)."""
        process = self._running.pop(name, None)
        if process is None:
            return None
        out, _ = process.communicate()
        if process.returncode != 0:
            return None
        return pickle.loads(out)  # written by our own child process: trusted

    def __enter__(self) -> ApartReads:  # noqa: PYI034
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        for process in self._running.values():  # the build stopped before reaching them
            process.kill()
            process.communicate()
        self._running.clear()


def read(source: Source, snapshot: Path) -> SourceRead:
    """``source`` read on its own: its records and the errors met."""
    errors: list[ParseError] = []
    return list(source.read(snapshot, {}, errors.append)), errors


def _main(name: str, snapshot: str) -> None:
    source = registry.snapshot_source(registry.row(name))
    sys.stdout.buffer.write(pickle.dumps(read(source, Path(snapshot)), protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    _main(*sys.argv[1:3])
