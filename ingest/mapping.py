"""Records -> triples. Pure: uses ``schema.vocab`` terms and IRI minting only.

Each ``map_*`` function yields ``(subject, predicate, object)`` tuples of
pyoxigraph terms; the pipeline puts them in the source's named graph. Person
names are resolved to person keys through the ``People`` protocol so that the
same person found in several sources becomes one node.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from pyoxigraph import Literal, NamedNode

from ietfkg.ingest.records import (
    AreaLinkRecord,
    AttributionRecord,
    Bound,
    CorrectionRecord,
    DraftRecord,
    FormerMembership,
    GroupRecord,
    MeetingRecord,
    ParentSighting,
    PersonRecord,
    ProtocolRecord,
    Record,
    Relation,
    RfcRecord,
    RoleRecord,
    SessionRecord,
    SourceInfo,
    SubSeriesRecord,
)
from ietfkg.schema.vocab import (
    DCTERMS,
    FOAF,
    IETF,
    ORG,
    PROV,
    RDF,
    SKOS,
    TIME,
    XSD,
    Iris,
    group_class,
    local_name,
    role_term,
)

Triple = tuple[NamedNode, NamedNode, NamedNode | Literal]

RELATION_PREDICATES: dict[str, NamedNode] = {
    "collaboratesWith": IETF.collaboratesWith,
    "developedBy": IETF.developedBy,
    "definesProtocol": IETF.definesProtocol,
    "mentionsProtocol": IETF.mentionsProtocol,
    "subOrganizationOf": ORG.subOrganizationOf,
    "succeededBy": IETF.succeededBy,
}


class AuthorKey(Protocol):
    key: int | str
    name: str
    matched: bool
    is_person: bool
    editor: bool
    basis: str


class People(Protocol):
    """Resolves names as printed to person keys (Datatracker id or name slug): ``ingest/person_resolution.py``."""

    def key_for_name(self, name: str) -> int | str: ...

    def author_link(self, rfc: int, position: int, author: str) -> AuthorKey: ...

    def preferred_name(self, key: int | str) -> str | None: ...


@dataclass(frozen=True, slots=True)
class MapContext:
    iris: Iris
    people: People


_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^\d{4}-\d{2}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def partial_date(value: str) -> Literal:
    """A date literal typed by its precision, so none is invented.

    >>> partial_date("2022-09").datatype.value
    'http://www.w3.org/2001/XMLSchema#gYearMonth'
    """
    if _DATE.match(value):
        return Literal(value, datatype=XSD.date)
    if _YEAR_MONTH.match(value):
        return Literal(value, datatype=XSD.gYearMonth)
    if _YEAR.match(value):
        return Literal(value, datatype=XSD.gYear)
    return Literal(value)


def day(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def integer(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def _evidence(subject: NamedNode, evidence: Iterable[str]) -> Iterator[Triple]:
    for locator in evidence:
        if locator.startswith(("http://", "https://")):
            yield subject, PROV.wasDerivedFrom, NamedNode(locator)
        else:
            yield subject, DCTERMS.source, Literal(locator)


# -- groups ----------------------------------------------------------------------
def map_group(record: GroupRecord, ctx: MapContext) -> Iterator[Triple]:
    node = ctx.iris.group(record.acronym)
    kind = "bof" if record.state == "bof" else record.type
    yield node, RDF.type, group_class(kind)
    yield node, RDF.type, IETF.Group
    yield node, SKOS.notation, Literal(record.acronym)
    if record.name:
        yield node, SKOS.prefLabel, Literal(record.name)
    for alias in record.aka:
        yield node, SKOS.altLabel, Literal(alias)
    for predicate, value in (
        (IETF.groupType, record.type),
        (IETF.state, record.state),
        (IETF.programKind, record.kind),
    ):
        if value:
            yield node, predicate, Literal(value)
    for predicate, value in (
        (IETF.stateAsOf, record.state_as_of),
        (IETF.opened, record.opened),
        (IETF.closed, record.closed),
    ):
        if value:
            yield node, predicate, partial_date(value)
    if record.parent:
        yield node, ORG.subOrganizationOf, ctx.iris.group(record.parent)
    if record.datatracker_id is not None:
        yield node, IETF.datatrackerId, integer(record.datatracker_id)
    if record.homepage:
        yield node, FOAF.homepage, NamedNode(record.homepage)
    if record.description:
        yield node, DCTERMS.description, Literal(record.description)
    yield from _evidence(node, record.evidence)


# -- people and roles ---------------------------------------------------------------
def person_node(ctx: MapContext, name: str, datatracker_id: int | None = None) -> NamedNode:
    return ctx.iris.person(datatracker_id if datatracker_id is not None else ctx.people.key_for_name(name))


def map_person(record: PersonRecord, ctx: MapContext) -> Iterator[Triple]:
    node = person_node(ctx, record.name, record.datatracker_id)
    key = record.datatracker_id if record.datatracker_id is not None else ctx.people.key_for_name(record.name)
    preferred = ctx.people.preferred_name(key) or record.name
    yield node, RDF.type, FOAF.Person
    yield node, FOAF.name, Literal(preferred)  # one name per person; the other spellings as alternatives
    if record.name != preferred:
        yield node, SKOS.altLabel, Literal(record.name)
    if record.datatracker_id is not None:
        yield node, IETF.datatrackerId, integer(record.datatracker_id)
    if record.photo:
        yield node, FOAF.img, NamedNode(record.photo)
    yield from _evidence(node, record.evidence)


def map_role(record: RoleRecord, ctx: MapContext, source: str) -> Iterator[Triple]:
    person = person_node(ctx, record.person, record.person_id)
    start = record.start.isoformat() if record.start else "undated"
    node = ctx.iris.membership(source, record.group, record.role, local_name(person.value), start)
    yield node, RDF.type, ORG.Membership
    yield node, ORG.member, person
    yield node, ORG.organization, ctx.iris.group(record.group)
    yield node, ORG.role, role_term(record.role)
    yield role_term(record.role), RDF.type, IETF.Role
    yield node, IETF.dateBasis, Literal(record.basis)
    if record.label:
        yield node, IETF.roleLabel, Literal(record.label)
    for seen in record.observed:
        yield node, IETF.observedOn, day(seen)
    yield from _interval(node, record.start, record.end)
    yield from _bounds(node, record)
    yield from _evidence(node, record.evidence)


BOUND_PREDICATES = {
    "start": IETF.startBound,
    "end": IETF.endBound,
    "possible-start": IETF.possibleStartBound,
    "possible-end": IETF.possibleEndBound,
}
POSSIBLE_SHORTCUTS = {"possible-start": IETF.possibleStart, "possible-end": IETF.possibleEnd}


def _bounds(membership: NamedNode, record: RoleRecord) -> Iterator[Triple]:
    """Each bound of the tenure as an ``ietf:SeatBound`` with its basis, plus the
    ``ietf:possibleStart``/``ietf:possibleEnd`` shortcuts that "held on D" filters on."""
    for bound in record.bounds or stated_bounds(record):
        node = NamedNode(f"{membership.value}#{bound.edge}-bound")
        yield membership, BOUND_PREDICATES[bound.edge], node
        yield node, RDF.type, IETF.SeatBound
        yield node, IETF.boundDate, day(bound.day)
        yield node, IETF.boundBasis, Literal(bound.basis)
        yield node, IETF.seenOn, day(bound.seen_on)
        if bound.line:
            yield node, IETF.sourceLine, Literal(bound.line)
        yield from _evidence(node, (bound.evidence,) if bound.evidence else ())
        if bound.edge in POSSIBLE_SHORTCUTS:
            yield membership, POSSIBLE_SHORTCUTS[bound.edge], day(bound.day)


def stated_bounds(record: RoleRecord) -> tuple[Bound, ...]:
    """A record without bounds of its own: the source gives its dates and nothing wider, so
    the possible bounds are the certain ones, with the record's ``basis`` as their basis."""
    evidence = record.evidence[0] if record.evidence else ""
    return tuple(
        Bound(edge, when, record.basis, when, evidence)
        for edge, when in (("start", record.start), ("end", record.end),
                           ("possible-start", record.start), ("possible-end", record.end))
        if when is not None
    )


def _interval(membership: NamedNode, start: date | None, end: date | None) -> Iterator[Triple]:
    """``org:memberDuring`` as an OWL-Time interval, plus flat start/end shortcuts.

    The shortcuts (``ietf:startDate``/``ietf:endDate``) keep "who held X on date D"
    a two-filter query; the OWL-Time form is there for tools that expect ORG.
    """
    if start is None and end is None:
        return
    interval = NamedNode(membership.value + "#interval")
    yield membership, ORG.memberDuring, interval
    yield interval, RDF.type, TIME.Interval
    for edge, shortcut, when in (
        (TIME.hasBeginning, IETF.startDate, start),
        (TIME.hasEnd, IETF.endDate, end),
    ):
        if when is None:
            continue
        instant = NamedNode(f"{membership.value}#{'start' if edge is TIME.hasBeginning else 'end'}")
        yield interval, edge, instant
        yield instant, RDF.type, TIME.Instant
        yield instant, TIME.inXSDDate, day(when)
        yield membership, shortcut, day(when)


# -- documents ------------------------------------------------------------------------
NOT_ISSUED = "NOT ISSUED"


def map_rfc(record: RfcRecord, ctx: MapContext) -> Iterator[Triple]:
    if record.status == NOT_ISSUED:
        return map_unissued(record, ctx)
    return _map_issued(record, ctx)


def map_unissued(record: RfcRecord, ctx: MapContext) -> Iterator[Triple]:
    """A NOT ISSUED number: kept apart from the RFCs (never published, so no RFC and no document)."""
    node = ctx.iris.rfc(record.number)
    yield node, RDF.type, IETF.UnissuedNumber
    yield node, IETF.rfcNumber, integer(record.number)
    yield node, SKOS.notation, Literal(f"RFC {record.number}")
    yield node, IETF.status, Literal(NOT_ISSUED)
    yield from _evidence(node, record.evidence)


def _map_issued(record: RfcRecord, ctx: MapContext) -> Iterator[Triple]:
    iris = ctx.iris
    node = iris.rfc(record.number)
    yield node, RDF.type, IETF.RFC
    yield node, RDF.type, IETF.Document
    yield node, IETF.rfcNumber, integer(record.number)
    yield node, SKOS.notation, Literal(f"RFC {record.number}")
    yield node, DCTERMS.title, Literal(record.title)
    if record.published:
        yield from _issued(node, record.published)
    for predicate, value in (
        (IETF.status, record.status),
        (IETF.publicationStatus, record.pub_status),
        (IETF.sourceLabel, record.source),
        (IETF.draftName, record.draft),
        (IETF.doi, record.doi),
        (DCTERMS.abstract, record.abstract),
    ):
        if value:
            yield node, predicate, Literal(value)
    if record.page_count is not None:
        yield node, IETF.pageCount, integer(record.page_count)
    if record.errata_url:
        yield node, IETF.errata, NamedNode(record.errata_url)
    for keyword in record.keywords:
        yield node, DCTERMS.subject, Literal(keyword)
    yield from _rfc_links(record, ctx)
    yield from _authors(node, record.number, record.authors, ctx)
    yield from _evidence(node, record.evidence)


def _issued(node: NamedNode, published: str) -> Iterator[Triple]:
    yield node, DCTERMS.issued, partial_date(published)
    yield node, IETF.year, integer(int(published[:4]))


def _rfc_links(record: RfcRecord, ctx: MapContext) -> Iterator[Triple]:
    iris = ctx.iris
    node = iris.rfc(record.number)
    # Both directions of the upstream data state the same fact; emitting each
    # as the forward triple lets the store deduplicate them.
    for other in record.obsoletes:
        yield node, IETF.obsoletes, iris.rfc(other)
    for other in record.obsoleted_by:
        yield iris.rfc(other), IETF.obsoletes, node
    for other in record.updates:
        yield node, IETF.updates, iris.rfc(other)
    for other in record.updated_by:
        yield iris.rfc(other), IETF.updates, node


def _authors(node: NamedNode, number: int, authors: Iterable[str], ctx: MapContext) -> Iterator[Triple]:
    for position, author in enumerate(authors, start=1):
        match = ctx.people.author_link(number, position, author)
        if not match.is_person:
            agent = ctx.iris.agent(match.name)
            yield node, DCTERMS.creator, agent
            yield agent, RDF.type, FOAF.Organization
            yield agent, FOAF.name, Literal(match.name)
            continue
        person = ctx.iris.person(match.key)
        yield node, DCTERMS.creator, person
        yield person, RDF.type, FOAF.Person
        # A matched author keeps the printed form as an alternative label only:
        # the full name comes from the source that knows it.
        if not match.matched:
            yield person, FOAF.name, Literal(match.name)
        if author != match.name or match.matched:
            yield person, SKOS.altLabel, Literal(author)
        # the slot as printed, and why it names this person (``person_resolution``)
        slot = NamedNode(f"{node.value}#author-{position}")
        yield node, IETF.authorship, slot
        yield slot, RDF.type, IETF.Authorship
        yield slot, IETF.author, person
        yield slot, IETF.authorString, Literal(author)
        yield slot, IETF.authorPosition, integer(position)
        yield slot, IETF.resolutionBasis, Literal(match.basis)
        if match.editor:
            yield node, IETF.editor, person
        if position == 1:
            yield node, IETF.firstAuthor, person


def map_attribution(record: AttributionRecord, ctx: MapContext) -> Iterator[Triple]:
    """An RFC's stream and producing group, each with its basis (``ingest/attribution.py``)."""
    node = ctx.iris.rfc(record.rfc)
    yield node, IETF.stream, Literal(record.stream)
    yield node, IETF.streamBasis, Literal(record.stream_basis)
    if record.group is not None and record.group_basis is not None:
        yield node, IETF.producedBy, ctx.iris.group(record.group)
        yield node, IETF.attributionBasis, Literal(record.group_basis)
    yield from _evidence(node, record.evidence)


def map_subseries(record: SubSeriesRecord, ctx: MapContext) -> Iterator[Triple]:
    node = ctx.iris.subseries(record.series, record.number)
    yield node, RDF.type, IETF.SubSeries
    yield node, RDF.type, IETF.Document
    yield node, IETF.series, Literal(record.series)
    yield node, SKOS.notation, Literal(f"{record.series} {record.number}")
    if record.title:
        yield node, DCTERMS.title, Literal(record.title)
    for number in record.rfcs:
        yield ctx.iris.rfc(number), DCTERMS.isPartOf, node
    yield from _evidence(node, record.evidence)


def map_former_membership(record: FormerMembership, ctx: MapContext) -> Iterator[Triple]:
    """An RFC the RFC Editor lists under a sub-series entry that no longer includes it (``ingest/subseries_history.py``)."""
    node = ctx.iris.subseries(record.series, record.number)
    rfc = ctx.iris.rfc(record.rfc)
    yield rfc, IETF.formerlyPartOf, node
    # the entry exists even where Relaton lists no RFC in it now (BCP 113)
    yield node, RDF.type, IETF.SubSeries
    yield node, RDF.type, IETF.Document
    yield node, IETF.series, Literal(record.series)
    yield node, SKOS.notation, Literal(f"{record.series} {record.number}")
    yield from _evidence(rfc, record.evidence)


# -- meetings, sessions and drafts --------------------------------------------------------
def _meeting_node(number: int, ctx: MapContext) -> Iterator[Triple]:
    node = ctx.iris.meeting(number)
    yield node, RDF.type, IETF.Meeting
    yield node, IETF.meetingNumber, integer(number)
    yield node, SKOS.notation, Literal(f"IETF {number}")


def map_meeting(record: MeetingRecord, ctx: MapContext) -> Iterator[Triple]:
    node = ctx.iris.meeting(record.number)
    yield from _meeting_node(record.number, ctx)
    for predicate, value in (
        (IETF.city, record.city),
        (IETF.country, record.country),
        (IETF.timeZone, record.time_zone),
        (IETF.venue, record.venue),
    ):
        if value:
            yield node, predicate, Literal(value)
    for predicate, value in ((IETF.beginsOn, record.start), (IETF.endsOn, record.end)):
        if value:
            yield node, predicate, partial_date(value)
    if record.days is not None:
        yield node, IETF.days, integer(record.days)
    if record.datatracker_id is not None:
        yield node, IETF.datatrackerId, integer(record.datatracker_id)
    yield from _evidence(node, record.evidence)


def map_session(record: SessionRecord, ctx: MapContext) -> Iterator[Triple]:
    iris = ctx.iris
    node = iris.session(record.session_id)
    yield node, RDF.type, IETF.Session
    yield node, IETF.datatrackerId, integer(record.session_id)
    yield node, IETF.atMeeting, iris.meeting(record.meeting)
    yield from _meeting_node(record.meeting, ctx)  # the agenda states the meeting it is the agenda of
    yield node, IETF.sessionOf, iris.group(record.group)
    yield node, IETF.isBof, Literal("true" if record.is_bof else "false", datatype=XSD.boolean)
    if record.start:
        yield node, IETF.startTime, Literal(record.start, datatype=XSD.dateTime)
    if record.duration:
        yield node, IETF.duration, Literal(record.duration, datatype=XSD.duration)
    for predicate, value in ((IETF.room, record.room), (IETF.sessionStatus, record.status), (DCTERMS.title, record.name)):
        if value:
            yield node, predicate, Literal(value)
    for predicate, url in ((IETF.agenda, record.agenda), (IETF.minutes, record.minutes)):
        if url:
            yield node, predicate, NamedNode(url)
    for slide in record.slides:
        material = NamedNode(slide.url)
        yield node, IETF.slides, material
        yield material, RDF.type, IETF.Slides
        yield material, SKOS.notation, Literal(slide.name)
        if slide.title:
            yield material, DCTERMS.title, Literal(slide.title)
        if slide.revision:
            yield material, IETF.revision, Literal(slide.revision)
    for name in dict.fromkeys(name for slide in record.slides for name, _ in slide.drafts):
        yield node, IETF.namesDraft, iris.draft(name)
    yield from _evidence(node, record.evidence)


def map_draft(record: DraftRecord, ctx: MapContext) -> Iterator[Triple]:
    """An Internet-Draft (``ingest/drafts.py``)."""
    node = ctx.iris.draft(record.name)
    yield node, RDF.type, IETF.Draft
    yield node, RDF.type, IETF.Document
    yield node, SKOS.notation, Literal(record.name)
    if record.revision:
        yield node, IETF.lastRevision, Literal(record.revision)
    if record.group and record.group_basis:
        yield node, IETF.draftGroup, ctx.iris.group(record.group)
        yield node, IETF.groupBasis, Literal(record.group_basis)
    if record.rfc is not None:
        yield node, IETF.becameRfc, ctx.iris.rfc(record.rfc)
    yield from _evidence(node, record.evidence)


def map_protocol(record: ProtocolRecord, ctx: MapContext) -> Iterator[Triple]:
    node = ctx.iris.protocol(record.acronym)
    yield node, RDF.type, IETF.Protocol
    yield node, SKOS.notation, Literal(record.acronym)
    if record.name:
        yield node, SKOS.prefLabel, Literal(record.name)
    for alias in record.aka:
        yield node, SKOS.altLabel, Literal(alias)
    for number in record.defined_by:
        yield ctx.iris.rfc(number), IETF.definesProtocol, node
    for number in record.mentioned_by:
        yield ctx.iris.rfc(number), IETF.mentionsProtocol, node
    yield from _evidence(node, record.evidence)


def map_area_link(record: AreaLinkRecord, ctx: MapContext) -> Iterator[Triple]:
    """A group's area over the time one kind of evidence shows it (``ingest/areas.py``)."""
    node = ctx.iris.area_link(record.group, record.area, record.basis)
    group, area = ctx.iris.group(record.group), ctx.iris.group(record.area)
    yield node, RDF.type, IETF.AreaLink
    yield node, IETF.group, group
    yield node, IETF.area, area
    yield node, IETF.areaBasis, Literal(record.basis)
    yield node, IETF.firstSeen, day(record.first)
    yield node, IETF.lastSeen, day(record.last)
    yield group, IETF.inArea, area
    yield from _evidence(node, record.evidence)


# Record fields a correction may set, and the triples that state the corrected value.
CORRECTED_FIELDS = {("rfc", "published"): (_issued, DCTERMS.issued)}


def map_correction(record: CorrectionRecord, ctx: MapContext) -> Iterator[Triple]:
    """The corrected value about the entity, and the correction itself with its evidence."""
    subject = _entity(*record.subject, ctx)
    state, predicate = CORRECTED_FIELDS[(record.subject[0], record.field)]
    yield from state(subject, record.value)
    node = ctx.iris.correction(record.source, *record.subject, record.field)
    yield node, RDF.type, IETF.Correction
    yield node, IETF.corrects, subject
    yield node, IETF.correctedProperty, predicate
    yield node, IETF.sourceValue, Literal(record.source_value)
    yield node, IETF.correctedValue, Literal(record.value)
    yield node, IETF.quote, Literal(record.quote)
    yield from _evidence(node, record.evidence)


def _entity(kind: str, key: str, ctx: MapContext) -> NamedNode:
    minters = {
        "group": ctx.iris.group,
        "protocol": ctx.iris.protocol,
        "person": lambda k: person_node(ctx, k),
        "rfc": lambda k: ctx.iris.rfc(int(k)),
    }
    return minters[kind](key)


def map_relation(record: Relation, ctx: MapContext) -> Iterator[Triple]:
    subject = _entity(*record.subject, ctx)
    yield subject, RELATION_PREDICATES[record.predicate], _entity(*record.object, ctx)
    yield from _evidence(subject, record.evidence)


def map_record(record: Record, ctx: MapContext, source: str) -> Iterator[Triple]:
    """Dispatch one record to its mapper."""
    match record:
        case GroupRecord():
            return map_group(record, ctx)
        case PersonRecord():
            return map_person(record, ctx)
        case RoleRecord():
            return map_role(record, ctx, source)
        case RfcRecord():
            return map_rfc(record, ctx)
        case SubSeriesRecord():
            return map_subseries(record, ctx)
        case ProtocolRecord():
            return map_protocol(record, ctx)
        case Relation():
            return map_relation(record, ctx)
        case AttributionRecord():
            return map_attribution(record, ctx)
        case CorrectionRecord():
            return map_correction(record, ctx)
        case AreaLinkRecord():
            return map_area_link(record, ctx)
        case FormerMembership():
            return map_former_membership(record, ctx)
        case MeetingRecord():
            return map_meeting(record, ctx)
        case SessionRecord():
            return map_session(record, ctx)
        case DraftRecord():
            return map_draft(record, ctx)
        case ParentSighting():  # evidence for ingest/areas.py, whose links state it
            return iter(())
    raise TypeError(f"no mapping for {type(record).__name__}")


def map_source_info(info: SourceInfo, graph: NamedNode, built_at: str) -> Iterator[Triple]:
    """PROV metadata of one source's named graph (goes into the meta graph; its size: ``source_size``)."""
    yield graph, RDF.type, PROV.Entity
    yield graph, RDF.type, IETF.SourceGraph
    yield graph, IETF.sourceName, Literal(info.name)
    yield graph, DCTERMS.title, Literal(info.title)
    yield graph, IETF.origin, Literal(info.origin)
    if info.origin.startswith(("http://", "https://")):
        yield graph, PROV.wasDerivedFrom, NamedNode(info.origin)
    yield graph, IETF.snapshotDate, partial_date(info.snapshot_date)
    yield graph, PROV.generatedAtTime, Literal(built_at, datatype=XSD.dateTime)
    if info.description:
        yield graph, DCTERMS.description, Literal(info.description)
    for path in info.files:
        yield graph, DCTERMS.source, Literal(path)


def source_size(graph: NamedNode, triples: int) -> Triple:
    return graph, IETF.tripleCount, integer(triples)


def role_labels(labels: Mapping[str, str]) -> Iterator[Triple]:
    """The role concepts (``ietf:role-chair`` ...) with their labels."""
    for slug_, label in labels.items():
        node = role_term(slug_)
        yield node, RDF.type, IETF.Role
        yield node, SKOS.prefLabel, Literal(label)
        yield node, SKOS.notation, Literal(slug_)
