"""IAB programs (``iab-programs/programs.jsonl``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ietfkg.ingest import iab_programs
from ietfkg.ingest.fetch import local
from ietfkg.ingest.records import Record
from ietfkg.ingest.sources.base import OnError, Parsed, catch, decoded

INFO = iab_programs.INFO


def read(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    lines = local.read_jsonl(iab_programs.SOURCE, root / "iab-programs" / "programs.jsonl")
    docs = [doc for doc in (decoded(item, on_error) for item in lines) if doc is not None]
    yield from catch(lambda: list(iab_programs.parse_programs(docs, on_error)), on_error)
