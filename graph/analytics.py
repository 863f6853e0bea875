"""networkx views built from query results: the area projection.

Pure functions: they take rows already read from the store (plain strings and
tuples) and return networkx graphs or plain data, so they are tested on small
hand-made inputs without a store.

The area projection is a bipartite projection. One side holds the areas (the
IETF areas plus the IRTF and IAB); the other side holds *evidence* nodes, each
linked to every area it touches:

- ``people``: a person holding roles in groups of several areas;
- ``rfc``: an RFC of one area that updates or obsoletes an RFC of another;
- ``protocol``: a protocol whose defining RFCs come from several areas;
- ``collaboration``: a group that collaborates with a group of another area
  (``ietf:collaboratesWith``: CFRG, PEARG and model-t with the Security Area).

Projecting onto the areas (``networkx.bipartite.generic_weighted_projected_graph``)
gives an area-area graph whose edge weight is the number of shared evidence
nodes, and whose ``reasons`` list every one of them, so each edge explains itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx
from networkx.algorithms import bipartite

from ietfkg.schema.vocab import local_name

REASON_KINDS = ("people", "rfc", "protocol", "collaboration")


@dataclass(frozen=True, slots=True)
class Evidence:
    """One thing that ties areas together; ``detail`` says, per area, how it touches that area."""

    kind: str
    key: str
    label: str
    detail: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def areas(self) -> frozenset[str]:
        return frozenset(self.detail)


@dataclass(frozen=True, slots=True)
class RoleHolding:
    person: str
    name: str
    group: str
    role: str
    start: str | None = None
    end: str | None = None


def _areas_of(group_area: Mapping[str, frozenset[str]], group: str) -> frozenset[str]:
    return group_area.get(group, frozenset())


def _detail(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """``(area, text)`` pairs -> ``{area: sorted unique texts}``."""
    grouped: dict[str, set[str]] = defaultdict(set)
    for area, text in pairs:
        grouped[area].add(text)
    return {area: tuple(sorted(texts)) for area, texts in grouped.items()}


def group_areas(rows: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """``(group, area)`` rows -> ``{group: areas}``.

    >>> group_areas([("g/tls", "g/sec"), ("g/sec", "g/sec")])["g/tls"]
    frozenset({'g/sec'})
    """
    grouped: dict[str, set[str]] = defaultdict(set)
    for group, area in rows:
        grouped[group].add(area)
    return {group: frozenset(areas) for group, areas in grouped.items()}


def people_evidence(
    holdings: Iterable[RoleHolding], group_area: Mapping[str, frozenset[str]], acronyms: Mapping[str, str]
) -> list[Evidence]:
    """People holding roles in groups of more than one area.

    >>> ga = {"g/sec": frozenset({"g/sec"}), "g/quic": frozenset({"g/tsv"})}
    >>> ev = people_evidence([RoleHolding("p/1", "Ann", "g/sec", "Area Director", "2020-01-01", "2022-01-01"),
    ...                       RoleHolding("p/1", "Ann", "g/quic", "Chair")], ga, {"g/sec": "sec", "g/quic": "quic"})
    >>> ev[0].detail["g/sec"], ev[0].detail["g/tsv"]
    (('Area Director of sec (2020-01-01 to 2022-01-01)',), ('Chair of quic',))
    """
    by_person: dict[str, list[tuple[str, str]]] = defaultdict(list)
    names: dict[str, str] = {}
    for h in holdings:
        names.setdefault(h.person, h.name)
        when = f" ({h.start or '?'} to {h.end or '?'})" if h.start or h.end else ""
        text = f"{h.role} of {acronyms.get(h.group, h.group)}{when}"
        by_person[h.person].extend((area, text) for area in _areas_of(group_area, h.group))
    return [Evidence("people", person, names[person], _detail(pairs)) for person, pairs in by_person.items()]


def rfc_evidence(
    rfc_groups: Iterable[tuple[str, int, str]],
    relations: Iterable[tuple[str, str, str]],
    group_area: Mapping[str, frozenset[str]],
    acronyms: Mapping[str, str],
) -> list[Evidence]:
    """RFCs of one area that update or obsolete RFCs of another.

    ``rfc_groups`` rows are ``(rfc, number, producing group)``; ``relations`` rows
    ``(rfc, "updates"|"obsoletes", target rfc)``.

    >>> ga = {"g/tls": frozenset({"g/sec"}), "g/httpbis": frozenset({"g/art"})}
    >>> ev = rfc_evidence([("r/1", 1, "g/tls"), ("r/2", 2, "g/httpbis")], [("r/2", "updates", "r/1")], ga, {})
    >>> ev[0].label, ev[0].detail
    ('RFC 2 updates RFC 1', {'g/art': ('RFC 2 (httpbis)',), 'g/sec': ('RFC 1 (tls)',)})
    """
    numbers: dict[str, int] = {}
    producers: dict[str, set[str]] = defaultdict(set)
    for rfc, number, group in rfc_groups:
        numbers[rfc] = int(number)
        producers[rfc].add(group)

    def touching(rfc: str) -> list[tuple[str, str]]:
        return [
            (area, f"RFC {numbers[rfc]} ({acronyms.get(group, local_name(group))})")
            for group in sorted(producers.get(rfc, ()))
            for area in _areas_of(group_area, group)
        ]

    found = []
    for rfc, relation, target in relations:
        pairs = touching(rfc) + touching(target)
        if len({area for area, _ in pairs}) > 1:
            label = f"RFC {numbers[rfc]} {relation} RFC {numbers[target]}"
            found.append(Evidence("rfc", f"{rfc} {relation} {target}", label, _detail(pairs)))
    return found


def protocol_evidence(
    protocol_rfcs: Iterable[tuple[str, str, str]],
    rfc_groups: Iterable[tuple[str, int, str]],
    group_area: Mapping[str, frozenset[str]],
) -> list[Evidence]:
    """Protocols whose defining RFCs come from several areas.

    ``protocol_rfcs`` rows are ``(protocol, acronym, defining rfc)``.

    >>> ga = {"g/tls": frozenset({"g/sec"}), "g/quic": frozenset({"g/tsv"})}
    >>> ev = protocol_evidence([("p/tls", "TLS", "r/8446"), ("p/tls", "TLS", "r/9001")],
    ...                        [("r/8446", 8446, "g/tls"), ("r/9001", 9001, "g/quic")], ga)
    >>> ev[0].label, ev[0].detail["g/tsv"]
    ('TLS', ('defined in RFC 9001',))
    """
    rfc_info: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for rfc, number, group in rfc_groups:
        rfc_info[rfc].append((int(number), group))
    labels: dict[str, str] = {}
    pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for protocol, acronym, rfc in protocol_rfcs:
        labels.setdefault(protocol, acronym)
        for number, group in rfc_info.get(rfc, ()):
            pairs[protocol].extend((area, f"defined in RFC {number}") for area in _areas_of(group_area, group))
    return [Evidence("protocol", p, labels[p], _detail(pairs[p])) for p in pairs]


def collaboration_evidence(
    collaborations: Iterable[tuple[str, str]], group_area: Mapping[str, frozenset[str]], acronyms: Mapping[str, str]
) -> list[Evidence]:
    """Groups that collaborate with a group (usually an area) of another area.

    >>> ga = {"g/cfrg": frozenset({"g/irtf"}), "g/sec": frozenset({"g/sec"})}
    >>> collaboration_evidence([("g/cfrg", "g/sec")], ga, {"g/cfrg": "cfrg", "g/sec": "sec"})[0].label
    'cfrg collaborates with sec'
    """
    found = []
    for group, other in collaborations:
        a, b = acronyms.get(group, group), acronyms.get(other, other)
        pairs = [(area, a) for area in _areas_of(group_area, group)]
        pairs += [(area, b) for area in _areas_of(group_area, other)]
        if len({area for area, _ in pairs}) > 1:
            found.append(Evidence("collaboration", f"{group} {other}", f"{a} collaborates with {b}", _detail(pairs)))
    return found


def area_projection(areas: Iterable[str], evidence: Iterable[Evidence]) -> nx.Graph:
    """The weighted area-area graph: ``weight`` = shared evidence, ``reasons`` = that evidence.

    Each reason is a dict ``{kind, key, label, text}``; ``counts`` gives reasons per kind.

    >>> ev = [Evidence("people", "p/1", "Ann", {"a": ("Chair of x",), "b": ("Chair of y",)})]
    >>> g = area_projection(["a", "b", "c"], ev)
    >>> g["a"]["b"]["weight"], g["a"]["b"]["reasons"][0]["text"], sorted(g.nodes)
    (1, 'Ann: Chair of x; Chair of y', ['a', 'b', 'c'])
    """
    area_set = set(areas)
    graph = nx.Graph()
    graph.add_nodes_from(area_set, bipartite=0)
    facts: dict[tuple[str, str], Evidence] = {}
    for item in evidence:
        node = (item.kind, item.key)
        facts[node] = item
        graph.add_node(node, bipartite=1)
        graph.add_edges_from((area, node) for area in item.areas if area in area_set)
    projected = bipartite.generic_weighted_projected_graph(
        graph, area_set, weight_function=lambda g, u, v: len(set(g[u]) & set(g[v]))
    )
    for u, v, data in projected.edges(data=True):
        shared = sorted(set(graph[u]) & set(graph[v]), key=lambda n: (REASON_KINDS.index(n[0]), facts[n].label, n[1]))
        ends = sorted((u, v))
        data["reasons"] = [_reason(facts[node], ends) for node in shared]
        data["counts"] = {kind: sum(1 for n in shared if n[0] == kind) for kind in REASON_KINDS}
    return projected


def _reason(item: Evidence, ends: list[str]) -> dict[str, str]:
    text = "; ".join(t for area in ends for t in item.detail.get(area, ()))
    return {"kind": item.kind, "key": item.key, "label": item.label, "text": f"{item.label}: {text}"}


def projection_edges(graph: nx.Graph) -> list[dict[str, object]]:
    """The projection's edges as plain dicts, heaviest first (ties by area names)."""
    edges = [
        {"source": a, "target": b, "weight": d["weight"], "counts": d["counts"], "reasons": d["reasons"]}
        for a, b, d in ((*sorted((u, v)), d) for u, v, d in graph.edges(data=True))
    ]
    return sorted(edges, key=lambda e: (-int(e["weight"]), e["source"], e["target"]))
