"""The area map through time: which areas, which groups under which area, and which Area
Directors seated, on a day or over an IETF meeting.

``timeline`` reads the dated facts once (blocking, over a ``Backend``): every group's
``ietf:AreaLink`` (an area per kind of evidence, from the first to the last sighting), the
groups a source states as opened and closed (under their parent), every
AD seat (``ad_seats``, the one reader of seats: certain bounds, and possible ones where the
graph has them) and the meetings. ``snapshot`` cuts it at a span, in the shape ``area_map``
gives (nodes, links, projection), so ``/viz``, ``/viz/map.json`` and ``ietfkg viz --at`` draw
one answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ietfkg.graph.area_map import link, node, rows
from ietfkg.graph.backends import Backend
from ietfkg.schema.errors import RequestError
from ietfkg.schema.partial_dates import first_day, last_day
from ietfkg.schema.vocab import Iris

# When two kinds of evidence place a group in different areas on one day, the first wins: a
# source stating when the group opened and closed (under its parent: IAB programs); a session
# under its parent is seen on its day; an RFC label gives the area the RFC Editor
# last recorded, which can be later than the RFC (ingest/areas.py).
BASIS_ORDER = ("opened-closed", "agenda-parent", "rfc-index", "group-record", "rfc-source-suffix")


@dataclass(frozen=True, slots=True)
class Span:
    """From ``start`` to ``end``, both ISO dates, inclusive."""

    start: str
    end: str

    def overlaps(self, other: Span) -> bool:
        return self.start <= other.end and other.start <= self.end


@dataclass(frozen=True, slots=True)
class Placement:
    group: dict[str, Any]  # the drawn node, without its area
    area: str
    basis: str
    span: Span


@dataclass(frozen=True, slots=True)
class Seat:
    person: str
    name: str
    area: str
    certain: Span | None  # the days a source shows the seat held
    possible: Span  # the widest the sources allow (the certain span where the graph has no more)
    basis: str | None
    page: str | None


@dataclass(frozen=True, slots=True)
class Timeline:
    areas: dict[str, dict[str, Any]]
    placements: tuple[Placement, ...]
    seats: tuple[Seat, ...]
    meetings: dict[int, Span]


def parse_day(text: str) -> str:
    """An ISO date (``2015-06-01``), or a clear error."""
    try:
        return date.fromisoformat(text).isoformat()
    except (TypeError, ValueError):
        raise RequestError(f"not a date: {text!r} (expected YYYY-MM-DD, e.g. 2015-06-01)") from None


def _span(start: str | None, end: str | None) -> Span | None:
    if start is None and end is None:
        return None
    return Span(start or end, end or start)  # type: ignore[arg-type]


def ad_seats(backend: Backend, base: str) -> list[Seat]:
    """Every AD seat in an area, with its certain and possible bounds."""
    seats = []
    for _, person, name, area, start, end, possible_start, possible_end, basis in rows(backend, "viz_ad_seats"):
        certain = _span(start, end)
        possible = _span(possible_start or start, possible_end or end)
        if possible is not None:
            seats.append(Seat(person, name or person, area, certain, possible, basis, Iris(base).page_path(person)))  # type: ignore[arg-type]
    return seats


def timeline(backend: Backend, base: str) -> Timeline:
    """The dated facts of the area map, read once."""
    areas = {
        area: node(area, types, base, notation=notation, name=label, area=area)
        for area, types, notation, label in rows(backend, "viz_areas")
    }
    placements = tuple(
        Placement(node(group, types, base, notation=notation, name=label, state=state), area, basis, Span(first, last))
        for group, types, notation, label, state, area, basis, first, last in rows(backend, "viz_area_links")
        if area in areas
    )
    stated = tuple(
        Placement(node(group, types, base, notation=notation, name=label, state=state), area, "opened-closed",
                  Span(first_day(opened).isoformat(), last_day(closed).isoformat()))
        for group, types, notation, label, state, area, opened, closed in rows(backend, "viz_group_spans")
        if area in areas
    )
    meetings = {int(n): Span(b, e) for n, b, e in rows(backend, "viz_meetings")}
    return Timeline(areas, placements + stated, tuple(ad_seats(backend, base)), meetings)


def meeting_span(timeline: Timeline, number: int) -> Span:
    span = timeline.meetings.get(number)
    if span is None:
        known = f"IETF {min(timeline.meetings)} to {max(timeline.meetings)}" if timeline.meetings else "none"
        raise RequestError(f"no IETF {number} in the graph (meetings known: {known})")
    return span


def snapshot(timeline: Timeline, span: Span) -> dict[str, Any]:
    """The areas, the groups in an area during ``span`` (each under one area, by ``BASIS_ORDER``)
    and the ADs seated then (``certainty`` certain, or possible only), as the area map's shape."""
    placed: dict[str, Placement] = {}
    for p in timeline.placements:
        if p.span.overlaps(span):
            old = placed.get(p.group["id"])
            if old is None or BASIS_ORDER.index(p.basis) < BASIS_ORDER.index(old.basis):
                placed[p.group["id"]] = p
    seated: dict[tuple[str, str], tuple[Seat, str]] = {}
    for s in timeline.seats:
        certainty = "certain" if s.certain and s.certain.overlaps(span) else "possible" if s.possible.overlaps(span) else None
        if certainty and (seated.get((s.person, s.area), (None, "possible"))[1] == "possible"):
            seated[(s.person, s.area)] = (s, certainty)
    area_ids = sorted({p.area for p in placed.values()} | {a for _, a in seated}, key=lambda a: timeline.areas[a]["label"])
    nodes = [timeline.areas[a] for a in area_ids]
    links = []
    for p in sorted(placed.values(), key=lambda p: (p.area, p.group["label"].lower())):
        nodes.append({**p.group, "area": p.area, "basis": p.basis, "first": p.span.start, "last": p.span.end})
        links.append(link(p.group["id"], p.area, "inArea", basis=p.basis))
    people: dict[str, dict[str, Any]] = {}
    for (person, area), (s, certainty) in sorted(seated.items(), key=lambda kv: (kv[0][1], kv[1][0].name)):
        shown = s.certain if certainty == "certain" else s.possible
        people.setdefault(person, {"id": person, "kind": "person", "label": s.name, "page": s.page, "area": area,
                                   "certainty": certainty, "start": shown.start, "end": shown.end})  # type: ignore[union-attr]
        links.append(link(person, area, "role:ad", certainty=certainty))
    nodes += people.values()
    return {"at": {"from": span.start, "to": span.end}, "nodes": nodes, "links": links, "projection": []}
