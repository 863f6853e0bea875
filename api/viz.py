"""The visualization: the ``/viz`` page and the small JSON endpoints that feed it.

``/viz`` serves ``static/viz/index.html``; the page draws with cytoscape (installed
from the npm registry into ``static/vendor/`` by ``make install``) and asks:

- ``/viz/api/areas``: the area map (areas, the IRTF and IAB, the groups under
  them) and the area-area projection with the reasons of every edge;
- ``/viz/api/node?id=<iri>``: one entity's facts, neighbours and roles, with
  links to its page and to the SPARQL and GraphQL queries behind it;
- ``/viz/api/search?q=``: acronyms, people, RFCs ("8446", "rfc8446"), protocols;
- ``/viz/api/path?from=<iri>&to=<iri>``: one shortest path in the entity graph;
- ``/viz/api/roles?at=YYYY-MM-DD``: who held which role on that date.

The functions taking a ``Backend`` are blocking (``ietfkg viz`` calls them
directly); handlers run them through ``AsyncStore.run``. The area map and the
entity graph for paths depend only on the store, which is read-only for the
app's life, so each app computes them once (``app.state``), never per module.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from functools import partial
from importlib.resources import files
from typing import Any, TypeVar
from urllib.parse import quote

import anyio
import networkx as nx
from pyoxigraph import Literal, NamedNode
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from ietfkg.api.store import AsyncStore
from ietfkg.graph import analytics
from ietfkg.graph.backends import Backend
from ietfkg.graph.queries import load
from ietfkg.schema.errors import BadQuery, NotFound
from ietfkg.schema.vocab import PREFIXES, XSD

T = TypeVar("T")

INTERNAL_LIMIT = 1_000_000  # analytics read whole (small) projections of the graph
NEIGHBOURS_PER_LINK = 60  # per (direction, predicate): the page stays readable
SEARCH_LIMIT = 20

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
GROUP_KINDS = {"area", "body", "rg", "program", "directorate", "areagroup", "team", "bof", "wg", "group"}

PREDICATE_LABELS = {
    "subOrganizationOf": "part of",
    "collaboratesWith": "collaborates with",
    "producedBy": "produced by",
    "creator": "author",
    "obsoletes": "obsoletes",
    "updates": "updates",
    "definesProtocol": "defines",
    "isPartOf": "part of series",
    "memberOf": "role in",
}


# -- shaping rows ----------------------------------------------------------------------------
def _v(term: Any) -> str | None:
    return None if term is None else term.value


def kind_of(types: str | None) -> str:
    """The node kind from a space-separated list of rdf:type IRIs.

    >>> kind_of("https://ietf-kg.example/ns#WorkingGroup https://ietf-kg.example/ns#BoF")
    'bof'
    """
    local = {t.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for t in (types or "").split()}
    return next((kind for name, kind in KINDS if name in local), "other")


def label_of(iri: str, kind: str, notation: str | None, name: str | None, number: str | None) -> str:
    """The short label drawn on a node: acronym, person name, "RFC n" or the IRI's last segment."""
    if kind == "rfc" and number:
        return f"RFC {number}"
    if kind in ("person", "agent") and name:
        return name
    return notation or name or iri.rstrip("/").rsplit("/", 1)[-1]


def page_path(iri: str, base: str) -> str | None:
    """The entity page path (``/group/tls``) mirroring the IRI under the base, else None."""
    return "/" + iri[len(base):] if iri.startswith(base) and len(iri) > len(base) else None


def _node(iri: str, types: str | None, base: str, **parts: Any) -> dict[str, Any]:
    kind = kind_of(types)
    label = label_of(iri, kind, parts.get("notation"), parts.get("name"), parts.get("number"))
    facts = {k: v for k, v in parts.items() if v is not None and k not in ("notation", "number")}
    return {"id": iri, "kind": kind, "label": label, "page": page_path(iri, base), **facts}


def _iri(value: str | None, what: str) -> NamedNode:
    if not value:
        raise BadQuery(f"missing {what}: give an entity IRI")
    try:
        return NamedNode(value)
    except ValueError as exc:
        raise BadQuery(f"{what} is not a valid IRI: {value!r}") from exc


def shared_query(name: str, node: NamedNode) -> str:
    """The named query as a standalone text a user can paste into /sparql: PREFIXes, then ?node bound."""
    text = load(name)
    used = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if f"{p}:" in text)
    return f"{used}{text.rstrip()}\nVALUES ?node {{ {node} }}\n"


GRAPHQL_FIELDS = {
    "group": "... on Group { acronym name type state parent { acronym } "
             "leadership { kind start end person { name } } protocols { name } }",
    "area": "... on Area { acronym name state leadership { kind start end person { name } } "
            "workingGroups { nodes { acronym } } }",
    "person": "... on Person { name roles { nodes { kind start end group { acronym } } } "
              "documents(first: 20) { totalCount nodes { number title } } }",
    "rfc": "... on Document { number title status group { acronym } authors { name } "
           "obsoletes { number } updates { number } protocols { name } }",
    "protocol": "... on Protocol { name expansion definingDocuments { number title } groups { acronym } }",
}


def graphql_query(kind: str, iri: str) -> str:
    """The GraphQL explorer query for the entity: ``node(id:)`` with the fields the side panel shows."""
    key = kind if kind in GRAPHQL_FIELDS else "group" if kind in GROUP_KINDS else kind
    fields = GRAPHQL_FIELDS.get(key, "__typename")
    return f"{{ node(id: {json.dumps(iri)}) {{ id {fields} }} }}"


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


def node_view(backend: Backend, base: str, iri: str) -> dict[str, Any]:
    """One entity: facts, neighbours (capped per link kind), roles, and where it comes from."""
    node = _iri(iri, "id")
    bound = {"node": node}
    facts = _rows(backend, "viz_node", bound)
    if not facts:
        raise NotFound(f"no entity {iri}")
    _, types, notation, name, number, title, label, state, status, year = facts[0]
    me = _node(iri, types, base, notation=notation, name=name or label, number=number, title=title,
               state=state, status=status, year=year)
    neighbours, links, more = [], [], {}
    by_link: dict[tuple[str, str], list[tuple[str | None, ...]]] = defaultdict(list)
    for row in _rows(backend, "viz_neighbours", bound):
        by_link[(row[1] or "", row[2] or "")].append(row[1:])
    for (direction, predicate), rows in sorted(by_link.items()):
        rows.sort(key=lambda r: (-int(r[6]) if r[6] else 0, r[4] or r[5] or r[2] or ""))
        short = predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if len(rows) > NEIGHBOURS_PER_LINK:
            more[f"{direction} {short}"] = len(rows) - NEIGHBOURS_PER_LINK
        for _, _, other, types_, notation_, name_, number_, title_ in rows[:NEIGHBOURS_PER_LINK]:
            neighbours.append(_node(other, types_, base, notation=notation_, name=name_, number=number_, title=title_))
            source, target = (iri, other) if direction == "out" else (other, iri)
            links.append({"source": source, "target": target, "predicate": short,
                          "label": PREDICATE_LABELS.get(short, short)})
    roles = []
    for _, _, person, pname, group, acronym, gtypes, role, start, end, basis in _rows(backend, "viz_node_roles", bound):
        roles.append({"person": person, "name": pname, "group": group, "acronym": acronym, "role": role,
                      "start": start, "end": end, "basis": basis})
        if person == iri:
            neighbours.append(_node(group, gtypes, base, notation=acronym))
        else:
            neighbours.append(_node(person, "Person", base, name=pname))
        links.append({"source": person, "target": group, "predicate": "memberOf", "label": role})
    sparql = {q: "/sparql?query=" + quote(shared_query(q, node)) for q in ("viz_neighbours", "viz_node_roles")}
    gql = graphql_query(me["kind"], iri)
    return {
        "node": me,
        "neighbours": _unique(neighbours),
        "links": _unique(links, key=lambda l: (l["source"], l["target"], l["predicate"], l["label"])),
        "more": more,
        "roles": roles,
        "queries": {"sparql": sparql, "graphql": gql, "graphql_href": "/graphql?query=" + quote(gql)},
    }


def _unique(items: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any] = lambda n: n["id"]) -> list[dict[str, Any]]:
    seen: dict[Any, dict[str, Any]] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())


def normalize_search(text: str) -> str:
    """Lower-case, and "rfc8446"/"RFC  8446" -> "rfc 8446" so it matches the RFC's notation.

    >>> normalize_search(" RFC8446 "), normalize_search("TLS")
    ('rfc 8446', 'tls')
    """
    q = " ".join(text.lower().split())
    if q.startswith("rfc") and q[3:].strip().isdigit():
        q = "rfc " + q[3:].strip()
    return q


def search(backend: Backend, base: str, text: str) -> list[dict[str, Any]]:
    """Entities whose acronym, name or RFC notation contains ``text``: exact, then prefix, then substring."""
    q = normalize_search(text)
    if len(q) < 2:
        raise BadQuery("search needs at least 2 characters")
    if q.isdigit():
        q = "rfc " + q
    rows = backend.select(load("viz_search"), {"q": Literal(q)}, SEARCH_LIMIT).rows
    return [
        _node(_v(r[1]), _v(r[2]), base, notation=_v(r[3]), name=_v(r[4]) or _v(r[7]), number=_v(r[5]), match=_v(r[6]))
        for r in rows
    ]


def entity_graph(backend: Backend) -> nx.MultiGraph:
    return analytics.entity_graph(_rows(backend, "viz_edges"))


def path(backend: Backend, graph: nx.MultiGraph, base: str, source: str, target: str) -> dict[str, Any]:
    """One shortest path between two entities in the entity graph, with its nodes labelled."""
    hops = analytics.shortest_path(graph, _iri(source, "from").value, _iri(target, "to").value)
    if hops is None:
        raise NotFound("no path between these two entities in the entity graph")
    ids = [source] + [h["to"] for h in hops]
    nodes = []
    for iri in ids:
        facts = _rows(backend, "viz_node", {"node": NamedNode(iri)}) or [(None,) * 10]
        _, types, notation, name, number, _, label, *_ = facts[0]
        nodes.append(_node(iri, types, base, notation=notation, name=name or label, number=number))
    links = [
        {"source": h["subject"], "target": h["to"] if h["subject"] == h["from"] else h["from"],
         "predicate": h["predicate"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]}
        for h in hops
    ]
    for link in links:
        link["label"] = PREDICATE_LABELS.get(link["predicate"], link["predicate"])
    return {"nodes": nodes, "links": links, "length": len(hops)}


def roles_at(backend: Backend, at: str) -> list[dict[str, Any]]:
    """Who held which role on ``at`` (YYYY-MM-DD): startDate <= at <= endDate."""
    try:
        day = date.fromisoformat(at)
    except ValueError as exc:
        raise BadQuery(f"at must be a date YYYY-MM-DD, not {at!r}") from exc
    rows = _rows(backend, "viz_roles_at", {"at": Literal(day.isoformat(), datatype=XSD.date)})
    return [
        {"membership": m, "person": p, "name": n, "group": g, "acronym": a, "role": r, "start": s, "end": e}
        for _, m, p, n, g, a, r, s, e in rows
    ]


# -- HTTP handlers ----------------------------------------------------------------------------
def _store(request: Request) -> AsyncStore:
    return request.app.state.store


def _base(request: Request) -> str:
    return request.app.state.settings.base


async def _once(request: Request, name: str, compute: Callable[[], T]) -> T:
    """Compute per-app data once (the store is read-only for the app's life)."""
    state = request.app.state
    if not hasattr(state, "viz_lock"):
        state.viz_lock = anyio.Lock()
    async with state.viz_lock:
        if not hasattr(state, name):
            setattr(state, name, await _store(request).run(compute))
    return getattr(state, name)


async def page(request: Request) -> Response:
    return FileResponse(str(files("ietfkg.api") / "static" / "viz" / "index.html"), media_type="text/html")


async def areas(request: Request) -> Response:
    store = _store(request)
    return JSONResponse(await _once(request, "viz_area_map", partial(area_map, store.backend, _base(request))))


async def node(request: Request) -> Response:
    store = _store(request)
    return JSONResponse(await store.run(partial(node_view, store.backend, _base(request), request.query_params.get("id"))))


async def search_handler(request: Request) -> Response:
    store = _store(request)
    found = await store.run(partial(search, store.backend, _base(request), request.query_params.get("q", "")))
    return JSONResponse({"results": found})


async def path_handler(request: Request) -> Response:
    store = _store(request)
    graph = await _once(request, "viz_entity_graph", partial(entity_graph, store.backend))
    source, target = request.query_params.get("from"), request.query_params.get("to")
    return JSONResponse(await store.run(partial(path, store.backend, graph, _base(request), source, target)))


async def roles_handler(request: Request) -> Response:
    store = _store(request)
    at = request.query_params.get("at", "")
    return JSONResponse({"at": at, "roles": await store.run(partial(roles_at, store.backend, at))})


routes = [
    Route("/viz", page, name="viz"),
    Route("/viz/api/areas", areas, name="viz_areas"),
    Route("/viz/api/node", node, name="viz_node"),
    Route("/viz/api/search", search_handler, name="viz_search"),
    Route("/viz/api/path", path_handler, name="viz_path"),
    Route("/viz/api/roles", roles_handler, name="viz_roles"),
]
