"""The default graph a store serves: the RDF merge of its source graphs, each triple once.

Every source keeps its own named graph, so a fact several sources state
(``tls a ietf:WorkingGroup`` comes from the agenda, the role file and the roll
calls) is a triple in each of them. Queried as the union of the named graphs,
Oxigraph 0.5 matches such a triple once per graph (oxigraph/oxigraph#1919):
``COUNT`` over-counts and exported rows repeat. A merge is a set, so the build
stores the default graph as two disjoint parts: the largest source graph as it
is, and a ``merged`` graph holding every other triple once (a small part of the
store). A record graph names the parts. A backend that finds the record queries
``default_graph = parts`` with the source graphs as the named graphs, and hides
the merged and record graphs from ``GRAPH ?g``, graph listings and exports;
stores without a record keep the plain union.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Store, Triple

from ietfkg.schema.vocab import IETF, Iris, local_name

MERGED = "merged"  # graph/merged, under the base: publishing to a shared server treats it as ours
RECORD = "default-graph"
PART = IETF.defaultGraphPart  # record graph -> each graph of the default graph
MERGE = IETF.mergeGraph  # record graph -> the merged part (not a source: hidden)
SOURCE = IETF.sourceGraph  # record graph -> each source graph, where the record lists them (remote stores)
GENERATION = IETF.generation  # record graph -> the id of the graphs' generation (remote stores)


@dataclass(frozen=True, slots=True)
class DefaultGraphRecord:
    """The parts of the default graph, and the graphs that are bookkeeping rather than sources."""

    parts: tuple[NamedNode, ...]
    hidden: frozenset[str]
    listed: tuple[str, ...] | None = None  # the source graphs, when the record names them
    generation: str | None = None

    def sources(self, graphs: Iterable[str]) -> list[str]:
        """The source graphs: those the record lists, else ``graphs`` without the hidden ones, sorted.

        A record that lists its sources (a remote store's) keeps other generations and
        other datasets on a shared server out of the dataset.
        """
        if self.listed is not None:
            return sorted(self.listed)
        return sorted(g for g in graphs if g not in self.hidden)

    @classmethod
    def from_record(
        cls,
        record: str,
        parts: Iterable[str],
        merge: str | None,
        listed: Iterable[str] | None = None,
        generation: str | None = None,
    ) -> DefaultGraphRecord:
        return cls(
            tuple(NamedNode(p) for p in sorted(parts)),
            frozenset({record} | ({merge} if merge else set())),
            tuple(sorted(listed)) if listed is not None else None,
            generation,
        )

    def source_name(self, graph: str) -> str:
        """The source a graph of this record holds: its IRI's last segment, the generation's left out.

        >>> DefaultGraphRecord((), frozenset(), generation="g1").source_name("https://x.example/graph/curated/g1")
        'curated'
        """
        return local_name(self.built_name(graph))

    def built_name(self, graph: str) -> str:
        """A graph's IRI as the build named it, the generation's suffix left out (exports use these).

        >>> DefaultGraphRecord((), frozenset(), generation="g1").built_name("https://x.example/graph/curated/g1")
        'https://x.example/graph/curated'
        """
        return graph.removesuffix("/" + self.generation) if self.generation is not None else graph

    def graphs(self) -> set[str]:
        """Every graph this record uses: its parts, its sources and the hidden ones."""
        return {p.value for p in self.parts} | set(self.listed or ()) | self.hidden

    def triples(self, record: NamedNode) -> list[Triple]:
        """The record written out, as the graph ``record`` holds it."""
        merge = next((p for p in self.parts if p.value in self.hidden), None)
        triples = [Triple(record, PART, part) for part in self.parts]
        triples += [Triple(record, MERGE, merge)] if merge is not None else []
        triples += [Triple(record, SOURCE, NamedNode(g)) for g in self.listed or ()]
        if self.generation is not None:
            triples.append(Triple(record, GENERATION, Literal(self.generation)))
        return triples


RECORD_QUERY = (
    f"SELECT ?record ?part ?merge ?source ?generation WHERE {{ GRAPH ?record {{ "
    f"{{ ?record {PART} ?part OPTIONAL {{ ?record {MERGE} ?merge }} }} "
    f"UNION {{ ?record {SOURCE} ?source }} UNION {{ ?record {GENERATION} ?generation }} }} }}"
)


def read(store: Store) -> DefaultGraphRecord | None:
    """The default graph recorded in ``store``, or None (a store built before the record existed)."""
    return from_solutions(store.query(RECORD_QUERY))


def from_solutions(solutions: Iterable[Any]) -> DefaultGraphRecord | None:
    """The record in the answer to ``RECORD_QUERY`` (from a store or a remote server), or None.

    Only the first record's rows count: a shared server may hold another dataset's record.
    """
    rows = list(solutions)
    if not rows:
        return None
    record = rows[0]["record"].value
    mine = [r for r in rows if r["record"].value == record]

    def values(name: str) -> list[str]:
        return [r[name].value for r in mine if r[name] is not None]

    listed = values("source")
    generation = next(iter(values("generation")), None)
    return DefaultGraphRecord.from_record(
        record, set(values("part")), next(iter(values("merge")), None), listed or None, generation
    )


def find_graph(name: str, graphs: Iterable[str], record: DefaultGraphRecord | None) -> str | None:
    """The graph among ``graphs`` that holds the source ``name`` (or is ``name``), else None.

    On the embedded store ``meta`` is ``graph/meta``; on a remote store it is the
    current generation's ``graph/meta/<generation>``.

    >>> find_graph("meta", ["https://x.example/graph/meta/g1"], DefaultGraphRecord((), frozenset(), generation="g1"))
    'https://x.example/graph/meta/g1'
    """
    record = record or DefaultGraphRecord((), frozenset())
    return next((g for g in graphs if name in (g, record.source_name(g))), None)


def source_quads(record: DefaultGraphRecord | None, quads: Iterable[Quad]) -> Iterator[Quad]:
    """``quads`` without those of the record's bookkeeping graphs (every quad when there is no record)."""
    hidden = record.hidden if record is not None else frozenset()
    return (q for q in quads if not (isinstance(q.graph_name, NamedNode) and q.graph_name.value in hidden))


class WrittenTriples:
    """What a build wrote to each source graph, kept so that the merge need not read it back.

    Reading a graph back from a fresh on-disk store costs more than keeping its triples, but
    the largest graph is never read by the merge, only looked up in, and holding it would
    double the build's memory. So a graph stops being kept as soon as it outgrows both every
    graph finished before it (it may be the largest) and ``floor`` triples (the first graphs
    written outgrow nothing, and most are small); of such a graph only its subjects are kept,
    which tell the merge when a lookup in it cannot match. Every write to a graph must come
    through ``add`` for what is kept to be the graph.
    """

    def __init__(self, floor: int = 100_000) -> None:
        self.floor = floor
        self.kept: dict[NamedNode, list[tuple[Any, Any, Any]]] = {}
        self.subjects: dict[NamedNode, set[Any]] = {}
        self._written: dict[NamedNode, int] = {}
        self._finished = 0  # the most written to a graph that is finished

    def add(self, graph: NamedNode, triples: Sequence[tuple[Any, Any, Any]]) -> None:
        written = self._written[graph] = self._written.get(graph, 0) + len(triples)
        kept = self.kept.setdefault(graph, []) if written == len(triples) else self.kept.get(graph)
        if kept is not None:
            kept.extend(triples)
            if written <= max(self._finished, self.floor):
                return
            del self.kept[graph]
            triples = kept
        self.subjects.setdefault(graph, set()).update(t[0] for t in triples)

    def finish(self, graph: NamedNode) -> None:
        self._finished = max(self._finished, self._written.get(graph, 0))


def merge_sources(
    store: Store,
    iris: Iris,
    only: Sequence[NamedNode] | None = None,
    largest: NamedNode | None = None,
    written: WrittenTriples | None = None,
) -> int:
    """Add to the merged graph the triples it and the largest graph lack; returns how many.

    The first call takes the largest graph (``largest``, else counted) and writes the
    record; later calls with ``only`` add the triples of graphs written since (the
    meta graph's statistics). Graphs that ``written`` kept are taken from it, the rest
    read graph by graph; each triple is then a point lookup into the largest graph
    (skipped where ``written`` knows the largest graph has no such subject), which is
    faster than the same in SPARQL on a fresh on-disk store.
    """
    merged, record = iris.graph(MERGED), iris.graph(RECORD)
    recorded = read(store)
    if recorded is not None:
        largest = _kept_part(recorded, merged)
    elif largest is None:
        largest = _largest(store, {merged.value, record.value})
    if largest is None:
        return 0  # no source graph at all: the union is already a set
    graphs = (
        only if only is not None else [g for g in store.named_graphs() if g not in (largest, merged, record)]
    )
    kept = written.kept if written is not None else {}
    in_largest = written.subjects.get(largest) if written is not None else None
    seen: set[tuple[Any, Any, Any]] = set()
    added: list[tuple[Any, Any, Any]] = []
    merged_is_empty = recorded is None  # the first call: nothing to look up in it
    for graph in graphs:
        triples = kept.get(graph) or (tuple(q.triple) for q in store.quads_for_pattern(None, None, None, graph))
        for triple in triples:
            if triple in seen:
                continue
            seen.add(triple)
            s, p, o = triple
            if (in_largest is None or s in in_largest) and Quad(s, p, o, largest) in store:
                continue
            if not merged_is_empty and Quad(s, p, o, merged) in store:
                continue
            added.append(triple)
    lines, blank = ntriples_lines(added)
    store.bulk_load("".join(lines).encode(), format=RdfFormat.N_TRIPLES, to_graph=merged)
    store.bulk_extend([Quad(s, p, o, merged) for s, p, o in blank])
    if recorded is None:
        store.bulk_extend(
            [
                Quad(record, PART, largest, record),
                Quad(record, PART, merged, record),
                Quad(record, MERGE, merged, record),
            ]
        )
    return len(added)


def ntriples_lines(triples: Iterable[tuple[Any, Any, Any]]) -> tuple[list[str], list[tuple[Any, Any, Any]]]:
    """N-Triples lines for ``triples`` (pyoxigraph writes each term in that syntax), quicker to make
    than quads for the bulk loader; the triples with a blank node come back apart, as a parser gives
    a label a new node in each document it reads.

    >>> ntriples_lines([(NamedNode("http://x/s"), NamedNode("http://x/p"), Literal("o"))])
    (['<http://x/s> <http://x/p> "o" .\\n'], [])
    """
    lines: list[str] = []
    blank: list[tuple[Any, Any, Any]] = []
    for s, p, o in triples:
        if type(s) is BlankNode or type(o) is BlankNode:
            blank.append((s, p, o))
        else:
            lines.append(f"{s} {p} {o} .\n")
    return lines, blank


def _largest(store: Store, excluded: set[str]) -> NamedNode | None:
    counts = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    sized = [(int(n.value), g.value) for g, n in counts if g.value not in excluded]
    return NamedNode(max(sized)[1]) if sized else None


def _kept_part(recorded: DefaultGraphRecord, merged: NamedNode) -> NamedNode:
    return next(p for p in recorded.parts if p != merged)
