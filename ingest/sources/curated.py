"""Hand-curated facts with citations (``ingest/curated.yaml``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ietfkg.ingest import curated
from ietfkg.ingest.fetch import local
from ietfkg.ingest.records import Record
from ietfkg.ingest.sources.base import OnError, Parsed, catch, decoded

INFO = curated.INFO


def read(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    doc = decoded(local.read_yaml(curated.SOURCE, local.package_file("curated.yaml")), on_error)
    if doc is not None:
        yield from catch(lambda: list(curated.parse_curated(doc, on_error)), on_error)
