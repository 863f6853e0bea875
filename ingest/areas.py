"""Which area each group was in, when, and on what evidence (pure; the ``areas`` graph).

Why a stage of its own: areas are reorganised (RAI was formed in 2006 from Transport and
Applications WGs; ART in 2014 from APP and RAI), so "the area of WG X" has an answer per
date, and each source sees a different time. Every piece of evidence is a sighting of a
group under an area on a day or in a month (``basis``):

* ``agenda-parent``: a session of the group at an IETF meeting, under its parent
  (Datatracker agendas, 2020-2022, the session's day);
* ``rfc-source-suffix``: an RFC the group produced (``ietf:producedBy``) whose RFC
  Editor ``source`` label ends in an area acronym ("... RAI"), in its publication month.
  The label gives the area the RFC Editor last recorded for the group, which can be
  later than the RFC (mmusic's RFCs of 1998 carry RAI, formed in 2006);
* ``rfc-index``: the RFC Editor index's ``area`` of one of the group's RFCs (live builds);
* ``group-record``: a source's record of the group with a parent area and no date of its
  own (the seed pages), on the source's snapshot date.

The sightings of one group, area and basis make one link (``ietf:AreaLink``) held from
the first to the last sighting; a month counts from its first to its last day. A group no
record gives a parent gets ``org:subOrganizationOf`` the area of its latest sighting.
An acronym seen only as a label suffix becomes an area of its own (its name comes from
``area_names`` when a cited page gives it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date

from ietfkg.ingest.group_names import NON_GROUP_SOURCES, area_suffixes, split_label
from ietfkg.ingest.records import (
    AreaLinkRecord,
    AttributionRecord,
    GroupRecord,
    ParentSighting,
    Record,
    Relation,
    RfcRecord,
    SourceInfo,
)
from ietfkg.ingest.rfc_editor import rfc_json_url
from ietfkg.schema.partial_dates import first_day, last_day

SOURCE = "areas"

INFO = SourceInfo(
    name=SOURCE,
    title="Group areas over time (derived)",
    origin="derived by ietf-kg from the agendas' parents, the RFC Editor source labels and every group record",
    snapshot_date="2026-03-09",  # its newest input (the power map)
    description="Each group's area per kind of evidence, from its first to its last sighting; "
    "areas known only by the acronym RFC labels carry.",
)

Sighting = tuple[str, str, str, str, str]  # group, area, basis, seen (ISO date or month), evidence


def derive(
    groups: Iterable[GroupRecord],
    sightings: Iterable[ParentSighting],
    rfcs: Iterable[RfcRecord],
    attributions: Iterable[AttributionRecord],
    snapshot_dates: Mapping[str, str],
    group_sources: Mapping[str, Iterable[GroupRecord]],
) -> Iterator[Record]:
    """Areas only RFC labels name, one ``AreaLinkRecord`` per group, area and basis, and parents."""
    groups, rfcs = list(groups), [r for r in rfcs if r.status != "NOT ISSUED"]
    areas = {g.acronym for g in groups if g.type == "area"}
    labels = [r.source for r in rfcs if r.source and r.source.strip() not in NON_GROUP_SOURCES]
    suffixes = area_suffixes(labels, [n for g in groups for n in (g.name, *g.aka) if n], areas)
    found = list(_agenda(sightings, areas))
    found += _rfc_labels(rfcs, {a.rfc: a.group for a in attributions if a.group}, suffixes)
    found += _records(group_sources, areas, snapshot_dates)
    for acronym in sorted({s.lower() for s in suffixes} - areas):
        seen = sorted((day, evidence) for _, area, _, day, evidence in found if area == acronym)
        if seen:  # an area only labels name: its earliest RFC is the evidence
            yield GroupRecord(acronym=acronym, type="area", evidence=(seen[0][1],))
    links = list(_links(found))
    yield from links
    parented = {g.acronym for g in groups if g.parent}
    latest: dict[str, AreaLinkRecord] = {}
    for link in links:
        if link.group not in parented and (link.group not in latest or link.last > latest[link.group].last):
            latest[link.group] = link
    for group, link in sorted(latest.items()):
        yield Relation(("group", group), "subOrganizationOf", ("group", link.area), link.evidence[-1:])


def _agenda(sightings: Iterable[ParentSighting], areas: set[str]) -> Iterator[Sighting]:
    for s in sightings:
        if s.parent in areas:
            yield s.group, s.parent, "agenda-parent", s.seen, s.evidence[0] if s.evidence else ""


def _rfc_labels(rfcs: Iterable[RfcRecord], producer: Mapping[int, str], suffixes: frozenset[str]) -> Iterator[Sighting]:
    for rfc in rfcs:
        group = producer.get(rfc.number)
        if group is None or not rfc.published:
            continue
        area = rfc.area.lower() if rfc.area else None
        if area:
            yield group, area, "rfc-index", rfc.published, rfc_json_url(rfc.number)
        label = split_label(rfc.source, suffixes) if rfc.source else None
        if label is not None and label.area:
            yield group, label.area, "rfc-source-suffix", rfc.published, rfc_json_url(rfc.number)


def _records(
    group_sources: Mapping[str, Iterable[GroupRecord]], areas: set[str], snapshot_dates: Mapping[str, str]
) -> Iterator[Sighting]:
    """Parents stated by records that carry no date of their own (the agenda's are dated above)."""
    for source, records in group_sources.items():
        for record in records:
            if record.parent in areas and record.type != "area" and source in snapshot_dates:
                evidence = next((e for e in record.evidence if e.startswith(("http://", "https://"))), "")
                yield record.acronym, record.parent, "group-record", snapshot_dates[source], evidence


def _links(found: Iterable[Sighting]) -> Iterator[AreaLinkRecord]:
    spans: dict[tuple[str, str, str], tuple[date, date, list[str]]] = {}
    for group, area, basis, seen, evidence in found:
        first, last = first_day(seen), last_day(seen)
        old = spans.get((group, area, basis))
        if old is not None:
            first, last = min(first, old[0]), max(last, old[1])
        urls = old[2] if old is not None else []
        if evidence and evidence not in urls:
            urls.append(evidence)
        spans[(group, area, basis)] = (first, last, urls)
    for (group, area, basis), (first, last, urls) in sorted(spans.items()):
        yield AreaLinkRecord(group, area, basis, first, last, tuple(urls))
