"""The IETF power map (``ietf-power-map/ietf_data.json``); in a live build its observed roles
give way to the Datatracker's stated ones."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ietfkg.graph.progress import Reporter
from ietfkg.ingest import power_map
from ietfkg.ingest.fetch import local
from ietfkg.ingest.fetch.http_client import LiveClient
from ietfkg.ingest.records import Record
from ietfkg.ingest.sources.base import OnError, Parsed, Source, catch, decoded
from ietfkg.ingest.sources.datatracker import with_stated_roles

if TYPE_CHECKING:
    from ietfkg.ingest.live import LiveConfig

INFO = power_map.INFO


def read(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    path = root / "ietf-power-map" / "ietf_data.json"
    doc = decoded(local.read_json(power_map.SOURCE, path), on_error)
    if doc is not None:
        yield from catch(lambda: list(power_map.parse_power_map(doc, path.name, on_error)), on_error)


def live(config: LiveConfig, client: LiveClient, reporter: Reporter) -> Source:
    return Source(INFO, with_stated_roles(read))
