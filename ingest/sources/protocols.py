"""Protocols named in RFC titles, with curated overrides (``ingest/protocols.yaml``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ietfkg.ingest import protocols, rfc_editor
from ietfkg.ingest.fetch import local
from ietfkg.ingest.records import Record, RfcRecord
from ietfkg.ingest.sources.base import OnError, Parsed, decoded, of_type

INFO = protocols.INFO


def read(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    overrides = decoded(local.read_yaml(protocols.SOURCE, local.package_file("protocols.yaml")), on_error)
    yield from protocols.extract_protocols(
        of_type(parsed.get(rfc_editor.SOURCE, ()), RfcRecord), overrides or {}
    )
