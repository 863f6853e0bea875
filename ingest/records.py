"""Plain, typed records that parsers yield and ``mapping.py`` turns into triples.

Every record carries ``evidence``: the URL(s) or bundled-file locators that state
the fact, so provenance survives into the graph. ``None`` means absent, never "".
Partial dates (``"2020"``, ``"2022-09"``, ``"2022-09-14"``) stay strings; the
mapping picks the matching XSD type so no precision is invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class GroupRecord:
    """An IETF/IRTF/IAB group: area, WG, RG, directorate, BoF, program, body.

    ``type`` is the Datatracker group-type slug (``area``, ``wg``, ``rg``, ``ag``,
    ``rag``, ``dir``, ``team``, ``program``, ``iabasg``, ``ietf``, ``irtf``...);
    ``state`` the state slug (``active``, ``bof``, ``proposed``, ``concluded``...).
    """

    acronym: str
    name: str | None = None
    type: str | None = None
    state: str | None = None
    state_as_of: str | None = None
    parent: str | None = None
    datatracker_id: int | None = None
    opened: str | None = None
    closed: str | None = None
    kind: str | None = None
    aka: tuple[str, ...] = ()
    homepage: str | None = None
    description: str | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """A person as a source names them (full name), with a Datatracker id if known."""

    name: str
    datatracker_id: int | None = None
    photo: str | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Bound:
    """One edge of a tenure and what it rests on (see ``schema/ontology.ttl``, ``ietf:SeatBound``).

    ``edge`` is ``start``/``end`` (certain: a sighting of the seat) or
    ``possible-start``/``possible-end`` (the widest the source allows). ``day`` is
    the bound itself, inclusive; ``seen_on`` the day of the record it rests on
    (for a possible bound from a roll call without the person in the seat, the
    day after or before it is ``day``). ``basis`` names the kind of evidence:
    ``present``, ``regrets``, ``mark``, ``cut-off-text`` (certain), ``absent``,
    ``other-seat``, ``incoming``, ``source-range`` (possible), ``snapshot`` or
    ``stated`` (either). ``line`` is the source line as printed, when there is one.
    """

    edge: str
    day: date
    basis: str
    seen_on: date
    evidence: str
    line: str | None = None


@dataclass(frozen=True, slots=True)
class RoleRecord:
    """A person holding a role in a group, over a (possibly open) date interval.

    ``basis`` says how the dates are known: ``observed`` (the role was seen held
    on ``observed`` dates; ``start``/``end`` are the first and last sighting) or
    ``stated`` (a source states the dates). ``person`` is the name as printed;
    ``person_id`` the Datatracker id where the source gives it.
    """

    person: str
    group: str
    role: str
    person_id: int | None = None
    start: date | None = None
    end: date | None = None
    basis: str = "observed"
    observed: tuple[date, ...] = ()
    label: str | None = None
    evidence: tuple[str, ...] = ()
    bounds: tuple[Bound, ...] = ()  # certain and possible bounds with their basis; () = start/end as stated


@dataclass(frozen=True, slots=True)
class RfcRecord:
    """One RFC from the RFC Editor per-RFC JSON (or its index, which adds wg/area/stream)."""

    number: int
    title: str
    authors: tuple[str, ...] = ()
    status: str | None = None
    pub_status: str | None = None
    source: str | None = None
    draft: str | None = None
    published: str | None = None  # "YYYY-MM"
    keywords: tuple[str, ...] = ()
    obsoletes: tuple[int, ...] = ()
    obsoleted_by: tuple[int, ...] = ()
    updates: tuple[int, ...] = ()
    updated_by: tuple[int, ...] = ()
    doi: str | None = None
    abstract: str | None = None
    page_count: int | None = None
    errata_url: str | None = None
    evidence: tuple[str, ...] = ()
    # Stated by the RFC Editor index (rfc-index.xml) only; None in the per-RFC JSON.
    wg: str | None = None
    area: str | None = None
    stream: str | None = None
    # Sub-series entries the RFC is or was part of (``see_also``: ("STD", 7)); current membership is Relaton's.
    see_also_series: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class SubSeriesRecord:
    """A BCP, STD or FYI entry and the RFCs it includes."""

    series: str  # "BCP" | "STD" | "FYI"
    number: int
    title: str | None = None
    rfcs: tuple[int, ...] = ()
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FormerMembership:
    """The RFC Editor lists ``rfc`` under a sub-series entry (``see_also``) that no longer includes it."""

    rfc: int
    series: str  # "BCP" | "STD" | "FYI"
    number: int
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    """An IETF meeting: number, place and dates (``start`` ISO date, ``end`` its last day)."""

    number: int
    city: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, as the Datatracker gives it
    start: str | None = None
    end: str | None = None
    days: int | None = None
    time_zone: str | None = None
    venue: str | None = None
    datatracker_id: int | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SlidesRecord:
    """One presentation of a session: its Datatracker materials URL, name, revision, title, and the
    Internet-Drafts its title names, as ``(name, revision or None)``."""

    url: str
    name: str
    revision: str | None = None
    title: str | None = None
    order: int | None = None
    drafts: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One session of a group at a meeting, as the meeting's agenda lists it.

    ``start`` is an ISO date-time in UTC, ``duration`` an ``xsd:duration`` (``PT1H30M``).
    """

    session_id: int
    meeting: int
    group: str
    is_bof: bool
    start: str | None = None
    duration: str | None = None
    room: str | None = None
    status: str | None = None
    name: str | None = None
    agenda: str | None = None
    minutes: str | None = None
    slides: tuple[SlidesRecord, ...] = ()
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DraftRecord:
    """An Internet-Draft: its name (no revision), the last revision seen, its group and the RFC it became.

    ``group_basis`` says how the group is known: ``rfc-attribution`` (the group that produced the RFC
    it became) or ``draft-name`` (``draft-ietf-<wg>-``/``draft-irtf-<rg>-`` naming a known group).
    """

    name: str
    revision: str | None = None
    group: str | None = None
    group_basis: str | None = None
    rfc: int | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProtocolRecord:
    """A protocol named by its acronym, with the RFCs that define it."""

    acronym: str
    name: str | None = None
    aka: tuple[str, ...] = ()
    defined_by: tuple[int, ...] = ()
    mentioned_by: tuple[int, ...] = ()
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Relation:
    """A stated link between two entities, e.g. cfrg collaboratesWith sec.

    ``subject``/``object`` are ``(kind, key)`` pairs, kinds as in ``schema.vocab``
    minting: ``group``, ``person``, ``rfc``, ``protocol``.
    """

    subject: tuple[str, str]
    predicate: str
    object: tuple[str, str]
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AttributionRecord:
    """One RFC's producing group (if any) and stream, each with the basis it was read from."""

    rfc: int
    stream: str
    stream_basis: str
    group: str | None = None
    group_basis: str | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParentSighting:
    """A source showed ``group`` under ``parent`` on ``seen`` (ISO date or month): evidence for the
    areas stage (``ingest/areas.py``), which states the facts; it maps to no triples of its own."""

    group: str
    parent: str
    seen: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AreaLinkRecord:
    """``group`` was in ``area`` from ``first`` to ``last`` as far as one kind of evidence shows (``basis``)."""

    group: str
    area: str
    basis: str
    first: date
    last: date
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CorrectionRecord:
    """A curated override of one value a source gives that breaks a sanity rule (``source_checks``).

    ``subject`` is a ``(kind, key)`` pair as in ``Relation``; ``field`` the record field the
    value came from (``published`` of an RFC); ``source`` the source whose value it replaces;
    ``evidence`` the URLs that state the corrected value, ``quote`` words copied from them.
    """

    subject: tuple[str, str]
    field: str
    value: str
    source: str
    source_value: str
    quote: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Provenance of one source: what it is, where it came from, and its date."""

    name: str
    title: str
    origin: str
    snapshot_date: str
    files: tuple[str, ...] = ()
    description: str | None = None


Record = (
    GroupRecord
    | PersonRecord
    | RoleRecord
    | RfcRecord
    | SubSeriesRecord
    | ProtocolRecord
    | Relation
    | AttributionRecord
    | CorrectionRecord
    | ParentSighting
    | AreaLinkRecord
    | FormerMembership
    | MeetingRecord
    | SessionRecord
    | DraftRecord
)

