"""Sanity rules on parsed records: what a source gets wrong is left out and reported, never passed on.

The rules (their SHACL twins in ``schema/shapes.ttl`` check the built graph):

* no date after the source's own snapshot date: a source cannot have seen it
  (RFC 9419's ``pub_date`` is "July 2026" in RFC Editor JSON copied on 2024-01-06);
  the value is left out of the record, and a curated correction (``corrections``)
  may state the right one, with its evidence, in a graph of its own;
* an issued RFC with no publication date (thirteen RFCs 8694-8998 carry the
  placeholder "January 1970") is reported: there is no value to keep;
* one preferred label per entity: when sources name a group or protocol
  differently, the newest source's name is the ``skos:prefLabel`` and the others
  become ``skos:altLabel``s, each reported.

NOT ISSUED numbers are kept apart by the mapping (``ietf:UnissuedNumber``), not here.
Every finding names the rule, the source, the entity, the field, the value and what
was done with it; the build summary lists them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from ietfkg.ingest.records import (
    CorrectionRecord,
    GroupRecord,
    MeetingRecord,
    ProtocolRecord,
    Record,
    RfcRecord,
    RoleRecord,
    SourceInfo,
)
from ietfkg.schema.errors import ParseError

NOT_ISSUED = "NOT ISSUED"
LEFT_OUT = "left out"
CORRECTED = "corrected"
REPORTED = "reported"
ALT_LABEL = "kept as altLabel"


@dataclass(frozen=True, slots=True)
class Finding:
    """A value a sanity rule caught, and what the build did with it."""

    rule: str
    source: str
    subject: tuple[str, str]  # (kind, key), as in records.Relation
    field: str
    value: str | None
    action: str  # LEFT_OUT | CORRECTED | REPORTED | ALT_LABEL
    detail: str

    def __str__(self) -> str:
        kind, key = self.subject
        value = "no value" if self.value is None else repr(self.value)
        return f"{self.source}: {kind} {key} {self.field} {value}: {self.rule}; {self.action} ({self.detail})"


def after(value: str, bound: str) -> bool:
    """Is the partial ISO date ``value`` later than ``bound``, compared at ``bound``'s precision?

    >>> after("2026-07", "2024-01-06"), after("2023-07", "2023-07-15"), after("2024-02-10", "2024-02")
    (True, False, False)
    """
    return value[: len(bound)] > bound


# -- no date after the snapshot ------------------------------------------------------
def without_late_dates(records: Iterable[Record], info: SourceInfo) -> tuple[list[Record], list[Finding]]:
    """The records with every date later than ``info.snapshot_date`` left out, and a finding for each."""
    kept: list[Record] = []
    findings: list[Finding] = []
    for record in records:
        late = _late_fields(record, info.snapshot_date)
        for field, value in late.items():
            findings.append(
                Finding(
                    "date after the source's snapshot date",
                    info.name,
                    subject_of(record),
                    field,
                    value,
                    LEFT_OUT,
                    f"snapshot of {info.snapshot_date}",
                )
            )
        kept.append(_without(record, late, info.snapshot_date) if late else record)
    return kept, findings


def _late_fields(record: Record, bound: str) -> dict[str, str]:
    """Field -> value (ISO) of each date in ``record`` later than ``bound``."""
    late = {field: value for field, value in _dates(record).items() if value is not None and after(value, bound)}
    if isinstance(record, RoleRecord):
        seen = [d.isoformat() for d in record.observed if after(d.isoformat(), bound)]
        if seen:
            late["observed"] = ", ".join(seen)
    return late


def _dates(record: Record) -> dict[str, str | None]:
    if isinstance(record, RfcRecord):
        return {"published": record.published}
    if isinstance(record, GroupRecord):
        return {"opened": record.opened, "closed": record.closed, "state_as_of": record.state_as_of}
    if isinstance(record, RoleRecord):
        return {"start": _iso(record.start), "end": _iso(record.end)}
    if isinstance(record, MeetingRecord):  # a meeting's dates in a list copied before it: a plan, not a sighting
        return {"start": record.start, "end": record.end}
    return {}


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _without(record: Record, late: Mapping[str, str], bound: str) -> Record:
    changes: dict[str, object] = {field: None for field in late if field != "observed"}
    if "observed" in late and isinstance(record, RoleRecord):
        changes["observed"] = tuple(d for d in record.observed if not after(d.isoformat(), bound))
    return replace(record, **changes)  # type: ignore[type-var]


def subject_of(record: Record) -> tuple[str, str]:
    if isinstance(record, RfcRecord):
        return "rfc", str(record.number)
    if isinstance(record, (GroupRecord, ProtocolRecord)):
        return ("group" if isinstance(record, GroupRecord) else "protocol"), record.acronym
    if isinstance(record, RoleRecord):
        return "role", f"{record.group}/{record.role}/{record.person}"
    if isinstance(record, MeetingRecord):
        return "meeting", str(record.number)
    return type(record).__name__, "?"


# -- issued RFCs with no date ---------------------------------------------------------
def undated_rfcs(records: Iterable[Record], info: SourceInfo) -> list[Finding]:
    return [
        Finding(
            "issued RFC with no publication date",
            info.name,
            ("rfc", str(r.number)),
            "published",
            None,
            REPORTED,
            "the source gives none, or a placeholder (\"January 1970\")",
        )
        for r in records
        if isinstance(r, RfcRecord) and r.status != NOT_ISSUED and r.published is None
    ]


# -- corrections ------------------------------------------------------------------------
def apply_corrections(
    corrections: Iterable[CorrectionRecord], findings: list[Finding]
) -> tuple[list[CorrectionRecord], list[Finding], list[ParseError]]:
    """Corrections of values a rule left out, the findings marked corrected, and an error for each
    correction of a value no rule left out (it would give the entity two values)."""
    left_out = {(f.source, f.subject, f.field): i for i, f in enumerate(findings) if f.action == LEFT_OUT}
    marked = list(findings)
    kept: list[CorrectionRecord] = []
    errors: list[ParseError] = []
    for correction in corrections:
        index = left_out.get((correction.source, correction.subject, correction.field))
        if index is None:
            kind, key = correction.subject
            errors.append(ParseError(
                "corrections", f"{kind} {key} {correction.field}",
                f"no sanity rule left this {correction.source} value out: nothing to correct",
            ))
            continue
        kept.append(correction)
        marked[index] = replace(
            marked[index], action=CORRECTED, detail=f"{marked[index].detail}; now {correction.value!r} per {correction.evidence[0]}"
        )
    return kept, marked, errors


# -- one preferred label -------------------------------------------------------------
Named = GroupRecord | ProtocolRecord


def one_preferred_label(parsed: dict[str, list[Record]], infos: Mapping[str, SourceInfo]) -> list[Finding]:
    """Give each group and protocol one name: the newest source's (first record of it); every
    other name becomes an alias. ``parsed`` is changed in place; a finding per demoted name."""
    names: dict[tuple[str, str], list[tuple[str, str]]] = {}  # subject -> [(source, name)], build order
    for source, records in parsed.items():
        for record in records:
            if isinstance(record, (GroupRecord, ProtocolRecord)) and record.name:
                names.setdefault(subject_of(record), []).append((source, record.name))
    order = list(parsed)
    chosen: dict[tuple[str, str], tuple[str, str]] = {}
    for subject, given in names.items():
        if len({name for _, name in given}) > 1:
            # newest snapshot first; among equals, the earlier source in build order
            chosen[subject] = min(given, key=lambda g: (_negated(infos[g[0]].snapshot_date), order.index(g[0])))
    findings: list[Finding] = []
    for source, records in parsed.items():
        for i, record in enumerate(records):
            if not isinstance(record, (GroupRecord, ProtocolRecord)) or not record.name:
                continue
            subject = subject_of(record)
            winner = chosen.get(subject)
            if winner is None or record.name == winner[1]:
                continue
            aka = tuple(dict.fromkeys((*record.aka, record.name)))
            records[i] = replace(record, name=None, aka=aka)
            findings.append(Finding(
                "one preferred label per entity", source, subject, "name", record.name, ALT_LABEL,
                f"the preferred label is {winner[1]!r}, from {winner[0]} (snapshot {infos[winner[0]].snapshot_date})",
            ))
    return findings


def _negated(iso: str) -> tuple[int, ...]:
    """Sort key putting later partial dates first."""
    return tuple(-int(part) for part in iso.split("-"))
