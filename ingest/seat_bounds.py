"""Dated evidence about one seat -> tenures with certain and possible bounds.

A source that samples a body on some days (the IESG roll calls) says, for each
person and seat, on each of those days: *held* (a line shows the person in the
seat), *not held* (the roll call lists everyone and leaves the person out, or
lists them in another seat or as "incoming" to this one) or nothing (a cut-off
list, a mark whose seat is not known). Between two sampled days it says nothing.

So a tenure is a run of *held* days with no *not held* day inside it:

- its **certain** bounds are the first and last *held* day (``start``/``end``);
- its **possible** bounds are the days next to the nearest *not held* days on
  either side (``possible-start`` is the day after, ``possible-end`` the day
  before), or the source's own first/last day when there is none (basis
  ``source-range``: the source cannot speak beyond it).

Every bound keeps the record it rests on (day, URL, the line as printed), so
"who held the seat on D" can answer *certain* or *possible* with the reason.

Pure and source-agnostic: input is events in any order, output is tenures.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from ietfkg.ingest.records import Bound

HELD_BASES = frozenset({"present", "regrets", "mark", "cut-off-text"})
NOT_HELD_BASES = frozenset({"absent", "other-seat", "incoming"})


@dataclass(frozen=True, slots=True)
class Event:
    """What one record says about one seat on one day: ``basis`` in HELD_BASES or NOT_HELD_BASES."""

    seat: Hashable
    day: date
    basis: str
    evidence: str
    line: str | None = None

    @property
    def held(self) -> bool:
        return self.basis in HELD_BASES


@dataclass(frozen=True, slots=True)
class SourceRange:
    """The first and last day a source samples, with the record of each."""

    first: date
    first_evidence: str
    last: date
    last_evidence: str


@dataclass(frozen=True, slots=True)
class Tenure:
    seat: Hashable
    sightings: tuple[Event, ...]
    bounds: tuple[Bound, ...]  # start, end, possible-start, possible-end


def tenures(events: Iterable[Event], source: SourceRange) -> Iterator[Tenure]:
    """One tenure per run of *held* days; a *not held* day ends a run and bounds its neighbours."""
    by_seat: dict[Hashable, list[Event]] = {}
    for event in events:
        if event.basis not in HELD_BASES | NOT_HELD_BASES:
            raise ValueError(f"unknown basis {event.basis!r}")
        by_seat.setdefault(event.seat, []).append(event)
    for seat, seen in by_seat.items():
        yield from _runs(seat, sorted(seen, key=lambda e: (e.day, not e.held)), source)


def _runs(seat: Hashable, events: list[Event], source: SourceRange) -> Iterator[Tenure]:
    before: Event | None = None
    run: list[Event] = []
    for event in events:
        if event.held:
            if not run or run[-1].day != event.day:  # one sighting per day
                run.append(event)
            continue
        if run and event.day > run[-1].day:
            yield _tenure(seat, run, before, event, source)
            run = []
        if not run:
            before = event
    if run:
        yield _tenure(seat, run, before, None, source)


def _tenure(seat: Hashable, run: list[Event], before: Event | None, after: Event | None, source: SourceRange) -> Tenure:
    first, last = run[0], run[-1]
    bounds = (
        Bound("start", first.day, first.basis, first.day, first.evidence, first.line),
        Bound("end", last.day, last.basis, last.day, last.evidence, last.line),
        _possible("possible-start", before, source.first, source.first_evidence),
        _possible("possible-end", after, source.last, source.last_evidence),
    )
    return Tenure(seat, tuple(run), bounds)


def _possible(edge: str, outside: Event | None, edge_day: date, edge_evidence: str) -> Bound:
    if outside is None:
        return Bound(edge, edge_day, "source-range", edge_day, edge_evidence)
    step = timedelta(days=1 if edge == "possible-start" else -1)
    return Bound(edge, outside.day + step, outside.basis, outside.day, outside.evidence, outside.line)
