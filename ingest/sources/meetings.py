"""The Datatracker meetings list (``datatracker/meetings.json.gz``): number, city, country, dates."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ietfkg.ingest import datatracker_meetings
from ietfkg.ingest.fetch import local
from ietfkg.ingest.records import Record
from ietfkg.ingest.sources.base import OnError, Parsed, catch, decoded

INFO = datatracker_meetings.INFO


def read(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    # the snapshot's copy is gzipped, like the agendas; a plain .json is read too
    path = min(root.glob("datatracker/meetings.json*"), default=root / "datatracker" / "meetings.json.gz")
    doc = decoded(local.read_json(datatracker_meetings.SOURCE, path), on_error)
    if doc is not None:
        yield from catch(
            lambda: list(datatracker_meetings.parse_meetings(doc, path.name, on_error)), on_error
        )
