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
- ``incoming ...``            -> the seat to come: the person attended before being
  seated, so the line shows them *not* in that seat yet (it bounds the start).

Every line is a sighting of one kind: ``present`` (ATTENDEES), ``regrets``
(REGRETS: the README says regrets list members who did not attend, so they hold
the seat), ``incoming``, ``cut-off-text`` (the last line of a truncated record,
its role text matched by unique prefix among the role texts the file prints:
"Operations and Ma" -> "Operations and Management Area") and ``mark`` (the two
2008 records list ``Name---mark`` with no roles). A mark stands for the seats
the nearest roll calls with roles give the person (``mark_seats``); where they
do not settle it, the mark names no seat and is kept on the person only.
Observers hold no seat and are not read.

Area names -> acronyms come from the caller (``area_acronyms``, folded name ->
acronym, built from other sources' group records). An area no source names
with an acronym (e.g. "Applications Area", "Real-time Applications and
Infrastructure Area") gets ``slug(name)`` and a ``GroupRecord`` of type
``area`` here; acronyms such as "app" or "rai" are never guessed.

Sightings -> tenures (``seat_bounds``): for each (person, group, role, seat kind)
each roll call says *held*, *not held* (a complete list without the person:
``absent``; the person in another seat: ``other-seat``; ``incoming`` to it) or
nothing (a truncated list without them, a mark without a seat). A tenure is a run
of *held* days; its certain bounds are the first and last sighting, its possible
bounds the days next to the nearest *not held* roll calls, or the file's first and
last day (``source-range``). Each tenure is one ``RoleRecord`` (basis ``observed``,
start/end = first/last sighting, ``bounds`` with the basis, URL and line of each).

Errors: ``parse_line`` and ``seats_of`` raise ``ParseError`` on bad input. The
stream functions hand each error to ``on_error`` and skip the line or record,
or re-raise it when ``on_error`` is None (``--strict``). In a truncated record
the last line may be cut off mid-text; it is used if its role text is recognised
or is the start of exactly one role text the file prints, and otherwise dropped
without an error (the README says so).

Pure: input is decoded JSON lines, output is records.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ietfkg.ingest.parsing import OnError, skip_or_raise
from ietfkg.ingest.records import GroupRecord, PersonRecord, RoleRecord, SourceInfo
from ietfkg.ingest.seat_bounds import Event, SourceRange, Tenure, tenures
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


SeatKey = tuple[str, str, str, str]  # (folded person, group, role, seat kind)


@dataclass(frozen=True, slots=True)
class _Line:
    """One roll-call line: who, in which seats, and the kind of sighting.

    ``kind``: ``present``/``regrets`` (the section), ``incoming`` (``seats`` are the
    seats to come), ``cut-off-text`` (the role text matched by unique prefix) or
    ``mark`` (2008; ``seats`` filled in from the neighbouring roll calls).
    """

    person: str  # folded
    printed: str
    day: date
    url: str
    raw: str
    kind: str
    seats: tuple[Seat, ...]
    role: str | None  # role text, whitespace-normalised, without annotation


@dataclass(frozen=True, slots=True)
class _Telechat:
    day: date
    url: str
    complete: bool  # the lists name everyone on the roll call (not truncated)
    lines: tuple[_Line, ...]


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
    """The seats a role text names; for ``incoming ...`` the seats to come.

    Raises ``ParseError`` for a role text that names no known seat.
    """
    bare = _INCOMING.sub("", role.strip()).strip()
    return tuple(_seat(part.strip(), role, area_acronyms) for part in bare.split(","))


def is_incoming(role: str) -> bool:
    """``incoming Security Area``: the person attends before taking the seat."""
    return bool(_INCOMING.match(role.strip()))


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
    """Persons, then areas no other source names, then one ``RoleRecord`` per tenure."""
    docs = list(records)
    known = _known_role_texts(docs)
    telechats: list[_Telechat] = []
    for index, record in enumerate(docs):
        try:
            telechats.append(_read_telechat(record, index, area_acronyms, known, on_error))
        except ParseError as err:
            skip_or_raise(err, on_error)
    telechats = _with_marks_seated(sorted(telechats, key=lambda t: t.day))
    lines = [line for t in telechats for line in t.lines]
    yield from _persons(lines)
    yield from _areas(lines)
    if telechats:
        yield from _role_records(telechats, _canonical_names(lines))


def _read_telechat(
    record: Mapping[str, Any],
    index: int,
    area_acronyms: Mapping[str, str],
    known: Sequence[str],
    on_error: OnError | None = None,
) -> _Telechat:
    """One JSONL record -> the telechat (date, URL, complete list?) and its lines.

    Raises ``ParseError`` when the record has no usable date or URL; a bad line
    goes to ``on_error`` (or raises) and the rest of the record is still read.
    """
    url, day = _record_url_and_date(record, index)
    truncated = bool(record.get("truncated"))
    sections = _seat_lines(record, url)
    last = len(sections) - 1
    lines: list[_Line] = []
    for position, (section, raw) in enumerate(sections):
        cut_off = truncated and position == last
        try:
            line = _read_line(section, raw, day, url, area_acronyms, known if cut_off else ())
        except ParseError as err:
            if not cut_off:  # a cut-off last line that matches no role text is expected, not an error
                skip_or_raise(ParseError(SOURCE, f"{url} ({day})", f"{raw!r}: {err.reason}"), on_error)
            continue
        if line is not None:
            lines.append(line)
    complete = not truncated and bool(lines)
    return _Telechat(day, url, complete, tuple(lines))


def _read_line(
    section: str, raw: Any, day: date, url: str, area_acronyms: Mapping[str, str], cut_off_texts: Sequence[str]
) -> _Line | None:
    """A roll-call line -> who, which seats, and what kind of sighting it is.

    ``cut_off_texts`` (only for the last line of a truncated record) are the full
    role texts a cut-off text may be the start of; a unique match is used.
    """
    if not isinstance(raw, str):
        raise ParseError(SOURCE, url, f"roll-call line is {type(raw).__name__}, not text")
    if section == "marks":
        return _mark_line(raw, day, url)
    parsed = parse_line(raw)
    if parsed is None:
        return None
    role, kind = parsed.role, "regrets" if section == "regrets" else "present"
    try:
        seats = seats_of(role, area_acronyms)
    except ParseError:
        full = complete_role_text(role, cut_off_texts)
        if full is None:
            raise
        role, kind, seats = full, "cut-off-text", seats_of(full, area_acronyms)
    if is_incoming(role):
        kind = "incoming"
    return _Line(fold(parsed.name), parsed.name, day, url, raw, kind, seats, role)


def _mark_line(raw: str, day: date, url: str) -> _Line:
    """``"Tim Polk---y"``: the person is on the roll call; which seat is settled later."""
    name, sep, _mark = raw.partition("---")
    name = re.sub(r"\s+", " ", name).strip()
    if not sep or not name:
        raise ParseError(SOURCE, url, f"roll-call mark {raw!r} is not 'Name---mark'")
    return _Line(fold(name), name, day, url, raw, "mark", (), None)


def complete_role_text(cut: str, texts: Sequence[str]) -> str | None:
    """The one role text in ``texts`` that the cut-off ``cut`` is the start of, else None.

    >>> complete_role_text("Operations and Ma", ["Operations and Management Area", "Security Area"])
    'Operations and Management Area'
    >>> complete_role_text("Incoming", ["Incoming Security Area", "Incoming Routing Area"]) is None
    True
    """
    start = fold(cut)
    matches = {fold(t): t for t in texts if fold(t).startswith(start) and fold(t) != start}
    return next(iter(matches.values())) if len(matches) == 1 else None


def _known_role_texts(records: Sequence[Any]) -> list[str]:
    """Every role text printed in a complete line of the file, whitespace-normalised."""
    texts: dict[str, None] = {}
    for record in records:
        if not isinstance(record, Mapping) or record.get("truncated"):
            continue
        for section in ("attendees", "regrets"):
            for raw in record.get(section) or []:
                try:
                    parsed = parse_line(raw) if isinstance(raw, str) else None
                except ParseError:
                    continue
                if parsed is not None:
                    texts[parsed.role] = None
    return list(texts)


# -- 2008 marks ----------------------------------------------------------------
def _with_marks_seated(telechats: list[_Telechat]) -> list[_Telechat]:
    """Give each mark the seats of its neighbours, where they settle it (see ``mark_seats``)."""
    named = [t for t in telechats if not _is_marks(t)]
    out = []
    for telechat in telechats:
        if not _is_marks(telechat):
            out.append(telechat)
            continue
        before = next((t for t in reversed(named) if t.day < telechat.day), None)
        after = next((t for t in named if t.day > telechat.day), None)
        lines = tuple(
            replace(line, seats=mark_seats(line.person, before, after)) for line in telechat.lines
        )
        out.append(replace(telechat, lines=lines))
    return out


def mark_seats(person: str, before: _Telechat | None, after: _Telechat | None) -> tuple[Seat, ...]:
    """The seats a mark of ``person`` stands for: those the nearest roll calls with roles give.

    Settled when both neighbours list the person in the same seats ("incoming" to a
    seat counts before the mark, not after), or one lists them and the other is a
    complete list without them. Otherwise () : the mark keeps the person on the roll
    call but names no seat (Russ Housley in 2008: Security AD in 2007, IETF Chair in 2011).
    """
    seen_before = _seats_on(person, before, incoming=True)
    seen_after = _seats_on(person, after, incoming=False)
    if seen_before and seen_after:
        return seen_before if set(seen_before) == set(seen_after) else ()
    if seen_before and after is not None and after.complete and not _listed(person, after):
        return seen_before
    if seen_after and before is not None and before.complete and not _listed(person, before):
        return seen_after
    return ()


def _seats_on(person: str, telechat: _Telechat | None, incoming: bool) -> tuple[Seat, ...]:
    if telechat is None:
        return ()
    return tuple(
        seat
        for line in telechat.lines
        if line.person == person and (line.kind != "incoming" or incoming)
        for seat in line.seats
    )


def _listed(person: str, telechat: _Telechat) -> bool:
    return any(line.person == person for line in telechat.lines)


def _is_marks(telechat: _Telechat) -> bool:
    return any(line.kind == "mark" for line in telechat.lines)


# -- tenures -------------------------------------------------------------------
def _role_records(telechats: list[_Telechat], names: Mapping[str, str]) -> Iterator[RoleRecord]:
    source = SourceRange(telechats[0].day, telechats[0].url, telechats[-1].day, telechats[-1].url)
    labels = _labels([line for t in telechats for line in t.lines])
    out = [_role_record(tenure, names, labels) for tenure in tenures(_events(telechats), source)]
    yield from sorted(out, key=lambda r: (r.group, r.role, r.start or date.min, fold(r.person)))


def _events(telechats: list[_Telechat]) -> Iterator[Event]:
    """What each roll call says about each seat anyone ever held or came in to."""
    seats_of_person: dict[str, dict[SeatKey, Seat]] = defaultdict(dict)
    for line in (line for t in telechats for line in t.lines):
        for seat in line.seats:
            seats_of_person[line.person][_key(line.person, seat)] = seat
    for telechat in telechats:
        for person, seats in seats_of_person.items():
            yield from _events_on(telechat, person, seats)


def _events_on(telechat: _Telechat, person: str, seats: Mapping[SeatKey, Seat]) -> Iterator[Event]:
    lines = [line for line in telechat.lines if line.person == person]
    if any(line.kind == "mark" and not line.seats for line in lines):
        return  # on the roll call, seat unknown: neither held nor not held
    for key in seats:
        holding = [line for line in lines if line.kind != "incoming" and _holds(line, key)]
        coming = [line for line in lines if line.kind == "incoming" and _holds(line, key)]
        if holding:
            yield Event(key, telechat.day, holding[0].kind, telechat.url, holding[0].raw)
        elif coming:
            yield Event(key, telechat.day, "incoming", telechat.url, coming[0].raw)
        elif lines:
            yield Event(key, telechat.day, "other-seat", telechat.url, lines[0].raw)
        elif telechat.complete:
            yield Event(key, telechat.day, "absent", telechat.url)


def _holds(line: _Line, key: SeatKey) -> bool:
    return any(_key(line.person, seat) == key for seat in line.seats)


def _key(person: str, seat: Seat) -> SeatKey:
    return (person, seat.group, seat.role, seat.kind)


def _labels(lines: Iterable[_Line]) -> dict[tuple[SeatKey, date | None], str]:
    """(seat, day) -> the role text printed for it that day; (seat, None) -> the seat's name.

    A mark prints no role, so a tenure seen only in marks is labelled by the seat
    (area name, or the text a line gave it), never by an "incoming" text.
    """
    labels: dict[tuple[SeatKey, date | None], str] = {}
    for line in lines:
        for seat in line.seats:
            key = _key(line.person, seat)
            if line.role and line.kind != "incoming":
                labels.setdefault((key, line.day), line.role)
            labels.setdefault((key, None), seat.area_name or seat.kind)
    return labels


def _role_record(
    tenure: Tenure, names: Mapping[str, str], labels: Mapping[tuple[SeatKey, date | None], str]
) -> RoleRecord:
    person, group, role, _ = tenure.seat  # type: ignore[misc]
    seen = tenure.sightings
    key = tenure.seat
    label = next((labels[(key, s.day)] for s in seen if (key, s.day) in labels), labels.get((key, None)))
    return RoleRecord(
        person=names[person],
        group=group,
        role=role,
        start=seen[0].day,
        end=seen[-1].day,
        basis="observed",
        observed=tuple(s.day for s in seen),
        label=label,
        evidence=tuple(dict.fromkeys(s.evidence for s in seen)),
        bounds=tenure.bounds,
    )


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


def _seat_lines(record: Mapping[str, Any], url: str) -> list[tuple[str, Any]]:
    """(section, line) for every attendee, regrets and 2008 mark line, in page order."""
    lines: list[tuple[str, Any]] = []
    for section, field in (("attendees", "attendees"), ("regrets", "regrets"), ("marks", "roll_call_marks")):
        value = record.get(field) or []
        if not isinstance(value, list):
            raise ParseError(SOURCE, url, f"{field} is not a list")
        lines.extend((section, line) for line in value)
    return lines


def _areas(lines: Iterable[_Line]) -> Iterator[GroupRecord]:
    """Areas only the minutes name: their name as printed, the minutes naming them as evidence."""
    found: dict[str, tuple[str, dict[str, None]]] = {}
    for line in sorted(lines, key=lambda line: line.day):
        for seat in line.seats:
            if seat.new_area and seat.area_name:
                found.setdefault(seat.group, (seat.area_name, {}))[1][line.url] = None
    for acronym in sorted(found):
        name, urls = found[acronym]
        yield GroupRecord(acronym=acronym, name=name, type="area", evidence=tuple(urls))


def _persons(lines: list[_Line]) -> Iterator[PersonRecord]:
    """One person per folded name, named by the spelling printed most often (ties: latest)."""
    names = _canonical_names(lines)
    urls: dict[str, dict[str, None]] = defaultdict(dict)
    for line in sorted(lines, key=lambda line: line.day):
        urls[line.person][line.url] = None
    for key in sorted(names):
        yield PersonRecord(name=names[key], evidence=tuple(urls[key]))


def _canonical_names(lines: list[_Line]) -> dict[str, str]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    latest: dict[tuple[str, str], date] = {}
    for line in lines:
        counts[line.person][line.printed] += 1
        latest[(line.person, line.printed)] = max(latest.get((line.person, line.printed), line.day), line.day)
    return {
        key: max(spellings, key=lambda name: (spellings[name], latest[(key, name)]))
        for key, spellings in counts.items()
    }
