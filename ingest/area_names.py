"""Curated area names (the ``area_names`` section of ``curated.yaml``) -> area ``GroupRecord``s.

Why: the IESG minutes name areas only by name ("Applications Area", "Real-time Applications
and Infrastructure Area") and the RFC Editor ``source`` labels only by acronym (" APP", " RAI");
no bundled file states that the two are one area, and an acronym is never guessed from a name.
Each entry states an area's acronym and name with the public page that joins them
(``evidence``) and words copied from it (``quote``); read before the roll calls, it lets
their seats land on the area's acronym instead of a slug of its name.

Pure: input is the decoded YAML, output is records.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ietfkg.ingest.parsing import OnError, cited_urls, required, section_entries, skip_or_raise
from ietfkg.ingest.records import GroupRecord, SourceInfo
from ietfkg.schema.errors import ParseError

SOURCE = "area-names"
SECTION = "area_names"

INFO = SourceInfo(
    name=SOURCE,
    title="Area acronyms and names (curated)",
    origin="ingest/curated.yaml (area_names): each entry cites the public page that gives both",
    snapshot_date="2026-12-02",  # when the entries' evidence was last read
    files=("ingest/curated.yaml",),
    description="Areas the minutes name and the RFC labels abbreviate, joined on a cited page.",
)


def parse_area_names(doc: Mapping[str, Any], on_error: OnError | None = None) -> Iterator[GroupRecord]:
    for index, entry in enumerate(section_entries(doc, SECTION, SOURCE)):
        try:
            yield parse_area_name(entry, f"{SECTION}[{index}]")
        except ParseError as err:
            skip_or_raise(err, on_error)


def parse_area_name(entry: Any, key: str) -> GroupRecord:
    """One entry -> an area record; ``ParseError`` when a field, the quote or the evidence is missing.

    >>> parse_area_name({"acronym": "rai", "name": "Real-time Applications and Infrastructure Area",
    ...                  "quote": "(RAI) Area", "evidence": ["https://x.example/"]}, "a").type
    'area'
    """
    if not isinstance(entry, Mapping):
        raise ParseError(SOURCE, key, "entry is not a mapping")
    required(entry, "quote", SOURCE, key, "entry has no quote from its evidence")
    evidence = cited_urls(entry, SOURCE, key)
    return GroupRecord(
        acronym=required(entry, "acronym", SOURCE, key).lower(),
        name=required(entry, "name", SOURCE, key),
        type="area",
        evidence=evidence,
    )
