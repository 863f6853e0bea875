"""Shared GraphQL pieces: the ``Node`` interface, Relay-style connections, provenance, node lookup.

Each domain module (``types_groups``, ``types_people``, ``types_docs``) registers
its node classes with ``register_node``, so ``node_for`` can turn any IRI into
the right object without this module importing them.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Mapping, Sequence
from enum import Enum
from typing import Generic, TypeVar

import strawberry
from pyoxigraph import NamedNode
from strawberry.types import Info

from ietfkg.api.graphql import eager
from ietfkg.api.graphql.answers import UNKNOWN, Kept
from ietfkg.api.graphql.loaders import Context, Props
from ietfkg.graph.queries import standalone
from ietfkg.schema.errors import NotFound, RequestError
from ietfkg.schema.vocab import RDF, ROLE_LABELS, local_name

DEFAULT_PAGE = 20
MAX_PAGE = 100
T = TypeVar("T")
X = TypeVar("X")


@strawberry.enum(description="The kind of an entity, for filtering search and neighborhood results.")
class NodeKind(Enum):
    GROUP = strawberry.enum_value("group", description="Areas, working and research groups, programs, bodies...")
    PERSON = strawberry.enum_value("person", description="People and organisations named as RFC authors.")
    DOCUMENT = strawberry.enum_value("doc", description="RFCs, sub-series entries (BCP, STD, FYI) and Internet-Drafts.")
    PROTOCOL = strawberry.enum_value("protocol", description="Protocols named by acronym.")
    ROLE = strawberry.enum_value("role", description="Role holdings (memberships).")
    MEETING = strawberry.enum_value("meeting", description="IETF meetings.")
    SESSION = strawberry.enum_value("session", description="Sessions of groups at IETF meetings.")


KIND_OF_PATH = {"group": NodeKind.GROUP, "person": NodeKind.PERSON, "agent": NodeKind.PERSON,
                "doc": NodeKind.DOCUMENT, "protocol": NodeKind.PROTOCOL, "role": NodeKind.ROLE,
                "meeting": NodeKind.MEETING, "session": NodeKind.SESSION}


def ctx(info: Info) -> Context:
    return info.context


def node_kind(info: Info, iri: str) -> NodeKind | None:
    return KIND_OF_PATH.get(ctx(info).iris.path_kind(iri) or "")


@strawberry.type(description="Where a statement about an entity comes from: one source graph and its evidence.")
class Provenance:
    graph: str = strawberry.field(description="IRI of the source's named graph.")
    source: str = strawberry.field(description="Source name (rfc-editor, power-map, iesg-roll-calls, ...).")
    title: str | None = strawberry.field(description="Human title of the source.")
    origin: str | None = strawberry.field(description="Where the source came from (URL or description).")
    snapshot_date: str | None = strawberry.field(description="Date of the source snapshot.")
    evidence: list[str] = strawberry.field(description="Evidence URLs (prov:wasDerivedFrom) this source gives.")


@strawberry.type(description="A named SPARQL query, ready to run at /sparql.")
class SparqlQuery:
    name: str = strawberry.field(description="Name of the query file (graph/queries/<name>.rq).")
    query: str = strawberry.field(description="The query text, with its PREFIXes and the entity bound.")


# The queries behind an entity's links and roles, offered to users who want to go on in SPARQL.
ENTITY_QUERIES = ("viz_neighbours", "viz_node_roles")


@strawberry.interface(description="An entity of the knowledge graph; its global id is the entity IRI.")
class Node:
    """Scalar fields that most queries read are plain attributes filled by each type's ``of(iri, props)``
    from the describe loader's answer: strawberry serves those without a resolver call."""

    iri: strawberry.Private[str]
    id: strawberry.ID = strawberry.field(
        description="Global id: the entity IRI (pass it to node(id:), path and neighborhood).")

    @strawberry.field(description="Path of the entity's HTML page on this server (/group/tls), if it has one.")
    def page(self, info: Info) -> str | None:
        return ctx(info).iris.page_path(self.iri)

    @strawberry.field(description="SPARQL queries listing this entity's links (neighbours) and the roles held "
                                  "by or in it, to paste into /sparql.")
    def sparql_queries(self) -> list[SparqlQuery]:
        return [SparqlQuery(name=name, query=standalone(name, NamedNode(self.iri))) for name in ENTITY_QUERIES]

    @eager.field(description="The source graphs that state facts about this entity, with their evidence URLs.")
    async def provenance(self, info: Info) -> list[Provenance]:
        per_graph = await ctx(info).loaders.provenance.load(self.iri)
        sources = await ctx(info).loaders.sources.load("")
        out = []
        for graph, evidence in per_graph.items():
            src = sources.get(graph)
            out.append(Provenance(
                graph=graph, source=src.name if src else local_name(graph),
                title=src.title if src else None, origin=src.origin if src else None,
                snapshot_date=src.snapshot if src else None, evidence=evidence,
            ))
        return out


@strawberry.type(description="Relay page information.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(description="Items precede this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first item of the page.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last item; pass it as `after`.")


@strawberry.type(description="One item of a connection with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque cursor of this item.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="A Relay-style page of items: totalCount, edges with cursors, pageInfo.")
class Connection(Generic[T]):
    total_count: int = strawberry.field(description="Number of items in the whole list, not just this page.")
    nodes: list[T] = strawberry.field(description="The items of this page without cursors (shortcut for edges { node }).")
    start: strawberry.Private[int]  # offset of the page's first item in the whole list
    end: strawberry.Private[int]  # offset after its last (nodes may be fewer: entities the store lacks)

    # Cursors are made only when asked for: most queries read `nodes`.
    @strawberry.field(description="The items of this page with their cursors.")
    def edges(self) -> list[Edge[T]]:
        return [Edge(cursor=_cursor(self.start + i), node=n) for i, n in enumerate(self.nodes)]

    @strawberry.field(description="Cursors and whether more pages exist.")
    def page_info(self) -> PageInfo:
        return PageInfo(
            has_next_page=self.end < self.total_count,
            has_previous_page=self.start > 0,
            start_cursor=_cursor(self.start) if self.nodes else None,
            end_cursor=_cursor(self.start + len(self.nodes) - 1) if self.nodes else None,
        )


def _cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str) -> int:
    try:
        kind, _, number = base64.b64decode(cursor, validate=True).decode().partition(":")
        if kind == "offset" and number.isdigit():
            return int(number)
    except ValueError:  # binascii.Error, UnicodeDecodeError, non-ASCII text, digits int() refuses
        pass
    raise RequestError(f"invalid cursor {cursor!r}")


def page_bounds(first: int | None, after: str | None) -> tuple[int, int]:
    """``(start, size)`` of a page; checks ``first`` against the page size cap."""
    size = DEFAULT_PAGE if first is None else first
    if size < 0 or size > MAX_PAGE:
        raise RequestError(f"first must be between 0 and {MAX_PAGE}, got {size}")
    return (_offset(after) + 1 if after else 0), size


async def paginate(
    items: Sequence[X], first: int | None, after: str | None, make: Callable[[Sequence[X]], Awaitable[list[T]]]
) -> Connection[T]:
    """Slice ``items`` into a page and build its nodes with one call to ``make`` (batched)."""
    start, size = page_bounds(first, after)
    window = items[start:start + size]
    return Connection(total_count=len(items), nodes=await make(window), start=start, end=start + len(window))


async def as_is(items: Sequence[X]) -> list[X]:
    """Page builder for lists whose items are already built."""
    return list(items)


# -- IRI -> node object --------------------------------------------------------------------------
_NODE_TYPES: dict[str, Callable[[str, Props], Node]] = {}
_EMBEDS: dict[str, Mapping[str, NamedNode]] = {}


def register_node(kind: str, make: Callable[[str, Props], Node], embeds: Mapping[str, NamedNode] | None = None) -> None:
    """``make(iri, props)`` builds the object for an entity of IRI kind ``kind`` (``group``, ``doc``...).

    ``embeds`` maps a list field of the object to the predicate whose objects it holds as nodes,
    made before the object itself: a field read on hundreds of objects per request (a document's
    protocols) costs far less as an attribute than as a resolver.
    """
    _NODE_TYPES[kind] = make
    if embeds:
        _EMBEDS[kind] = embeds


def _make_node(c: Context, iri: str, props: Props, linked: Mapping[str, Node | None]) -> Node | None:
    """The typed object for an entity described by ``props`` (None when the store knows nothing).

    ``linked`` holds the nodes it embeds (``register_node``), made first by ``nodes_for``.
    """
    kind = c.iris.path_kind(iri) or ""
    make = _NODE_TYPES.get(kind)
    node = make(iri, props) if make and props else None
    if node is None:
        return None
    for name, predicate in _EMBEDS.get(kind, {}).items():
        setattr(node, name, [n for o in props.strs(predicate) if (n := linked.get(o)) is not None])
    # Node objects are never changed once made, and neither is the store: they are kept with the
    # loaders' answers, and a later request that reaches the entity reuses them.
    c.loaders.answers.keep(Kept.NODE, iri, node)
    return node


async def node_for(info: Info, iri: str) -> Node | None:
    """The typed object for an IRI, or None when the store knows nothing about it."""
    return (await nodes_for(info, [iri]))[0]


async def nodes_for(info: Info, iris: Sequence[str]) -> list[Node | None]:
    if not iris:  # most documents define no protocol, most groups have no collaborations...
        return []
    c = ctx(info)
    made = [c.loaders.answers.get(Kept.NODE, iri) for iri in iris]
    missing = list(dict.fromkeys(iri for iri, node in zip(iris, made) if node is UNKNOWN))
    if not missing:  # all made in earlier requests: nothing to read or make
        return made
    described = await c.props_many(missing)
    embedded = sorted(_embedded(c, missing, described))
    linked = dict(zip(embedded, await nodes_for(info, embedded))) if embedded else {}
    fresh = {iri: _make_node(c, iri, p, linked) for iri, p in zip(missing, described)}
    return [fresh[iri] if node is UNKNOWN else node for iri, node in zip(iris, made)]


def _embedded(c: Context, iris: Sequence[str], described: Sequence[Props]) -> set[str]:
    """The IRIs that the nodes to make for ``iris`` embed."""
    found: set[str] = set()
    for iri, props in zip(iris, described):
        if embeds := _EMBEDS.get(c.iris.path_kind(iri) or ""):
            found.update(o for predicate in embeds.values() for o in props.strs(predicate))
    return found


async def existing_nodes(info: Info, iris: Sequence[str]) -> list[Node]:
    return [n for n in await nodes_for(info, iris) if n is not None]


async def first_node(info: Info, iris: Sequence[str]) -> Node | None:
    """The first of ``iris`` the store knows (a link stated once: a session's group, a draft's RFC)."""
    nodes = await existing_nodes(info, iris)
    return nodes[0] if nodes else None


async def require(info: Info, iri: str, what: str) -> Node:
    node = await node_for(info, iri)
    if node is None:
        raise NotFound(f"no {what} {local_name(iri)!r}")
    return node


def is_a(props: Props, cls: object) -> bool:
    return props.has(RDF.type, cls)  # type: ignore[arg-type]


def role_slug(role_iri: str) -> str:
    return local_name(role_iri).removeprefix("role-")


def role_label(slug: str) -> str:
    """Human label of a role kind: ``ad`` -> ``Area Director``; unknown slugs are spelled out."""
    return ROLE_LABELS.get(slug, slug.replace("-", " ").capitalize())

