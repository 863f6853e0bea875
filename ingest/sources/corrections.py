"""Curated corrections of values the sanity rules left out (``ingest/curated.yaml``, ``ingest/source_checks.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ietfkg.ingest import corrections
from ietfkg.ingest.fetch import local
from ietfkg.ingest.records import Record
from ietfkg.ingest.sources.base import OnError, Parsed, catch, decoded

INFO = corrections.INFO


def read(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    doc = decoded(local.read_yaml(corrections.SOURCE, local.package_file("curated.yaml")), on_error)
    if doc is not None:
        yield from catch(lambda: list(corrections.parse_corrections(doc, on_error)), on_error)
