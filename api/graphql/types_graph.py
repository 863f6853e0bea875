"""GraphQL types for relationship queries: shortest paths and neighborhoods over the adjacency index."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from ietfkg.api.graphql import eager
from ietfkg.api.graphql.types_common import Node, node_for, nodes_for, role_label
from ietfkg.graph.adjacency import Link
from ietfkg.schema.vocabulary_table import RELATION, relation_name



def relation_label(name: str) -> str:
    """What a picture writes on the edge: ``producedBy`` -> ``produced by``, ``role:ad`` -> ``Area Director``.

    >>> relation_label("producedBy"), relation_label("role:ad"), relation_label("role:co-chair")
    ('produced by', 'Area Director', 'Co chair')
    """
    if name.startswith("role:"):
        return role_label(name.removeprefix("role:"))
    relation = RELATION.get(name)
    return relation.label if relation else name


@strawberry.type(description="A relationship between two entities, in its RDF direction (source -> target).")
class Relation:
    source_iri: strawberry.Private[str]
    target_iri: strawberry.Private[str]
    predicate: str = strawberry.field(description="IRI of the property (or of the role kind, for role holdings).")
    name: str = strawberry.field(description="Short name: producedBy, creator, obsoletes, updates, "
                                             "subOrganizationOf, definesProtocol, role:chair, role:ad, ...")

    @strawberry.field(description="Human label of the relation: produced by, part of, author, Chair, "
                                  "Area Director, ...")
    def label(self) -> str:
        return relation_label(self.name)

    @classmethod
    def of(cls, source: str, target: str, link: Link) -> Relation:
        return cls(source_iri=source, target_iri=target, predicate=link.predicate, name=relation_name(link.predicate))

    @eager.field(description="Subject of the statement.", keep=False)
    async def source(self, info: Info) -> Node | None:
        return await node_for(info, self.source_iri)

    @eager.field(description="Object of the statement.", keep=False)
    async def target(self, info: Info) -> Node | None:
        return await node_for(info, self.target_iri)


@strawberry.type(description="One hop of a path: the relation between two consecutive path nodes.")
class PathStep:
    relation: Relation = strawberry.field(description="The relationship crossed, in its RDF direction.")
    forward: bool = strawberry.field(description="True when the hop follows the relation's direction "
                                                 "(path node i is its source), false when it goes against it.")


@strawberry.type(description="A shortest relationship path between two entities.")
class Path:
    iris: strawberry.Private[list[str]]
    steps: list[PathStep] = strawberry.field(description="The hops, in order, with the relations named.")

    @strawberry.field(description="Number of hops.")
    def length(self) -> int:
        return len(self.iris) - 1

    @eager.field(description="The entities along the path, from `from` to `to`.", keep=False)
    async def nodes(self, info: Info) -> list[Node | None]:
        return await nodes_for(info, self.iris)


@strawberry.type(description="The entities around one entity and the relationships among them.")
class Neighborhood:
    center_iri: strawberry.Private[str]
    iris: strawberry.Private[list[str]]
    edges: list[Relation] = strawberry.field(description="Relationships among the returned entities.")
    truncated: bool = strawberry.field(description="True when the node limit cut the neighborhood short.")

    @eager.field(description="The entity at the center.", keep=False)
    async def center(self, info: Info) -> Node | None:
        return await node_for(info, self.center_iri)

    @eager.field(description="The entities, the center first, then by distance.", keep=False)
    async def nodes(self, info: Info) -> list[Node | None]:
        return await nodes_for(info, self.iris)
