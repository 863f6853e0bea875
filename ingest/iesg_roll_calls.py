"""IESG telechat roll calls (``iesg-minutes/roll-calls.jsonl``) -> role history.

Why this source: the 31 roll calls (2006-2025) are the only bundled *dated*
evidence of who held which IESG seat, so they are the basis of role history
(Security ADs Hartman/Housley 2006 ... Cooley/Wouters 2025).

Each attendee or regrets line reads ``Name (Affiliation) / Role text``; see
the source README for the variants this module accepts (no affiliation,
``/ Affiliation /`` instead of brackets, nested brackets, a bracket inside the
name, double spaces, annotations after the role). Role text -> seats:

- ``<X> Area``                -> ``ad`` of that area
- ``IETF Chair, General Area``-> ``chair`` of ``ietf`` *and* ``ad`` of the General
  Area: a comma splits a role text into seats, so ``IETF Secretariat, Narrative
  Scribe`` gives two seats as well
- ``IAB Chair``               -> ``chair`` of ``iab``
- ``IAB/IANA/RFC Editor Liaison``, ``RFC Editor``, ``RFC Series Editor``
                              -> ``liaison`` in ``iesg`` (the label keeps the text)
- staff: ``IETF Secretariat`` -> ``secretariat``, ``Scribe`` -> ``scribe``,
  ``IAD`` -> ``iad``, ``... Executive Director`` -> ``executive-director``, all
  in ``iesg``. They are kept: they sat in the telechat in that capacity, and
  the role slug keeps them apart from the voting members.
- ``incoming ...``            -> no seat: the person attended before being seated.

A regrets line counts as holding the seat (the README: regrets list members
who did not attend). Observers hold no seat and are not read. The two 2008
records list ``Name---mark`` with no roles, so they give no seats and, having
no attendee lists, never break an interval.

Area names -> acronyms come from the caller (``area_acronyms``, folded name ->
acronym, built from other sources' group records). An area no source names
with an acronym (e.g. "Applications Area", "Real-time Applications and
Infrastructure Area") gets ``slug(name)`` and a ``GroupRecord`` of type
``area`` here; acronyms such as "app" or "rai" are never guessed.

Sightings -> intervals: for each (person, group, role, seat kind) the dated
sightings are merged while no *full* roll call (not truncated, has attendee
lists) between two sightings leaves the person out of that seat. Each interval
is one ``RoleRecord`` (basis ``observed``, start/end = first/last sighting).

Errors: ``parse_line`` and ``seats_of`` raise ``ParseError`` on bad input. The
stream functions hand each error to ``on_error`` and skip the line or record,
or re-raise it when ``on_error`` is None (``--strict``). In a truncated record
the last line may be cut off mid-text; it is used only if its role text is
recognised, and otherwise dropped without an error (the README says so).

Pure: input is decoded JSON lines, output is records.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ietfkg.ingest.parsing import OnError, skip_or_raise
from ietfkg.ingest.records import GroupRecord, PersonRecord, RoleRecord, SourceInfo
from ietfkg.schema.errors import ParseError
from ietfkg.schema.vocab import fold, slug

SOURCE = "iesg-roll-calls"
IESG = "iesg"

INFO = SourceInfo(
    name=SOURCE,
    title="IESG telechat roll calls, 2006-2025",
    origin="transcribed from public IESG narrative and formal minutes (each record names its URL)",
    snapshot_date="2025-04-17",
    description="Who sat on the IESG, and for which area, at 31 telechats.",
)

RollCallRecord = PersonRecord | GroupRecord | RoleRecord

# Printed abbreviations -> the full name the same minutes use elsewhere.
_AREA_SPELLINGS = {
    fold("Real-time App. and Infra. Area"): "Real-time Applications and Infrastructure Area",
}

# Non-area seat texts (folded) -> (group, role). Liaisons sit in the IESG; the
# label keeps which liaison it is.
_SEATS: dict[str, tuple[str, str]] = {
    "ietf chair": ("ietf", "chair"),
    "iab chair": ("iab", "chair"),
    "iab liaison": (IESG, "liaison"),
    "iana liaison": (IESG, "liaison"),
    "rfc editor liaison": (IESG, "liaison"),
    "rfc editor": (IESG, "liaison"),
    "rfc series editor": (IESG, "liaison"),
    "ietf secretariat": (IESG, "secretariat"),
    "scribe": (IESG, "scribe"),
    "narrative scribe": (IESG, "scribe"),
    "iad": (IESG, "iad"),
    "ietf executive director": (IESG, "executive-director"),
    "interim llc executive director": (IESG, "executive-director"),
}

_INCOMING = re.compile(r"^incoming\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RollCallLine:
    """One parsed roll-call line. ``role`` is whitespace-normalised, without annotation."""

    name: str
    affiliation: str | None
    role: str
    annotation: str | None = None


@dataclass(frozen=True, slots=True)
class Seat:
    """A seat a role text names. ``kind`` tells seats of the same group and role apart
    (an IANA liaison is not an IAB liaison); ``area_name`` is set for area seats."""

    group: str
    role: str
    kind: str
    area_name: str | None = None
    new_area: bool = False  # no other source names this area: we emit its GroupRecord


@dataclass(frozen=True, slots=True)
class _Sighting:
    key: tuple[str, str, str, str]  # (folded person, group, role, seat kind)
    person: str
    day: date
    url: str
    label: str
    seat: Seat


@dataclass(frozen=True, slots=True)
class _Telechat:
    day: date
    url: str
    full: bool
    seated: frozenset[tuple[str, str, str, str]]


# -- lines ---------------------------------------------------------------------
def parse_line(line: str) -> RollCallLine | None:
    """``"Name (Affiliation) / Role"`` -> ``RollCallLine``; None for a blank line.

    Slashes inside brackets ("Cisco/University of Oregon") do not split.
    Raises ``ParseError`` when there is no role part or no name.
    """
    cleaned = re.sub(r"\s+", " ", line).strip()
    if not cleaned:
        return None
    parts = [p.strip() for p in _split_outside_brackets(cleaned, "/")]
    if len(parts) == 2:
        name, affiliation = _name_and_affiliation(parts[0], line)
    elif len(parts) == 3:  # "Martin Duke / F5 Networks Inc / Transport Area"
        name, affiliation = parts[0], parts[1] or None
    else:
        raise ParseError(
            SOURCE, line, f"expected 'Name (Affiliation) / Role', found {len(parts) - 1} role separators"
        )
    role, annotation = _role_and_annotation(parts[-1])
    if not name or not role:
        raise ParseError(SOURCE, line, "line has an empty name or role")
    return RollCallLine(name=name, affiliation=affiliation, role=role, annotation=annotation)


def seats_of(role: str, area_acronyms: Mapping[str, str]) -> tuple[Seat, ...]:
    """The seats a role text names; ``()`` for a not-yet-seated ``incoming`` AD.

    Raises ``ParseError`` for a role text that names no known seat.
    """
    if _INCOMING.match(role.strip()):
        return ()
    return tuple(_seat(part.strip(), role, area_acronyms) for part in role.split(","))


def area_acronym(area_name: str, area_acronyms: Mapping[str, str]) -> str:
    """The acronym another source gives the area, else ``slug(area_name)`` (never a guess).

    Names are looked up folded, with and without the trailing "Area", because
    sources differ ("Web and Internet Transport" vs "... Transport Area").
    """
    return _known_area(area_name, area_acronyms) or slug(area_name)


def _known_area(area_name: str, area_acronyms: Mapping[str, str]) -> str | None:
    folded = fold(area_name)
    bare = folded.removesuffix(" area")
    for candidate in (folded, bare, bare + " area"):
        if candidate in area_acronyms:
            return area_acronyms[candidate]
    return None


# -- records -------------------------------------------------------------------
def parse_roll_calls(
    records: Iterable[Mapping[str, Any]],
    area_acronyms: Mapping[str, str],
    on_error: OnError | None = None,
) -> Iterator[RollCallRecord]:
    """Persons, then areas no other source names, then one ``RoleRecord`` per interval."""
    telechats: list[_Telechat] = []
    sightings: list[_Sighting] = []
    areas: dict[str, GroupRecord] = {}
    for index, record in enumerate(records):
        try:
            telechat, seen = _read_telechat(record, index, area_acronyms, on_error)
        except ParseError as err:
            skip_or_raise(err, on_error)
            continue
        telechats.append(telechat)
        sightings.extend(seen)
        for sighting in seen:
            if sighting.seat.new_area:
                areas[sighting.seat.group] = _add_area(areas.get(sighting.seat.group), sighting)
    yield from _persons(sightings)
    yield from (areas[key] for key in sorted(areas))
    yield from _intervals(sightings, telechats)


def _read_telechat(
    record: Mapping[str, Any],
    index: int,
    area_acronyms: Mapping[str, str],
    on_error: OnError | None = None,
) -> tuple[_Telechat, list[_Sighting]]:
    """One JSONL record -> the telechat (date, URL, full?, who sat where) and its sightings.

    Raises ``ParseError`` when the record has no usable date or URL; a bad line
    goes to ``on_error`` (or raises) and the rest of the record is still read.
    """
    url, day = _record_url_and_date(record, index)
    truncated = bool(record.get("truncated"))
    lines = _seat_lines(record, url)
    seen: list[_Sighting] = []
    for position, line in enumerate(lines):
        last_of_truncated = truncated and position == len(lines) - 1
        try:
            seen.extend(_line_sightings(line, day, url, area_acronyms))
        except ParseError as err:
            if not last_of_truncated:  # a cut-off last line is expected, not an error
                skip_or_raise(ParseError(SOURCE, f"{url} ({day})", f"{line!r}: {err.reason}"), on_error)
    full = not truncated and bool(record.get("attendees")) and not record.get("roll_call_marks")
    return _Telechat(day, url, full, frozenset(s.key for s in seen)), seen


def _intervals(sightings: Iterable[_Sighting], telechats: Iterable[_Telechat]) -> Iterator[RoleRecord]:
    """Merge each seat's sightings into intervals, broken by full roll calls without it."""
    by_key: dict[tuple[str, str, str, str], list[_Sighting]] = defaultdict(list)
    for sighting in sightings:
        by_key[sighting.key].append(sighting)
    full = sorted((t for t in telechats if t.full), key=lambda t: t.day)
    names = _canonical_names([s for seen in by_key.values() for s in seen])
    out: list[RoleRecord] = []
    for key, seen in by_key.items():
        run: list[_Sighting] = []
        for sighting in sorted({s.day: s for s in seen}.values(), key=lambda s: s.day):
            if run and _absent_between(key, run[-1].day, sighting.day, full):
                out.append(_role_record(run, names[key[0]]))
                run = []
            run.append(sighting)
        out.append(_role_record(run, names[key[0]]))
    yield from sorted(out, key=lambda r: (r.group, r.role, r.start or date.min, fold(r.person)))


# -- helpers: lines ----------------------------------------------------------------
def _split_outside_brackets(text: str, sep: str) -> list[str]:
    parts, depth, current = [], 0, []
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if ch == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _name_and_affiliation(left: str, line: str) -> tuple[str, str | None]:
    """Split off a trailing bracket group; brackets may nest ("Huawei (USA)") and the
    name may hold its own ("Zaheduzzaman (Zahed) Sarker (Ericsson)")."""
    if not left.endswith(")"):
        return left, None
    depth = 0
    for pos in range(len(left) - 1, -1, -1):
        depth += (left[pos] == ")") - (left[pos] == "(")
        if depth == 0:
            return left[:pos].strip(), left[pos + 1 : -1].strip() or None
    raise ParseError(SOURCE, line, "unbalanced brackets around the affiliation")


def _role_and_annotation(role: str) -> tuple[str, str | None]:
    """``"IAB Liaison (WebEx only, not audio)"`` -> ``("IAB Liaison", "WebEx only, not audio")``."""
    match = re.fullmatch(r"(.*?)\s*\(([^()]*)\)", role)
    if match and match.group(1):
        return match.group(1), match.group(2).strip() or None
    return role, None


def _seat(part: str, role: str, area_acronyms: Mapping[str, str]) -> Seat:
    folded = fold(part)
    if folded.endswith(" area"):
        name = _AREA_SPELLINGS.get(folded, part)
        known = _known_area(name, area_acronyms)
        return Seat(known or slug(name), "ad", "ad", area_name=name, new_area=known is None)
    if folded in _SEATS:
        group, role_slug = _SEATS[folded]
        return Seat(group, role_slug, slug(part))
    raise ParseError(SOURCE, role, f"unknown role text {part!r}")


def _line_sightings(line: Any, day: date, url: str, area_acronyms: Mapping[str, str]) -> list[_Sighting]:
    if not isinstance(line, str):
        raise ParseError(SOURCE, url, f"roll-call line is {type(line).__name__}, not text")
    parsed = parse_line(line)
    if parsed is None:
        return []
    person = fold(parsed.name)
    return [
        _Sighting((person, s.group, s.role, s.kind), parsed.name, day, url, parsed.role, s)
        for s in seats_of(parsed.role, area_acronyms)
    ]


# -- helpers: records ------------------------------------------------------------
def _record_url_and_date(record: Any, index: int) -> tuple[str, date]:
    if not isinstance(record, Mapping):
        raise ParseError(SOURCE, f"record {index}", "record is not an object")
    url = record.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ParseError(SOURCE, f"record {index}", "record has no url")
    try:
        return url.strip(), date.fromisoformat(str(record.get("date")))
    except ValueError:
        raise ParseError(SOURCE, url, f"date {record.get('date')!r} is not YYYY-MM-DD") from None


def _seat_lines(record: Mapping[str, Any], url: str) -> list[Any]:
    lines: list[Any] = []
    for section in ("attendees", "regrets"):
        value = record.get(section) or []
        if not isinstance(value, list):
            raise ParseError(SOURCE, url, f"{section} is not a list")
        lines.extend(value)
    return lines


def _add_area(old: GroupRecord | None, sighting: _Sighting) -> GroupRecord:
    """An area only the minutes name: its name as printed, the minutes as evidence."""
    evidence = (*old.evidence, sighting.url) if old else (sighting.url,)
    return GroupRecord(
        acronym=sighting.seat.group,
        name=sighting.seat.area_name,
        type="area",
        evidence=tuple(dict.fromkeys(evidence)),
    )


def _persons(sightings: list[_Sighting]) -> Iterator[PersonRecord]:
    """One person per folded name, named by the spelling printed most often (ties: latest)."""
    names = _canonical_names(sightings)
    urls: dict[str, dict[str, None]] = defaultdict(dict)
    for s in sorted(sightings, key=lambda s: s.day):
        urls[s.key[0]][s.url] = None
    for key in sorted(names):
        yield PersonRecord(name=names[key], evidence=tuple(urls[key]))


def _canonical_names(sightings: list[_Sighting]) -> dict[str, str]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    latest: dict[tuple[str, str], date] = {}
    for s in sightings:
        counts[s.key[0]][s.person] += 1
        latest[(s.key[0], s.person)] = max(latest.get((s.key[0], s.person), s.day), s.day)
    return {
        key: max(spellings, key=lambda name: (spellings[name], latest[(key, name)]))
        for key, spellings in counts.items()
    }


def _absent_between(key: tuple[str, str, str, str], after: date, before: date, full: list[_Telechat]) -> bool:
    return any(after < t.day < before and key not in t.seated for t in full)


def _role_record(run: list[_Sighting], person: str) -> RoleRecord:
    first = run[0]
    _, group, role, _ = first.key
    return RoleRecord(
        person=person,
        group=group,
        role=role,
        start=first.day,
        end=run[-1].day,
        basis="observed",
        observed=tuple(s.day for s in run),
        label=first.label,
        evidence=tuple(dict.fromkeys(s.url for s in run)),
    )

