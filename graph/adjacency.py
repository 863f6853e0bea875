"""An in-memory adjacency index of entity-to-entity relationships, for path and neighborhood queries.

The store stays the single source of truth: the index is built from one query
(``queries/gql_adjacency.rq``) over the store and never written back. Memberships
are collapsed into one edge person -> group whose predicate is the role concept
(``ietf:role-chair``). Between two entities the index keeps one edge, the most
telling one by the vocabulary table's rank (``definesProtocol`` over ``mentionsProtocol``, ``ad`` over
``member``), so a path names each hop once.

Shortest paths use a bidirectional breadth-first search that expands the smaller
frontier a level at a time; all shortest paths (up to a limit) are rebuilt from
the predecessor sets of both sides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from ietfkg.graph.queries import load
from ietfkg.schema.vocabulary_table import OTHER_RANK, RANK  # lower rank wins between two entities



@dataclass(frozen=True, slots=True)
class Link:
    """The edge between two entities: its predicate and whether it points ``source -> target`` in RDF."""

    predicate: str
    forward: bool


class Adjacency:
    """Undirected view of the relationship graph; each hop remembers its RDF direction.

    >>> adj = Adjacency([("p", "ns#chair", "tls"), ("rfc8446", "ns#producedBy", "tls"),
    ...                  ("tls", "ns#subOrganizationOf", "sec")])
    >>> adj.shortest_paths("p", "rfc8446", max_hops=4)
    [['p', 'tls', 'rfc8446']]
    >>> adj.link("tls", "rfc8446")
    Link(predicate='ns#producedBy', forward=False)
    """

    def __init__(self, edges: Iterable[tuple[str, str, str]]) -> None:
        self._adj: dict[str, dict[str, Link]] = {}
        for s, p, o in edges:
            if s == o:
                continue
            self._add(s, o, Link(p, True))
            self._add(o, s, Link(p, False))

    def _add(self, a: str, b: str, link: Link) -> None:
        links = self._adj.setdefault(a, {})
        old = links.get(b)
        if old is None or RANK.get(link.predicate, OTHER_RANK) < RANK.get(old.predicate, OTHER_RANK):
            links[b] = link

    @classmethod
    def from_backend(cls, backend: Any) -> Adjacency:
        """Build the index from a store (blocking: run it in a worker thread)."""
        rows = backend.select(load("gql_adjacency"), None, None).rows
        return cls((s.value, p.value, o.value) for s, p, o in rows)

    def __contains__(self, iri: str) -> bool:
        return iri in self._adj

    def __len__(self) -> int:
        return len(self._adj)

    def neighbors(self, iri: str) -> dict[str, Link]:
        return self._adj.get(iri, {})

    def link(self, a: str, b: str) -> Link:
        return self._adj[a][b]

    def shortest_paths(self, source: str, target: str, max_hops: int, limit: int = 10) -> list[list[str]]:
        """Up to ``limit`` shortest paths (node lists) of at most ``max_hops`` edges, in a stable order."""
        if source not in self._adj or target not in self._adj:
            return []
        if source == target:
            return [[source]]
        preds: tuple[dict[str, list[str]], dict[str, list[str]]] = ({source: []}, {target: []})
        dist: tuple[dict[str, int], dict[str, int]] = ({source: 0}, {target: 0})
        frontiers = ([source], [target])
        hops = 0
        while frontiers[0] and frontiers[1] and hops < max_hops:
            side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
            frontiers = self._expand(side, frontiers, preds[side], dist[side])
            hops += 1
            other = dist[1 - side]
            meeting = [n for n in frontiers[side] if n in other]
            if meeting:
                # the new frontier can touch the other side at different depths: only the nearest count
                nearest = min(other[n] for n in meeting)
                meeting = sorted(n for n in meeting if other[n] == nearest)
                return list(islice(self._join(meeting, preds), limit))
        return []

    def _expand(
        self, side: int, frontiers: tuple[list[str], list[str]], preds: dict[str, list[str]], dist: dict[str, int]
    ) -> tuple[list[str], list[str]]:
        level = dist[frontiers[side][0]] + 1
        nxt: list[str] = []
        for node in frontiers[side]:
            for neighbor in self._adj[node]:
                seen = dist.get(neighbor)
                if seen is None:
                    dist[neighbor] = level
                    preds[neighbor] = [node]
                    nxt.append(neighbor)
                elif seen == level:
                    preds[neighbor].append(node)
        return (nxt, frontiers[1]) if side == 0 else (frontiers[0], nxt)

    def _join(self, meeting: list[str], preds: tuple[dict[str, list[str]], dict[str, list[str]]]) -> Iterator[list[str]]:
        for middle in meeting:
            for head in _walk(middle, preds[0]):
                for tail in _walk(middle, preds[1]):
                    yield head[::-1] + tail[1:]

    def neighborhood(
        self, center: str, depth: int, keep: Callable[[str], bool], max_nodes: int
    ) -> tuple[list[str], list[tuple[str, str, Link]], bool]:
        """Entities within ``depth`` hops of ``center`` that ``keep`` accepts (at most ``max_nodes``),
        the edges among them (each once, in RDF direction), and whether the node cap cut the result."""
        nodes = {center: 0}
        frontier = [center] if center in self._adj else []
        truncated = False
        for level in range(1, depth + 1):
            nxt = []
            for node in frontier:
                for neighbor in sorted(self._adj[node]):
                    if neighbor in nodes or not keep(neighbor):
                        continue
                    if len(nodes) >= max_nodes:
                        truncated = True
                        break
                    nodes[neighbor] = level
                    nxt.append(neighbor)
            frontier = nxt
        edges = []
        for node in nodes:
            for neighbor, link in self._adj.get(node, {}).items():
                if neighbor in nodes and link.forward:
                    edges.append((node, neighbor, link))
        return list(nodes), edges, truncated


def _walk(node: str, preds: dict[str, list[str]]) -> Iterator[list[str]]:
    """Every predecessor chain from ``node`` back to the search root (node first)."""
    parents = preds[node]
    if not parents:
        yield [node]
        return
    for parent in sorted(parents):
        for chain in _walk(parent, preds):
            yield [node, *chain]
