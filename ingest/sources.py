"""The snapshot sources, in build order, each a reader: snapshot files -> records.

A reader gets the snapshot directory, the records parsed so far (some sources
need earlier ones: roll calls need area names, protocols need RFC titles) and
an ``on_error`` callback that counts and skips bad records. Readers only wire
``fetch`` (file reads) to the pure parsers; they hold no parsing logic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ietfkg.ingest import (
    agenda_sessions,
    area_names,
    areas,
    attribution,
    corrections,
    curated,
    datatracker_agenda,
    datatracker_meetings,
    drafts,
    iab_programs,
    iesg_roll_calls,
    power_map,
    protocols,
    relaton_subseries,
    rfc_editor,
    subseries_history,
)
from ietfkg.ingest.fetch import local
from ietfkg.ingest.parsing import OnError
from ietfkg.ingest.records import (
    AttributionRecord,
    GroupRecord,
    ParentSighting,
    Record,
    RfcRecord,
    SessionRecord,
    SourceInfo,
    SubSeriesRecord,
)
from ietfkg.schema.errors import ParseError
from ietfkg.schema.vocab import fold

Parsed = Mapping[str, list[Record]]
Reader = Callable[[Path, Parsed, OnError], Iterator[Record]]

@dataclass(frozen=True, slots=True)
class Source:
    info: SourceInfo
    read: Reader
    apart: bool = False  # slow, and reads no earlier source: read in a second process meanwhile (``apart``)

def _decoded(item: tuple[str, Any], on_error: OnError) -> Any | None:
    """The decoded value, or None after reporting a decoding error."""
    _, value = item
    if isinstance(value, ParseError):
        on_error(value)
        return None
    return value

def _each(parse: Callable[[Any, str], Record], items: Iterator[tuple[str, Any]], on_error: OnError) -> Iterator[Record]:
    for locator, value in items:
        if isinstance(value, ParseError):
            on_error(value)
            continue
        try:
            yield parse(value, locator)
        except ParseError as err:
            on_error(err)

def read_agendas(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    found: list[GroupRecord] = []
    seen: list[Record] = []  # ParentSightings, for ingest/areas.py
    sessions: list[Record] = []
    for path in sorted(root.glob("datatracker/agenda_*.json*"), key=lambda p: p.name):
        doc = _decoded(local.read_json(datatracker_agenda.SOURCE, path), on_error)
        if doc is not None:
            found.extend(_catch(lambda d=doc, p=path: list(datatracker_agenda.parse_agenda(d, p.name, on_error)), on_error))
            seen.extend(_catch(lambda d=doc, p=path: list(datatracker_agenda.parent_sightings(d, p.name)), on_error))
            sessions.extend(_catch(lambda d=doc, p=path: list(agenda_sessions.parse_sessions(d, p.name, on_error)), on_error))
    yield from datatracker_agenda.merge_groups(found)
    yield from seen
    yield from sessions

def read_meetings(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    # the snapshot's copy is gzipped, like the agendas; a plain .json is read too
    path = min(root.glob("datatracker/meetings.json*"), default=root / "datatracker" / "meetings.json.gz")
    doc = _decoded(local.read_json(datatracker_meetings.SOURCE, path), on_error)
    if doc is not None:
        yield from _catch(lambda: list(datatracker_meetings.parse_meetings(doc, path.name, on_error)), on_error)

def _catch(run: Callable[[], list[Record]], on_error: OnError) -> list[Record]:
    try:
        return run()
    except ParseError as err:
        on_error(err)
        return []

def read_power_map(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    path = root / "ietf-power-map" / "ietf_data.json"
    doc = _decoded(local.read_json(power_map.SOURCE, path), on_error)
    if doc is not None:
        yield from _catch(lambda: list(power_map.parse_power_map(doc, path.name, on_error)), on_error)

def read_curated(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    doc = _decoded(local.read_yaml(curated.SOURCE, local.package_file("curated.yaml")), on_error)
    if doc is not None:
        yield from _catch(lambda: list(curated.parse_curated(doc, on_error)), on_error)

def read_corrections(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    doc = _decoded(local.read_yaml(corrections.SOURCE, local.package_file("curated.yaml")), on_error)
    if doc is not None:
        yield from _catch(lambda: list(corrections.parse_corrections(doc, on_error)), on_error)

def read_area_names(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    doc = _decoded(local.read_yaml(area_names.SOURCE, local.package_file("curated.yaml")), on_error)
    if doc is not None:
        yield from _catch(lambda: list(area_names.parse_area_names(doc, on_error)), on_error)

def read_areas(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    groups = {name: [r for r in records if isinstance(r, GroupRecord)] for name, records in parsed.items()}
    dated_apart = {datatracker_agenda.SOURCE}  # its parents come dated, as sightings
    yield from areas.derive(
        [g for records in groups.values() for g in records],
        [r for records in parsed.values() for r in records if isinstance(r, ParentSighting)],
        [r for records in parsed.values() for r in records if isinstance(r, RfcRecord)],
        [r for records in parsed.values() for r in records if isinstance(r, AttributionRecord)],
        {source.info.name: source.info.snapshot_date for source in SOURCES},
        {name: records for name, records in groups.items() if name not in dated_apart},
    )

def read_iab_programs(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    lines = local.read_jsonl(iab_programs.SOURCE, root / "iab-programs" / "programs.jsonl")
    docs = [doc for doc in (_decoded(item, on_error) for item in lines) if doc is not None]
    yield from _catch(lambda: list(iab_programs.parse_programs(docs, on_error)), on_error)

def area_acronyms(parsed: Parsed) -> dict[str, str]:
    """Folded area name -> acronym, from every group record parsed so far."""
    names: dict[str, str] = {}
    for records in parsed.values():
        for record in records:
            if isinstance(record, GroupRecord) and record.type == "area" and record.name:
                names.setdefault(fold(record.name), record.acronym)
    return names

def read_roll_calls(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    lines = local.read_jsonl(iesg_roll_calls.SOURCE, root / "iesg-minutes" / "roll-calls.jsonl")
    docs = [doc for doc in (_decoded(item, on_error) for item in lines) if doc is not None]
    acronyms = area_acronyms(parsed)
    yield from _catch(lambda: list(iesg_roll_calls.parse_roll_calls(docs, acronyms, on_error)), on_error)

def read_rfcs(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    members = local.read_tar_members(rfc_editor.SOURCE, root / "rfc-editor" / "rfc-json.tar.gz", ".json")
    yield from _each(rfc_editor.parse_rfc, members, on_error)

def read_attribution(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    groups = [r for records in parsed.values() for r in records if isinstance(r, GroupRecord)]
    rfcs = [r for r in parsed.get(rfc_editor.SOURCE, ()) if isinstance(r, RfcRecord)]
    yield from attribution.derive(groups, rfcs)

def read_drafts(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    everything = [r for records in parsed.values() for r in records]
    yield from drafts.derive(
        [r for r in parsed.get(rfc_editor.SOURCE, ()) if isinstance(r, RfcRecord)],
        [r for r in parsed.get(attribution.SOURCE, ()) if isinstance(r, AttributionRecord)],
        [r for r in everything if isinstance(r, SessionRecord)],
        [r for r in everything if isinstance(r, GroupRecord)],
        on_error,
    )

def read_subseries_history(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    yield from subseries_history.derive(
        [r for r in parsed.get(rfc_editor.SOURCE, ()) if isinstance(r, RfcRecord)],
        [r for r in parsed.get(relaton_subseries.SOURCE, ()) if isinstance(r, SubSeriesRecord)],
    )

def read_subseries(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    path = root / "relaton-rfcsubseries" / "rfcsubseries-yaml.tar.gz"
    members = local.read_tar_members(relaton_subseries.SOURCE, path, ".yaml")
    yield from _each(relaton_subseries.parse_subseries, members, on_error)

def read_protocols(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    overrides = _decoded(local.read_yaml(protocols.SOURCE, local.package_file("protocols.yaml")), on_error)
    rfcs = [r for r in parsed.get(rfc_editor.SOURCE, ()) if isinstance(r, RfcRecord)]
    yield from protocols.extract_protocols(rfcs, overrides or {})

SOURCES: tuple[Source, ...] = (
    Source(datatracker_agenda.INFO, read_agendas),
    Source(datatracker_meetings.INFO, read_meetings),
    Source(power_map.INFO, read_power_map),
    Source(curated.INFO, read_curated),
    Source(area_names.INFO, read_area_names),  # before the roll calls: their area names get acronyms
    Source(iab_programs.INFO, read_iab_programs),
    Source(iesg_roll_calls.INFO, read_roll_calls),
    Source(rfc_editor.INFO, read_rfcs),
    Source(corrections.INFO, read_corrections),  # of values the sanity rules left out (ingest/source_checks.py)
    Source(attribution.INFO, read_attribution),  # after every source of group records and the RFCs
    Source(areas.INFO, read_areas),  # after the attribution: an RFC's area counts for its producer
    Source(drafts.INFO, read_drafts),  # after the agendas' sessions and the attribution
    Source(relaton_subseries.INFO, read_subseries, apart=True),  # YAML: the slowest source to decode
    Source(subseries_history.INFO, read_subseries_history),  # after the RFCs and Relaton
    Source(protocols.INFO, read_protocols),
)
