"""Historical sub-series membership from the RFCs' ``see_also``; after the RFCs and Relaton."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ietfkg.ingest import relaton_subseries, rfc_editor, subseries_history
from ietfkg.ingest.records import Record, RfcRecord, SubSeriesRecord
from ietfkg.ingest.sources.base import OnError, Parsed, of_type

INFO = subseries_history.INFO


def read(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    yield from subseries_history.derive(
        of_type(parsed.get(rfc_editor.SOURCE, ()), RfcRecord),
        of_type(parsed.get(relaton_subseries.SOURCE, ()), SubSeriesRecord),
    )
