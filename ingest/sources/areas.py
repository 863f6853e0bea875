"""WG -> area over time from every piece of evidence (``ingest/areas.py``); after the
attribution: an RFC's area counts for its producer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ietfkg.ingest import areas, datatracker_agenda, registry
from ietfkg.ingest.records import AttributionRecord, GroupRecord, ParentSighting, Record, RfcRecord
from ietfkg.ingest.sources.base import OnError, Parsed

INFO = areas.INFO


def read(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    groups = {name: [r for r in records if isinstance(r, GroupRecord)] for name, records in parsed.items()}
    dated_apart = {datatracker_agenda.SOURCE}  # its parents come dated, as sightings
    yield from areas.derive(
        [g for records in groups.values() for g in records],
        [r for records in parsed.values() for r in records if isinstance(r, ParentSighting)],
        [r for records in parsed.values() for r in records if isinstance(r, RfcRecord)],
        [r for records in parsed.values() for r in records if isinstance(r, AttributionRecord)],
        {source.info.name: source.info.snapshot_date for source in registry.snapshot_sources()},
        {name: records for name, records in groups.items() if name not in dated_apart},
    )
