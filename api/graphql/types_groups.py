"""GraphQL types for groups: ``Group`` (any group), ``Area`` (a group with area-specific fields), enums."""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry
from strawberry.types import Info

from ietfkg.api.graphql import eager
from ietfkg.api.graphql.lazy import DocumentT, ProtocolT, RoleT, SessionT
from ietfkg.api.graphql.types_common import (
    Connection,
    Node,
    Props,
    as_is,
    ctx,
    existing_nodes,
    is_a,
    paginate,
    register_node,
)
from ietfkg.api.graphql.types_docs import document_connection
from ietfkg.api.graphql.types_meetings import sessions_in_order
from ietfkg.api.graphql.types_people import HELD_ARGUMENT, Held, filter_roles, role_connection
from ietfkg.schema.vocab import IETF, ORG, SKOS, local_name
from ietfkg.schema.vocabulary_table import GROUP_KINDS

LEADERSHIP_ROLES = ("ad", "chair", "lead")


@strawberry.enum(description="What kind of group this is (from its ontology class).")
class GroupType(Enum):
    AREA = strawberry.enum_value("area", description="An IETF area, led by Area Directors.")
    WORKING_GROUP = strawberry.enum_value("wg", description="An IETF working group.")
    RESEARCH_GROUP = strawberry.enum_value("rg", description="An IRTF research group.")
    BOF = strawberry.enum_value("bof", description="A Birds-of-a-Feather session (proposed WG).")
    AREA_GROUP = strawberry.enum_value("ag", description="An area or advisory group (e.g. saag).")
    DIRECTORATE = strawberry.enum_value("dir", description="A review directorate (e.g. secdir).")
    TEAM = strawberry.enum_value("team", description="A team or panel.")
    IAB_PROGRAM = strawberry.enum_value("program", description="An IAB program.")
    BODY = strawberry.enum_value("body", description="A top-level body: IETF, IESG, IAB, IRTF.")
    OTHER = strawberry.enum_value("other", description="Any other group.")


@strawberry.enum(description="The group's state as its source gives it.")
class GroupState(Enum):
    ACTIVE = strawberry.enum_value("active", description="Active.")
    BOF = strawberry.enum_value("bof", description="Holding a BoF.")
    PROPOSED = strawberry.enum_value("proposed", description="Proposed.")
    CONCLUDED = strawberry.enum_value("concluded", description="Concluded (closed).")
    DORMANT = strawberry.enum_value("dormant", description="Dormant.")
    OTHER = strawberry.enum_value("other", description="Any other state.")


# From the vocabulary table, most specific class first: BoFs are also working groups in some sources.
_TYPE_BY_CLASS = tuple((cls, GroupType[k.group_type]) for k in GROUP_KINDS if k.group_type != "OTHER" for cls in k.classes)


def group_type(props: Props) -> GroupType:
    return next((t for cls, t in _TYPE_BY_CLASS if is_a(props, cls)), GroupType.OTHER)


_STATE_BY_VALUE = {s.value: s for s in GroupState}  # read for every group made: a lookup, not a scan


def group_state(props: Props) -> GroupState | None:
    raw = props.str(IETF.state)
    if raw is None:
        return None
    return _STATE_BY_VALUE.get(raw.lower(), GroupState.OTHER)


def group_matches(props: Props, type: GroupType | None, state: GroupState | None, search: str | None) -> bool:
    if type is not None and group_type(props) is not type:
        return False
    if state is not None and group_state(props) is not state:
        return False
    if search:
        needle = search.lower()
        return any(needle in label.lower() for label in props.strs(SKOS.notation) + props.strs(SKOS.prefLabel))
    return True


async def group_connection(
    info: Info, iris: list[str], type: GroupType | None, state: GroupState | None, search: str | None,
    first: int | None, after: str | None,
) -> Connection[Group]:
    """Groups among ``iris`` that match the filters, sorted by acronym, as a page."""
    groups = await existing_nodes(info, iris)
    keep = sorted(
        (g for g in groups if group_matches(g.props, type, state, search)),  # type: ignore[attr-defined]
        key=lambda g: g.acronym_key,  # type: ignore[attr-defined]
    )
    return await paginate(keep, first, after, as_is)


@strawberry.type(description="A group of the IETF, IRTF or IAB: area, working group, research group, "
                             "directorate, BoF, IAB program, team or body.")
class Group(Node):
    props: strawberry.Private[Props]
    acronym: str = strawberry.field(description="Datatracker acronym (tls, sec, cfrg).")
    name: str | None = strawberry.field(description="Full name (Transport Layer Security).")
    type: GroupType = strawberry.field(description="Kind of group.")
    state: GroupState | None = strawberry.field(description="State (active, concluded, ...), null when no "
                                                            "source states it.")

    @classmethod
    def of(cls, iri: str, props: Props) -> Group:
        acronym = (props.str(SKOS.notation) or local_name(iri)).lower()
        return cls(iri=iri, id=strawberry.ID(iri), props=props, acronym=acronym, name=props.str(SKOS.prefLabel),
                   type=group_type(props), state=group_state(props))

    @property
    def acronym_key(self) -> str:
        return (self.props.str(SKOS.notation) or self.iri).lower()

    @strawberry.field(description="Every name the sources give.")
    def names(self) -> list[str]:
        return self.props.strs(SKOS.prefLabel)

    @strawberry.field(description="Datatracker group type slug as given by the source (wg, rg, area, ag...).")
    def type_slug(self) -> str | None:
        return self.props.str(IETF.groupType)

    @strawberry.field(description="Date the group was opened, when known.")
    def opened(self) -> str | None:
        return self.props.str(IETF.opened)

    @strawberry.field(description="Date the group was closed, when known.")
    def closed(self) -> str | None:
        return self.props.str(IETF.closed)

    @strawberry.field(description="Datatracker numeric id, when known.")
    def datatracker_id(self) -> int | None:
        return self.props.int(IETF.datatrackerId)

    @eager.field(description="The parent group (a WG's area, an RG's IRTF, a program's IAB).")
    async def parent(self, info: Info) -> Group | None:
        parents = await existing_nodes(info, self.props.strs(ORG.subOrganizationOf))
        return parents[0] if parents else None  # type: ignore[return-value]

    @eager.field(description="The area this group belongs to (itself for an area), if any.")
    async def area(self, info: Info) -> Area | None:
        if isinstance(self, Area):
            return self
        parents = await existing_nodes(info, self.props.strs(ORG.subOrganizationOf))
        return next((p for p in parents if isinstance(p, Area)), None)

    @eager.field(description="Groups whose parent is this group (an area's WGs, the IRTF's RGs...).")
    async def subgroups(
        self, info: Info, type: GroupType | None = None, state: GroupState | None = None,
        search: str | None = None, first: int | None = None, after: str | None = None,
    ) -> Connection[Group]:
        children = await ctx(info).incoming(self.iri, ORG.subOrganizationOf)
        return await group_connection(info, children, type, state, search, first, after)

    @eager.field(description="Groups this group collaborates with (either direction).")
    async def collaborates_with(self, info: Info) -> list[Group]:
        others = set(self.props.strs(IETF.collaboratesWith)) | set(await ctx(info).incoming(self.iri, IETF.collaboratesWith))
        return await existing_nodes(info, sorted(others))  # type: ignore[return-value]

    @eager.field(description="Roles held in this group (chairs, ADs, leads, secretaries, ...), oldest first; "
                             "`at` keeps those held on that date, certainly or possibly, `role` filters by role "
                             "slug (chair, ad...), `held` " + HELD_ARGUMENT + ".")
    async def roles(
        self, info: Info, at: date | None = None, role: str | None = None,
        first: int | None = None, after: str | None = None, held: Held | None = None,
    ) -> Connection[RoleT]:
        memberships = await ctx(info).incoming(self.iri, ORG.organization)
        return await role_connection(info, memberships, at, (role,) if role else None, first, after, held)

    @eager.field(description="Leadership (Area Directors, chairs, leads) of this group, oldest first; with "
                             "`at`, only those in office on that date, certainly or possibly: 'who chaired X "
                             "on D'; `held` " + HELD_ARGUMENT + ".")
    async def leadership(
        self, info: Info, at: date | None = None, role: str | None = None, held: Held | None = None
    ) -> list[RoleT]:
        memberships = await ctx(info).incoming(self.iri, ORG.organization)
        return await filter_roles(info, memberships, at, (role,) if role else LEADERSHIP_ROLES, held)

    @eager.field(description="RFCs this group produced, by RFC number.")
    async def documents(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[DocumentT]:
        return await document_connection(info, await ctx(info).incoming(self.iri, IETF.producedBy), first, after)

    @eager.field(description="This group's sessions at IETF meetings, by start time (`meeting` filters by "
                             "number; canceled sessions only with `canceled: true`): when and where it met.")
    async def sessions(self, info: Info, meeting: int | None = None, canceled: bool = False) -> list[SessionT]:
        held = sessions_in_order(await existing_nodes(info, await ctx(info).incoming(self.iri, IETF.sessionOf)), canceled)
        meeting_iri = ctx(info).iris.meeting(meeting).value if meeting is not None else None
        return [s for s in held if meeting_iri is None or meeting_iri in s.props.strs(IETF.atMeeting)]  # type: ignore[misc]

    @eager.field(description="Protocols defined by this group's RFCs, by acronym.")
    async def protocols(self, info: Info) -> list[ProtocolT]:
        docs = await ctx(info).incoming(self.iri, IETF.producedBy)
        defined = {p for props in await ctx(info).props_many(docs) for p in props.strs(IETF.definesProtocol)}
        defined |= set(await ctx(info).incoming(self.iri, IETF.developedBy))
        protocols = await existing_nodes(info, sorted(defined))
        return sorted(protocols, key=lambda p: (p.props.str(SKOS.notation) or p.iri).lower())  # type: ignore[attr-defined]


@strawberry.type(description="An IETF area: a group led by Area Directors that holds working groups.")
class Area(Group):
    @eager.field(description="The area's working groups (filter by state, e.g. ACTIVE), by acronym.")
    async def working_groups(
        self, info: Info, state: GroupState | None = None, first: int | None = None, after: str | None = None,
    ) -> Connection[Group]:
        children = await ctx(info).incoming(self.iri, ORG.subOrganizationOf)
        return await group_connection(info, children, GroupType.WORKING_GROUP, state, None, first, after)

    @eager.field(description="Area Director roles, oldest first; with `at`, the ADs in office on that date, "
                             "certainly or possibly; `held` " + HELD_ARGUMENT + ".")
    async def directors(self, info: Info, at: date | None = None, held: Held | None = None) -> list[RoleT]:
        memberships = await ctx(info).incoming(self.iri, ORG.organization)
        return await filter_roles(info, memberships, at, ("ad",), held)


def make_group(iri: str, props: Props) -> Group:
    return (Area if is_a(props, IETF.Area) else Group).of(iri, props)


register_node("group", make_group)
