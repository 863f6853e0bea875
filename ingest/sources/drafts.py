"""Internet-Drafts from the RFC JSON and the sessions' materials (``ingest/drafts.py``);
after the agendas' sessions and the attribution."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ietfkg.ingest import attribution, drafts, rfc_editor
from ietfkg.ingest.records import AttributionRecord, GroupRecord, Record, RfcRecord, SessionRecord
from ietfkg.ingest.sources.base import OnError, Parsed, of_type

INFO = drafts.INFO


def read(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    everything = [r for records in parsed.values() for r in records]
    yield from drafts.derive(
        of_type(parsed.get(rfc_editor.SOURCE, ()), RfcRecord),
        of_type(parsed.get(attribution.SOURCE, ()), AttributionRecord),
        of_type(everything, SessionRecord),
        of_type(everything, GroupRecord),
        on_error,
    )
