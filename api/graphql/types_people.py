"""GraphQL types for people and the roles they hold: ``Person``, ``Role``, and role time travel."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import Enum

import strawberry
from strawberry.types import Info

from ietfkg.api.graphql import eager
from ietfkg.api.graphql.lazy import DocumentT, GroupT
from ietfkg.api.graphql.types_common import (
    Connection,
    Node,
    Props,
    as_is,
    ctx,
    existing_nodes,
    is_a,
    node_for,
    paginate,
    register_node,
    role_label,
    role_slug,
)
from ietfkg.api.graphql.types_docs import document_connection
from ietfkg.schema.vocab import DCTERMS, FOAF, IETF, ORG, SKOS, local_name


@strawberry.enum(description="How sure a source is that a role was held on a date.")
class Held(Enum):
    CERTAIN = strawberry.enum_value("certain", description="Between the first and last sighting (start..end).")
    POSSIBLE = strawberry.enum_value(
        "possible", description="Outside the sightings but inside the widest bounds the source allows "
                                "(possibleStart..possibleEnd): not shown held, not shown not held.")


def held_on(props: Props, at: date) -> bool:
    """A role dated by start and/or end was held on ``at`` when start <= at <= end (open ends count)."""
    return _within(props.str(IETF.startDate), props.str(IETF.endDate), at)


def held(props: Props, at: date) -> Held | None:
    """CERTAIN inside the certain bounds, POSSIBLE inside only the possible ones, else None.

    A role without possible bounds (none stated) has its certain ones as its widest.
    """
    if held_on(props, at):
        return Held.CERTAIN
    start = props.str(IETF.possibleStart) or props.str(IETF.startDate)
    end = props.str(IETF.possibleEnd) or props.str(IETF.endDate)
    return Held.POSSIBLE if _within(start, end, at) else None


def _within(start: str | None, end: str | None, at: date) -> bool:
    if start is None and end is None:
        return False
    day = at.isoformat()
    return (start is None or start <= day) and (end is None or day <= end)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@strawberry.type(description="A role held by a person in a group over a period (an org:Membership): "
                             "chair of tls, AD of sec, lead of an IAB program...")
class Role(Node):
    props: strawberry.Private[Props]
    kind: str = strawberry.field(description="Role kind slug: ad, chair, lead, secretary, liaison, member, ...")
    start: date | None = strawberry.field(description="First day the role is known to be held (xsd:date).")
    end: date | None = strawberry.field(description="Last day the role is known to be held (xsd:date).")

    @classmethod
    def of(cls, iri: str, props: Props) -> Role:
        role = props.str(ORG.role)
        return cls(iri=iri, id=strawberry.ID(iri), props=props, kind=role_slug(role) if role else "member",
                   start=_date(props.str(IETF.startDate)), end=_date(props.str(IETF.endDate)))

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.props.str(IETF.startDate) or "9999", self.iri)

    @eager.field(description="Who holds the role.")
    async def person(self, info: Info) -> Person | None:
        iri = self.props.str(ORG.member)
        return await node_for(info, iri) if iri else None  # type: ignore[return-value]

    @eager.field(description="The group the role is held in.")
    async def group(self, info: Info) -> GroupT | None:
        iri = self.props.str(ORG.organization)
        return await node_for(info, iri) if iri else None  # type: ignore[return-value]

    @strawberry.field(description="Human label of the role kind (Area Director, Chair, ...).")
    def kind_label(self) -> str:
        return role_label(self.kind)

    @strawberry.field(description="The role as the source prints it (\"Security Area\", \"co-chair\").")
    def label(self) -> str | None:
        return self.props.str(IETF.roleLabel)

    @strawberry.field(description="observed: start/end are the first and last sightings (observedOn); "
                                  "stated: a source states the dates.")
    def date_basis(self) -> str | None:
        return self.props.str(IETF.dateBasis)

    @eager.field(description="Dates on which a source saw the role held (roll calls, agendas).", keep=False)
    async def observed_on(self, info: Info) -> list[date]:
        return [date.fromisoformat(d) for d in (await ctx(info).details(self.iri)).strs(IETF.observedOn)]

    @strawberry.field(description="Whether the role was certainly held on the given date (start <= at <= end).")
    def held_on(self, at: date) -> bool:
        return held_on(self.props, at)

    @strawberry.field(name="held", description="CERTAIN (start <= at <= end), POSSIBLE (only possibleStart <= at "
                                               "<= possibleEnd) or null: how sure the source is that the role "
                                               "was held on `at`; `bounds` say why.")
    def held_at(self, at: date) -> Held | None:
        return held(self.props, at)

    @strawberry.field(description="Earliest day the source allows the role to have been held (the day after "
                                  "the nearest record without the person in it, or the source's first day).")
    def possible_start(self) -> date | None:
        return _date(self.props.str(IETF.possibleStart)) or self.start

    @strawberry.field(description="Latest day the source allows the role to have been held (the day before "
                                  "the nearest record without the person in it, or the source's last day).")
    def possible_end(self) -> date | None:
        return _date(self.props.str(IETF.possibleEnd)) or self.end

    @eager.field(description="The certain (start, end) and possible (possible-start, possible-end) bounds, "
                             "each with its basis and the record it rests on.")
    async def bounds(self, info: Info) -> list[SeatBound]:
        linked = [(edge, iri) for edge, predicate in BOUND_EDGES for iri in self.props.strs(predicate)]
        iris = [iri for _, iri in linked]
        found = await ctx(info).props_many(iris)
        evidence = await ctx(info).loaders.provenance.load_many(iris)
        return [
            SeatBound.of(edge, props, per_graph)
            for (edge, _), props, per_graph in zip(linked, found, evidence, strict=True)
            if props.str(IETF.boundDate) and props.str(IETF.seenOn)
        ]


BOUND_EDGES = (
    ("start", IETF.startBound), ("end", IETF.endBound),
    ("possible-start", IETF.possibleStartBound), ("possible-end", IETF.possibleEndBound),
)


@strawberry.type(description="One bound of a role's tenure (an ietf:SeatBound) and what it rests on.")
class SeatBound:
    edge: str = strawberry.field(description="start, end (certain) or possible-start, possible-end.")
    day: date = strawberry.field(name="date", description="The bound itself, inclusive.")
    basis: str = strawberry.field(description="present, regrets, mark, cut-off-text (a sighting); absent, "
                                              "other-seat, incoming, source-range (a possible bound); snapshot, "
                                              "observed, stated (the source's own dates).")
    seen_on: date = strawberry.field(description="Day of the record the bound rests on.")
    line: str | None = strawberry.field(description="The source line as printed, when there is one.")
    evidence: list[str] = strawberry.field(description="The record it rests on (minutes URL).")

    @classmethod
    def of(cls, edge: str, props: Props, per_graph: dict[str, list[str]]) -> SeatBound:
        return cls(
            edge=edge,
            day=date.fromisoformat(props.str(IETF.boundDate) or ""),
            basis=props.str(IETF.boundBasis) or "",
            seen_on=date.fromisoformat(props.str(IETF.seenOn) or ""),
            line=props.str(IETF.sourceLine),
            evidence=sorted({url for urls in per_graph.values() for url in urls}),
        )


async def filter_roles(
    info: Info, memberships: Sequence[str], at: date | None, kinds: Sequence[str] | None,
    how: Held | None = None,
) -> list[Role]:
    """Roles among ``memberships`` of the given kinds, oldest first; with ``at``, those held on
    that date certainly or possibly (``how`` keeps one of the two)."""
    roles: list[Role] = await existing_nodes(info, memberships)  # type: ignore[assignment]
    keep = [
        r for r in roles
        if (kinds is None or r.kind in kinds) and (at is None or _held_as(r.props, at, how))
    ]
    return sorted(keep, key=lambda r: r.sort_key)


def _held_as(props: Props, at: date, how: Held | None) -> bool:
    answer = held(props, at)
    return answer is not None and (how is None or answer is how)


async def role_connection(
    info: Info, memberships: Sequence[str], at: date | None, kinds: Sequence[str] | None,
    first: int | None, after: str | None, how: Held | None = None,
) -> Connection[Role]:
    return await paginate(await filter_roles(info, memberships, at, kinds, how), first, after, as_is)


HELD_ARGUMENT = "with `at`: CERTAIN or POSSIBLE keeps only roles held that way on that date (default: both)"


@strawberry.type(description="A person (or an organisation named as an RFC author).")
class Person(Node):
    props: strawberry.Private[Props]
    name: str | None = strawberry.field(description="Display name.")

    @classmethod
    def of(cls, iri: str, props: Props) -> Person:
        name = props.str(FOAF.name) or props.str(SKOS.prefLabel) or local_name(iri)
        return cls(iri=iri, id=strawberry.ID(iri), props=props, name=name)

    @strawberry.field(description="Every spelling of the name the sources give.")
    def names(self) -> list[str]:
        return self.props.strs(FOAF.name)

    @strawberry.field(description="Printed forms of the name on RFCs (\"E. Rescorla\").")
    def printed_names(self) -> list[str]:
        return self.props.strs(SKOS.altLabel)

    @strawberry.field(description="Datatracker person id, when known.")
    def datatracker_id(self) -> int | None:
        return self.props.int(IETF.datatrackerId)

    @strawberry.field(description="Photo URL, when known.")
    def image(self) -> str | None:
        return self.props.str(FOAF.img)

    @strawberry.field(description="True for an organisation named as an author (\"IAB\", a company).")
    def is_organization(self) -> bool:
        return is_a(self.props, FOAF.Organization)

    @eager.field(description="Roles this person held, oldest first; `at` keeps those held on that date, certainly "
                             "or possibly, `role` filters by role slug (chair, ad, ...), `held` " + HELD_ARGUMENT + ".")
    async def roles(
        self, info: Info, at: date | None = None, role: str | None = None,
        first: int | None = None, after: str | None = None, held: Held | None = None,
    ) -> Connection[Role]:
        memberships = await ctx(info).incoming(self.iri, ORG.member)
        return await role_connection(info, memberships, at, (role,) if role else None, first, after, held)

    @eager.field(description="RFCs this person authored, by RFC number.")
    async def documents(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[DocumentT]:
        return await document_connection(info, await ctx(info).incoming(self.iri, DCTERMS.creator), first, after)


register_node("person", Person.of)
register_node("agent", Person.of)
register_node("role", Role.of)
