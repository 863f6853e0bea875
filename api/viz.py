"""The visualization: the ``/viz`` page and the area map it starts from.

``/viz`` serves ``static/viz/index.html``; the page draws with cytoscape (installed
from the npm registry into ``static/vendor/`` by ``make install``) and reads
everything from ``POST /graphql``: ``areaMap`` (built here by ``area_map``: the
areas, the IRTF and IAB, the groups under them, and the area-area projection with
the reasons of every edge), ``search``, ``node``/``neighborhood``, ``path`` and
``roles(at:)``.

``area_map`` is blocking and takes a ``Backend``: ``ietfkg viz`` calls it directly,
and the GraphQL ``areaMap`` field runs it once per app in a worker thread
(``api/derived.py``).
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from ietfkg.graph import analytics
from ietfkg.graph.backends import Backend
from ietfkg.graph.queries import load
from ietfkg.schema.vocab import Iris, local_name

INTERNAL_LIMIT = 1_000_000  # analytics read whole (small) projections of the graph

# rdf:type local name -> node kind, most specific first (satp is both a BoF and a WG: BoF wins).
KINDS: tuple[tuple[str, str], ...] = (
    ("Area", "area"),
    ("Body", "body"),
    ("ResearchGroup", "rg"),
    ("IABProgram", "program"),
    ("Directorate", "directorate"),
    ("AreaGroup", "areagroup"),
    ("Team", "team"),
    ("BoF", "bof"),
    ("WorkingGroup", "wg"),
    ("Group", "group"),
    ("Person", "person"),
    ("RFC", "rfc"),
    ("SubSeries", "subseries"),
    ("Protocol", "protocol"),
    ("Agent", "agent"),
    ("Organization", "agent"),
)


# -- shaping rows ----------------------------------------------------------------------------
def _v(term: Any) -> str | None:
    return None if term is None else term.value


def kind_from_types(types: str | None) -> str:
    """The node kind from a space-separated list of rdf:type IRIs, the most specific type's.

    >>> kind_from_types("https://ietf-kg.example/ns#WorkingGroup https://ietf-kg.example/ns#BoF")
    'bof'
    """
    local = {local_name(t) for t in (types or "").split()}
    return next((kind for name, kind in KINDS if name in local), "other")


def label_of(iri: str, kind: str, notation: str | None, name: str | None, number: str | None) -> str:
    """The short label drawn on a node: acronym, person name, "RFC n" or the IRI's last segment."""
    if kind == "rfc" and number:
        return f"RFC {number}"
    if kind in ("person", "agent") and name:
        return name
    return notation or name or local_name(iri)


def _node(iri: str, types: str | None, base: str, **parts: Any) -> dict[str, Any]:
    kind = kind_from_types(types)
    label = label_of(iri, kind, parts.get("notation"), parts.get("name"), parts.get("number"))
    facts = {k: v for k, v in parts.items() if v is not None and k not in ("notation", "number")}
    return {"id": iri, "kind": kind, "label": label, "page": Iris(base).page_path(iri), **facts}


# -- blocking data functions (take a Backend) -------------------------------------------------
def _rows(backend: Backend, name: str, bindings: dict[str, Any] | None = None) -> list[tuple[str | None, ...]]:
    return [tuple(_v(t) for t in row) for row in backend.select(load(name), bindings, INTERNAL_LIMIT).rows]


def area_map(backend: Backend, base: str) -> dict[str, Any]:
    """The area map: nodes (areas and the groups under them), part-of and collaboration links,
    and the weighted area-area projection whose edges carry their reasons."""
    nodes, links = [], []
    for group, types, notation, label, state, area in _rows(backend, "viz_area_map"):
        nodes.append(_node(group, types, base, notation=notation, name=label, state=state, area=area))
        if group != area:
            links.append({"source": group, "target": area, "predicate": "subOrganizationOf", "label": "part of"})
    nodes.sort(key=lambda n: (n["area"], n["kind"] not in ("area", "body"), n["label"].lower(), n["id"]))
    drawn = {n["id"] for n in nodes}
    area_ids = sorted(n["id"] for n in nodes if n["kind"] in ("area", "body"))
    group_area_rows = _rows(backend, "viz_group_area")
    group_area = analytics.group_areas((g, a) for g, a, _ in group_area_rows)
    acronyms = {g: acr for g, _, acr in group_area_rows if acr}
    holdings = [
        analytics.RoleHolding(person, name or person, group, role, start, end)
        for _, person, name, group, role, start, end in _rows(backend, "viz_role_holders")
    ]
    rfc_groups = [(r, int(n), g) for r, n, g in _rows(backend, "viz_rfc_groups")]
    collaborations = [(a, b) for a, b in _rows(backend, "viz_collaborations")]
    evidence = [
        *analytics.people_evidence(holdings, group_area, acronyms),
        *analytics.rfc_evidence(rfc_groups, _rows(backend, "viz_rfc_relations"), group_area, acronyms),
        *analytics.protocol_evidence(_rows(backend, "viz_protocol_rfcs"), rfc_groups, group_area),
        *analytics.collaboration_evidence(collaborations, group_area, acronyms),
    ]
    projection = analytics.area_projection(area_ids, evidence)
    links += [
        {"source": a, "target": b, "predicate": "collaboratesWith", "label": "collaborates with"}
        for a, b in collaborations
        if a in drawn and b in drawn
    ]
    return {"nodes": nodes, "links": links, "projection": analytics.projection_edges(projection)}


async def page(request: Request) -> Response:
    return FileResponse(str(files("ietfkg.api") / "static" / "viz" / "index.html"), media_type="text/html")


routes = [Route("/viz", page, name="viz")]
