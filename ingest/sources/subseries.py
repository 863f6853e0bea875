"""Relaton's RFC sub-series YAML (``relaton-rfcsubseries/rfcsubseries-yaml.tar.gz``): the slowest
source to decode, and it reads no earlier source, so the registry has it read apart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ietfkg.ingest import relaton_subseries
from ietfkg.ingest.fetch import local
from ietfkg.ingest.records import Record
from ietfkg.ingest.sources.base import OnError, Parsed, each

INFO = relaton_subseries.INFO


def read(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    path = root / "relaton-rfcsubseries" / "rfcsubseries-yaml.tar.gz"
    members = local.read_tar_members(relaton_subseries.SOURCE, path, ".yaml")
    yield from each(relaton_subseries.parse_subseries, members, on_error)
