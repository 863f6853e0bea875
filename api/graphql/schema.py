"""The GraphQL schema: the ``Query`` entry points and the extensions that bound every request.

Types live in ``types_*.py``; this module only assembles entry points, limits and
error masking (everything that is not an ``IetfKgError`` or a GraphQL validation
error becomes "Unexpected error.").
"""

from __future__ import annotations

import logging
from datetime import date
from itertools import pairwise
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from pyoxigraph import Literal
from strawberry.extensions import MaskErrors, MaxTokensLimiter, ParserCache, ValidationCache
from strawberry.types import Info

from ietfkg.api.graphql import eager
from ietfkg.api.graphql.loaders import term
from ietfkg.api.graphql.query_limits import RequestLimits
from ietfkg.api.graphql.types_areamap import AreaMap, area_map
from ietfkg.api.graphql.types_common import (
    Connection,
    Node,
    NodeKind,
    ctx,
    existing_nodes,
    node_kind,
    nodes_for,
    paginate,
    require,
)
from ietfkg.api.graphql.types_docs import Document, Draft, Protocol, SubSeries, document_connection
from ietfkg.api.graphql.types_graph import Neighborhood, Path, PathStep, Relation
from ietfkg.api.graphql.types_groups import Area, Group, GroupState, GroupType, group_connection
from ietfkg.api.graphql.types_meetings import Meeting, Session
from ietfkg.api.graphql.types_people import HELD_ARGUMENT, Held, Person, Role, role_connection
from ietfkg.graph.queries import load
from ietfkg.ingest.drafts import split_revision
from ietfkg.schema.errors import IetfKgError, NotFound, RequestError
from ietfkg.schema.vocab import IETF, ORG, role_term

MAX_HOPS = 6
MAX_PATHS = 20
MAX_DEPTH = 3
MAX_NEIGHBORS = 500


@strawberry.input(description="Filters for documents(filter:); all given filters must hold.")
class DocumentFilter:
    status: str | None = strawberry.field(default=None, description="Current status, e.g. PROPOSED STANDARD (case-insensitive).")
    stream: str | None = strawberry.field(default=None, description="Stream: IETF, IRTF, IAB, INDEPENDENT, Legacy.")
    group: str | None = strawberry.field(default=None, description="Acronym of the producing group (tls).")
    protocol: str | None = strawberry.field(default=None, description="Acronym of a protocol the RFC defines (TLS).")
    year_from: int | None = strawberry.field(default=None, description="Published in or after this year.")
    year_to: int | None = strawberry.field(default=None, description="Published in or before this year.")
    title_contains: str | None = strawberry.field(default=None, description="Case-insensitive title substring.")


def resolve_id(info: Info, id: str) -> str:
    """A global id is the entity IRI; a path under the base (``group/tls``) is accepted too."""
    iri = id if "://" in id else ctx(info).iris.base + id.lstrip("/")
    term(iri)  # rejects invalid IRIs as not found
    return iri


def person_iri(info: Info, id: str) -> str:
    iris = ctx(info).iris
    if "://" in id or "/" in id:
        return resolve_id(info, id)
    return iris.person(int(id)).value if id.isdigit() else iris.person(id).value


def _doc_matches(row: tuple, f: DocumentFilter, group_iri: str | None) -> bool:
    _, _, title, year, status, stream, group = row
    year_v = int(year.value) if year is not None else None
    return not (
        (f.status and status.value.lower() != f.status.lower())
        or (f.stream and stream.value.lower() != f.stream.lower())
        or (group_iri and (group is None or group.value != group_iri))
        or (f.year_from is not None and (year_v is None or year_v < f.year_from))
        or (f.year_to is not None and (year_v is None or year_v > f.year_to))
        or (f.title_contains and f.title_contains.lower() not in title.value.lower())
    )


async def rfc_by_number(info: Info, number: int) -> Document | None:
    """The resolver of both ``document`` and ``rfc``."""
    return await require(info, ctx(info).iris.rfc(number).value, "RFC")  # type: ignore[return-value]


@strawberry.type(description="Entry points into the IETF knowledge graph.")
class Query:
    @strawberry.field(description="Any entity by its global id (the entity IRI, or its path such as group/tls).")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await require(info, resolve_id(info, id), "entity")

    @strawberry.field(description="Several entities by global id, in order (null for unknown ids).")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > 100:
            raise RequestError("at most 100 ids")
        return await nodes_for(info, [resolve_id(info, i) for i in ids])

    @strawberry.field(description="An IETF area by acronym (sec, art, ops, ...).")
    async def area(self, info: Info, acronym: str) -> Area | None:
        node = await require(info, ctx(info).iris.group(acronym).value, "area")
        if not isinstance(node, Area):
            raise NotFound(f"{acronym!r} is a group but not an area")
        return node

    @strawberry.field(description="All areas, by acronym.")
    async def areas(self, info: Info, state: GroupState | None = None) -> list[Area]:
        all_groups = [r[0].value for r in (await ctx(info).store.select(load("gql_group_list"))).rows]
        page = await group_connection(info, all_groups, GroupType.AREA, state, None, 100, None)
        return page.nodes  # type: ignore[return-value]

    @strawberry.field(description="A group of any kind by acronym (tls, cfrg, secdir, sec).")
    async def group(self, info: Info, acronym: str) -> Group | None:
        return await require(info, ctx(info).iris.group(acronym).value, "group")  # type: ignore[return-value]

    @strawberry.field(description="Groups, by acronym, filtered by type, parent area acronym, state and a "
                                  "case-insensitive search in acronym and name.")
    async def groups(
        self, info: Info, type: GroupType | None = None, area: str | None = None, state: GroupState | None = None,
        search: str | None = None, first: int | None = None, after: str | None = None,
    ) -> Connection[Group]:
        if area:
            parent = await require(info, ctx(info).iris.group(area).value, "area")
            candidates = await ctx(info).incoming(parent.iri, ORG.subOrganizationOf)
        else:
            candidates = [r[0].value for r in (await ctx(info).store.select(load("gql_group_list"))).rows]
        return await group_connection(info, candidates, type, state, search, first, after)

    @strawberry.field(description="A person by global id, Datatracker id (105815) or name key (eric-rescorla).")
    async def person(self, info: Info, id: strawberry.ID) -> Person | None:
        return await require(info, person_iri(info, id), "person")  # type: ignore[return-value]

    @strawberry.field(description="People whose name or printed name contains `search` (case-insensitive), by name.")
    async def people(self, info: Info, search: str, first: int | None = None, after: str | None = None) -> Connection[Person]:
        if len(search.strip()) < 2:
            raise RequestError("search needs at least 2 characters")
        rows = (await ctx(info).store.select(load("gql_people_search"), {"q": Literal(search.strip())})).rows
        ordered = [r[0].value for r in sorted(rows, key=lambda r: (r[2].value.lower(), r[0].value))]
        return await paginate(ordered, first, after, lambda page: existing_nodes(info, page))  # type: ignore[arg-type]

    document: Document | None = strawberry.field(resolver=rfc_by_number, description="An RFC by number.")
    rfc: Document | None = strawberry.field(resolver=rfc_by_number, description="An RFC by number (same as document).")

    @strawberry.field(description="RFCs by number, filtered.")
    async def documents(
        self, info: Info, filter: DocumentFilter | None = None, first: int | None = None, after: str | None = None,
    ) -> Connection[Document]:
        f = filter or DocumentFilter()
        group_iri = ctx(info).iris.group(f.group).value if f.group else None
        rows = (await ctx(info).store.select(load("gql_documents"))).rows
        iris = [r[0].value for r in rows if _doc_matches(r, f, group_iri)]
        if f.protocol:
            defining = set(await ctx(info).incoming(ctx(info).iris.protocol(f.protocol).value, IETF.definesProtocol))
            iris = [i for i in iris if i in defining]
        return await document_connection(info, iris, first, after)

    @strawberry.field(description="An Internet-Draft by name, with or without its revision (draft-ietf-tls-tls13).")
    async def draft(self, info: Info, name: str) -> Draft | None:
        node = await require(info, ctx(info).iris.draft(split_revision(name.strip())[0]).value, "draft")
        if not isinstance(node, Draft):
            raise NotFound(f"{name!r} is a document but not an Internet-Draft")
        return node

    @strawberry.field(description="An IETF meeting by number (115): where, when, which groups met, the BoFs.")
    async def meeting(self, info: Info, number: int) -> Meeting | None:
        return await require(info, ctx(info).iris.meeting(number).value, "meeting")  # type: ignore[return-value]

    @strawberry.field(description="All IETF meetings in the graph, by number.")
    async def meetings(self, info: Info) -> list[Meeting]:
        rows = (await ctx(info).store.select(load("gql_meeting_list"))).rows
        return await existing_nodes(info, [r[0].value for r in rows])  # type: ignore[return-value]

    @strawberry.field(description="A protocol by acronym (TLS, ACME, MLS; case-insensitive).")
    async def protocol(self, info: Info, name: str) -> Protocol | None:
        return await require(info, ctx(info).iris.protocol(name).value, "protocol")  # type: ignore[return-value]

    @strawberry.field(description="All protocols, by acronym.")
    async def protocols(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[Protocol]:
        rows = (await ctx(info).store.select(load("gql_protocol_list"))).rows
        ordered = [r[0].value for r in sorted(rows, key=lambda r: (r[1].value.lower(), r[0].value))]
        return await paginate(ordered, first, after, lambda page: existing_nodes(info, page))  # type: ignore[arg-type]

    @strawberry.field(description="Search groups, people, RFCs and protocols by label; exact matches first.")
    async def search(
        self, info: Info, text: str, kinds: list[NodeKind] | None = None,
        first: int | None = None, after: str | None = None,
    ) -> Connection[Node]:
        if len(text.strip()) < 2:
            raise RequestError("search needs at least 2 characters")
        rows = (await ctx(info).store.select(load("gql_search"), {"q": Literal(text.strip())})).rows
        hits = [r[0].value for r in rows if kinds is None or node_kind(info, r[0].value) in kinds]
        return await paginate(hits, first, after, lambda page: existing_nodes(info, page))  # type: ignore[arg-type]

    @strawberry.field(description="Role holdings, oldest first: filter by group acronym, role slug (chair, ad, "
                                  "lead...), person id, and `at` for the roles held on that date, certainly or "
                                  "possibly (ask each role `held(at:)` which, and its `bounds` why) — e.g. "
                                  "roles(group: \"sec\", role: \"ad\", at: \"2017-06-01\"); `held` "
                                  + HELD_ARGUMENT + ".")
    async def roles(
        self, info: Info, at: date | None = None, group: str | None = None, role: str | None = None,
        person: strawberry.ID | None = None, first: int | None = None, after: str | None = None,
        held: Held | None = None,
    ) -> Connection[Role]:
        c = ctx(info)
        bindings = {}
        if group:
            bindings["group"] = c.iris.group(group)
        if role:
            bindings["role"] = role_term(role)
        if person:
            bindings["person"] = term(person_iri(info, person))
        rows = (await c.store.select(load("gql_roles"), bindings)).rows
        return await role_connection(info, [r[0].value for r in rows], at, None, first, after, held)

    @strawberry.field(description="The area map: areas, the IRTF and the IAB with their groups, and the weighted "
                                  "area-area relations (people, RFCs, protocols and collaborations they share), "
                                  "each with its reasons.")
    async def area_map(self, info: Info) -> AreaMap:
        return await area_map(info)

    @strawberry.field(description="Shortest relationship paths between two entities (up to maxHops hops, at most "
                                  "`limit` paths), each hop naming its relation.")
    async def path(
        self, info: Info,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from", description="Global id of the start.")],
        to: Annotated[strawberry.ID, strawberry.argument(description="Global id of the end.")],
        max_hops: int = 4, limit: int = 5,
    ) -> list[Path]:
        if not 1 <= max_hops <= MAX_HOPS or not 1 <= limit <= MAX_PATHS:
            raise RequestError(f"maxHops must be 1..{MAX_HOPS} and limit 1..{MAX_PATHS}")
        start = await require(info, resolve_id(info, from_), "entity")
        end = await require(info, resolve_id(info, to), "entity")
        adjacency = await ctx(info).adjacency()
        paths = adjacency.shortest_paths(start.iri, end.iri, max_hops, limit)
        return [
            Path(iris=p, steps=[_step(adjacency.link(a, b), a, b) for a, b in pairwise(p)]) for p in paths
        ]

    @strawberry.field(description="The entities within `depth` hops of an entity (only of the given kinds, if "
                                  "any) and the relationships among them, at most `limit` entities.")
    async def neighborhood(
        self, info: Info, id: strawberry.ID, depth: int = 1, kinds: list[NodeKind] | None = None, limit: int = 100,
    ) -> Neighborhood:
        if not 1 <= depth <= MAX_DEPTH or not 1 <= limit <= MAX_NEIGHBORS:
            raise RequestError(f"depth must be 1..{MAX_DEPTH} and limit 1..{MAX_NEIGHBORS}")
        center = await require(info, resolve_id(info, id), "entity")
        adjacency = await ctx(info).adjacency()
        wanted = set(kinds) if kinds else None
        iris, edges, truncated = adjacency.neighborhood(
            center.iri, depth, lambda iri: wanted is None or node_kind(info, iri) in wanted, limit
        )
        return Neighborhood(
            center_iri=center.iri, iris=iris, truncated=truncated,
            edges=[Relation.of(s, o, link) for s, o, link in edges],
        )


def _step(link, a: str, b: str) -> PathStep:
    source, target = (a, b) if link.forward else (b, a)
    return PathStep(relation=Relation.of(source, target, link), forward=link.forward)


def should_mask(error: GraphQLError) -> bool:
    """Mask unexpected exceptions; keep our own errors and GraphQL's (syntax, validation) errors."""
    original = error.original_error
    return original is not None and not isinstance(original, (IetfKgError, GraphQLError))


def clients_mistake(error: GraphQLError) -> bool:
    """A syntax or validation error, or one of our 4xx errors (an unknown entity, a bad argument)."""
    original = error.original_error
    return original is None or isinstance(original, GraphQLError) or (
        isinstance(original, IetfKgError) and original.status < 500
    )


server_log = logging.getLogger("uvicorn.error")  # the server's own log, beside its request lines


def known_condition(error: GraphQLError) -> bool:
    """One of our own 5xx errors (the store is down, a time limit, start-up): a state, not a bug."""
    original = error.original_error
    return isinstance(original, IetfKgError) and original.status >= 500


class Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Log what went wrong on our side: a bug with its traceback, a known condition in one line;
        a client's mistake is answered, not logged."""
        ours = [e for e in errors if not clients_mistake(e)]
        for error in filter(known_condition, ours):
            server_log.warning("GraphQL %s: %s", error.path or "request", error.original_error)
        super().process_errors([e for e in ours if not known_condition(e)], execution_context)


schema = Schema(
    query=Query,
    types=[Area, Group, Person, Role, Document, SubSeries, Draft, Protocol, Meeting, Session],
    extensions=[
        lambda: MaxTokensLimiter(max_token_count=3000),
        RequestLimits,
        # Parsing and validating a nested query is a visible part of its time; both depend only on the
        # query text (and the fixed rules above), so repeated queries skip them. Bounded LRUs.
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: MaskErrors(should_mask_error=should_mask),
    ],
)
eager.check_kept()  # the kept fields can be kept: refused here, at import, rather than while serving
