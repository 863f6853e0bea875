"""IESG roll calls (``iesg-minutes/roll-calls.jsonl``): seats by sighting; area names get
acronyms from the group records parsed before. In a live build the observed roles give way
to the Datatracker's stated ones."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ietfkg.graph.progress import Reporter
from ietfkg.ingest import iesg_roll_calls
from ietfkg.ingest.fetch import local
from ietfkg.ingest.fetch.http_client import LiveClient
from ietfkg.ingest.records import GroupRecord, Record
from ietfkg.ingest.sources.base import OnError, Parsed, Source, catch, decoded
from ietfkg.ingest.sources.datatracker import with_stated_roles
from ietfkg.schema.vocab import fold

if TYPE_CHECKING:
    from ietfkg.ingest.live import LiveConfig

INFO = iesg_roll_calls.INFO


def area_acronyms(parsed: Parsed) -> dict[str, str]:
    """Folded area name -> acronym, from every group record parsed so far."""
    names: dict[str, str] = {}
    for records in parsed.values():
        for record in records:
            if isinstance(record, GroupRecord) and record.type == "area" and record.name:
                names.setdefault(fold(record.name), record.acronym)
    return names


def read(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    lines = local.read_jsonl(iesg_roll_calls.SOURCE, root / "iesg-minutes" / "roll-calls.jsonl")
    docs = [doc for doc in (decoded(item, on_error) for item in lines) if doc is not None]
    acronyms = area_acronyms(parsed)
    yield from catch(lambda: list(iesg_roll_calls.parse_roll_calls(docs, acronyms, on_error)), on_error)


def live(config: LiveConfig, client: LiveClient, reporter: Reporter) -> Source:
    return Source(INFO, with_stated_roles(read))
