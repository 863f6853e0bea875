"""Curated area names and acronyms (``ingest/curated.yaml``); read before the roll calls, whose area names get acronyms."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ietfkg.ingest import area_names
from ietfkg.ingest.fetch import local
from ietfkg.ingest.records import Record
from ietfkg.ingest.sources.base import OnError, Parsed, catch, decoded

INFO = area_names.INFO


def read(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    doc = decoded(local.read_yaml(area_names.SOURCE, local.package_file("curated.yaml")), on_error)
    if doc is not None:
        yield from catch(lambda: list(area_names.parse_area_names(doc, on_error)), on_error)
