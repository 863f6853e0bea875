"""The area map, a view of the graph: the areas, the IRTF and IAB, the groups under them, their
part-of and collaboration links, and the area-area projection with the reasons of every edge.

Blocking, over a ``Backend``: ``ietfkg viz`` calls it directly, the GraphQL ``areaMap``
field runs it once per app in a worker thread (``api/derived.py``). Node kinds and relation
labels come from the vocabulary table (``schema/vocabulary_table.py``).
"""

from __future__ import annotations

from typing import Any

from ietfkg.graph import analytics
from ietfkg.graph.backends import Backend
from ietfkg.graph.queries import load
from ietfkg.schema.vocab import Iris, local_name
from ietfkg.schema.vocabulary_table import AREA_KINDS, RELATION, kind_of_classes, relation_name

INTERNAL_LIMIT = 1_000_000  # analytics read whole (small) projections of the graph

Row = tuple[str | None, ...]


def _v(term: Any) -> str | None:
    return None if term is None else term.value


def rows(backend: Backend, name: str, bindings: dict[str, Any] | None = None) -> list[Row]:
    """The rows of a named query as plain strings (None where unbound)."""
    return [tuple(_v(t) for t in row) for row in backend.select(load(name), bindings, INTERNAL_LIMIT).rows]


def kind_from_types(types: str | None) -> str:
    """The node kind from a space-separated list of rdf:type IRIs, the most specific type's.

    >>> kind_from_types("https://ietf-kg.example/ns#WorkingGroup https://ietf-kg.example/ns#BoF")
    'bof'
    """
    return kind_of_classes(set((types or "").split())).key


def label_of(iri: str, kind: str, notation: str | None, name: str | None, number: str | None) -> str:
    """The short label drawn on a node: acronym, person name, "RFC n" or the IRI's last segment."""
    if kind == "rfc" and number:
        return f"RFC {number}"
    if kind in ("person", "agent") and name:
        return name
    return notation or name or local_name(iri)


def node(iri: str, types: str | None, base: str, **parts: Any) -> dict[str, Any]:
    """One drawn entity: id, kind, label, page path and the facts given (None left out)."""
    kind = kind_from_types(types)
    label = label_of(iri, kind, parts.get("notation"), parts.get("name"), parts.get("number"))
    facts = {k: v for k, v in parts.items() if v is not None and k not in ("notation", "number")}
    return {"id": iri, "kind": kind, "label": label, "page": Iris(base).page_path(iri), **facts}


def link(source: str, target: str, name: str, **facts: Any) -> dict[str, Any]:
    """One drawn edge, in its RDF direction, labelled from the vocabulary table."""
    return {"source": source, "target": target, "predicate": name, "label": RELATION[name].label, **facts}


def area_map(backend: Backend, base: str) -> dict[str, Any]:
    """The area map: nodes (areas and the groups under them), part-of and collaboration links,
    and the weighted area-area projection whose edges carry their reasons."""
    nodes, links = [], []
    for group, types, notation, label, state, area in rows(backend, "viz_area_map"):
        nodes.append(node(group, types, base, notation=notation, name=label, state=state, area=area))
        if group != area:
            links.append(link(group, area, "subOrganizationOf"))
    nodes.sort(key=lambda n: (n["area"], n["kind"] not in AREA_KINDS, n["label"].lower(), n["id"]))
    drawn = {n["id"] for n in nodes}
    area_ids = sorted(n["id"] for n in nodes if n["kind"] in AREA_KINDS)
    group_area_rows = rows(backend, "viz_group_area")
    group_area = analytics.group_areas((g, a) for g, a, _ in group_area_rows)
    acronyms = {g: acr for g, _, acr in group_area_rows if acr}
    holdings = [
        analytics.RoleHolding(person, name or person, group, role, start, end)
        for _, person, name, group, role, start, end in rows(backend, "viz_role_holders")
    ]
    rfc_groups = [(r, int(n), g) for r, n, g in rows(backend, "viz_rfc_groups")]
    collaborations = [(a, b) for a, b in rows(backend, "viz_collaborations")]
    rfc_relations = [(r, relation_name(p), t) for r, p, t in rows(backend, "viz_rfc_relations")]
    evidence = [
        *analytics.people_evidence(holdings, group_area, acronyms),
        *analytics.rfc_evidence(rfc_groups, rfc_relations, group_area, acronyms),
        *analytics.protocol_evidence(rows(backend, "viz_protocol_rfcs"), rfc_groups, group_area),
        *analytics.collaboration_evidence(collaborations, group_area, acronyms),
    ]
    projection = analytics.area_projection(area_ids, evidence)
    links += [link(a, b, "collaboratesWith") for a, b in collaborations if a in drawn and b in drawn]
    return {"nodes": nodes, "links": links, "projection": analytics.projection_edges(projection)}
