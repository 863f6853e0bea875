"""GraphQL types for the area map: the areas with their groups, and the weighted area-area projection.

The map is a graph view (``graph/area_map.py``: ``graph/analytics.py`` on the rows of
the ``viz_*`` queries), so it is computed once
per app (``api/derived.py``); each request only wraps it in these types, and the
groups it names are described through the request's DataLoaders.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import strawberry
from strawberry.types import Info

from ietfkg.api.graphql import eager
from ietfkg.api.graphql.lazy import GroupT
from ietfkg.api.graphql.types_common import ctx, node_for
from ietfkg.api.graphql.types_graph import Relation
from ietfkg.graph import area_map as views
from ietfkg.graph.adjacency import Link
from ietfkg.schema.vocabulary_table import RELATION


@strawberry.type(description="One group drawn on the area map, with the area (or IRTF/IAB) it is drawn under.")
class AreaMapNode:
    group_iri: strawberry.Private[str]
    area_iri: strawberry.Private[str]

    @eager.field(description="The group (an area or body itself, or a group under one).", keep=False)
    async def group(self, info: Info) -> GroupT | None:
        return await node_for(info, self.group_iri)  # type: ignore[return-value]

    @eager.field(description="The area, the IRTF or the IAB it belongs to (itself for those).", keep=False)
    async def area(self, info: Info) -> GroupT | None:
        return await node_for(info, self.area_iri)  # type: ignore[return-value]


@strawberry.type(description="How many reasons of each kind an area relation has.")
class ReasonCounts:
    people: int = strawberry.field(description="People holding roles in groups of both areas.")
    rfc: int = strawberry.field(description="RFCs of one area updating or obsoleting RFCs of the other.")
    protocol: int = strawberry.field(description="Protocols defined by RFCs of both areas.")
    collaboration: int = strawberry.field(description="Stated collaborations (ietf:collaboratesWith).")


@strawberry.type(description="One piece of evidence tying two areas together.")
class AreaReason:
    kind: str = strawberry.field(description="people, rfc, protocol or collaboration.")
    key: str = strawberry.field(description="What the evidence is about: a person, RFC pair, protocol or groups.")
    label: str = strawberry.field(description="Short label: a name, \"RFC 9001 updates RFC 8446\", \"TLS\".")
    text: str = strawberry.field(description="The label with how it touches each area (roles with dates, RFCs).")


@strawberry.type(description="A weighted edge of the area-area projection: the areas share `weight` pieces "
                             "of evidence, each listed in `reasons`.")
class AreaRelation:
    source_iri: strawberry.Private[str]
    target_iri: strawberry.Private[str]
    weight: int = strawberry.field(description="Number of shared pieces of evidence (= number of reasons).")
    counts: ReasonCounts = strawberry.field(description="Reasons per kind.")
    reasons: list[AreaReason] = strawberry.field(description="Every shared piece of evidence, by kind then label.")

    @eager.field(description="One area (the IRI that sorts first).", keep=False)
    async def source(self, info: Info) -> GroupT | None:
        return await node_for(info, self.source_iri)  # type: ignore[return-value]

    @eager.field(description="The other area.", keep=False)
    async def target(self, info: Info) -> GroupT | None:
        return await node_for(info, self.target_iri)  # type: ignore[return-value]


@strawberry.type(description="The area map: the IETF areas, the IRTF and the IAB with the groups under them, "
                             "their part-of and collaboration links, and the weighted area-area projection "
                             "(networkx) whose edges carry their reasons.")
class AreaMap:
    nodes: list[AreaMapNode] = strawberry.field(description="Areas and bodies, each followed by its groups.")
    links: list[Relation] = strawberry.field(description="part-of (subOrganizationOf) and collaboratesWith links "
                                                         "among the groups drawn.")
    relations: list[AreaRelation] = strawberry.field(description="Area-area relations, heaviest first.")


def _link(link: dict[str, Any]) -> Relation:
    return Relation.of(link["source"], link["target"], Link(RELATION[link["predicate"]].predicate.value, True))


async def area_map(info: Info) -> AreaMap:
    c = ctx(info)
    build = partial(views.area_map, base=c.iris.base)  # the same map `ietfkg viz` draws
    data = await c.store.within(partial(c.derived.get, "area_map", build))
    return AreaMap(
        nodes=[AreaMapNode(group_iri=n["id"], area_iri=n["area"]) for n in data["nodes"]],
        links=[_link(link) for link in data["links"]],
        relations=[
            AreaRelation(
                source_iri=e["source"], target_iri=e["target"], weight=e["weight"],
                counts=ReasonCounts(**e["counts"]), reasons=[AreaReason(**r) for r in e["reasons"]],
            )
            for e in data["projection"]
        ],
    )
