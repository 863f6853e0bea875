"""RFC -> group and stream attribution, derived from every group record and the RFCs
(``ingest/attribution.py``); after every source of group records and the RFCs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ietfkg.ingest import attribution, rfc_editor
from ietfkg.ingest.records import GroupRecord, Record, RfcRecord
from ietfkg.ingest.sources.base import OnError, Parsed, of_type

INFO = attribution.INFO


def read(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    groups = [r for records in parsed.values() for r in records if isinstance(r, GroupRecord)]
    yield from attribution.derive(groups, of_type(parsed.get(rfc_editor.SOURCE, ()), RfcRecord))
