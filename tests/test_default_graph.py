"""The default graph is the merge of the source graphs: a triple several sources state counts once.

Oxigraph 0.5 matches a triple once per named graph when the default graph is their
union (oxigraph/oxigraph#1919); the build stores the merge instead (``graph/dataset.py``).
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Store, parse

from ietfkg.graph.dataset import WrittenTriples, merge_sources
from ietfkg.graph.oxigraph_backend import OxigraphBackend
from ietfkg.schema.vocab import DEFAULT_BASE, Iris, meta_graph

IRIS = Iris(DEFAULT_BASE)
P = NamedNode("https://x.example/p")
A, B, C = (NamedNode(f"https://x.example/{n}") for n in "abc")
G1, G2, G3 = (IRIS.graph(n) for n in ("one", "two", "three"))
Select = Callable[[str], list[dict[str, str]]]


def hand_made() -> Store:
    """g1 holds a and b; g2 repeats a and adds c; g3 repeats b."""
    store = Store()
    store.bulk_extend([Quad(A, P, Literal(1), G1), Quad(B, P, Literal(2), G1), Quad(A, P, Literal(1), G2)])
    store.bulk_extend([Quad(C, P, Literal(3), G2), Quad(B, P, Literal(2), G3)])
    return store


def count(backend: OxigraphBackend, where: str = "?s ?p ?o") -> int:
    return int(backend.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows[0][0].value)


def test_without_the_record_the_union_repeats_shared_triples() -> None:
    assert count(OxigraphBackend(hand_made())) == 5  # what Oxigraph's union gives: the bug being fixed


def test_the_merge_counts_each_triple_once_and_keeps_every_source() -> None:
    store = hand_made()
    assert merge_sources(store, IRIS) == 1  # only c is in neither the largest graph (g1) nor the merge yet
    backend = OxigraphBackend(store)
    assert count(backend) == 3
    assert backend.named_graphs() == sorted(g.value for g in (G1, G2, G3))
    stating_a = backend.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ {A} {P} ?o }} }} ORDER BY ?g").rows
    assert [r[0].value for r in stating_a] == sorted([G1.value, G2.value])  # provenance per source unchanged
    quads = list(parse(backend.dump(RdfFormat.N_QUADS), format=RdfFormat.N_QUADS))
    assert len(quads) == 5 and {q.graph_name for q in quads} == {G1, G2, G3}  # no bookkeeping graph exported
    assert len(list(parse(backend.dump(RdfFormat.N_TRIPLES), format=RdfFormat.N_TRIPLES))) == 3


def test_the_triples_kept_while_writing_merge_as_the_store_would() -> None:
    """g3 is written first and g1 outgrows it, so g1 (the largest) and g3 are read from their
    subjects and the store; g2 is merged from what was kept (the floor is 0 here, so no
    graph is kept for being small)."""
    written = WrittenTriples(floor=0)
    for graph in (G3, G1, G2):
        written.add(graph, [tuple(q.triple) for q in hand_made().quads_for_pattern(None, None, None, graph)])
        written.finish(graph)
    assert set(written.kept) == {G2} and set(written.subjects) == {G1, G3}
    kept, read = hand_made(), hand_made()
    assert merge_sources(kept, IRIS, largest=G1, written=written) == merge_sources(read, IRIS, largest=G1) == 1
    assert set(kept) == set(read)


def test_graphs_under_the_floor_are_kept_whatever_the_order() -> None:
    written = WrittenTriples(floor=2)
    for graph in (G3, G1, G2):
        written.add(graph, [tuple(q.triple) for q in hand_made().quads_for_pattern(None, None, None, graph)])
        written.finish(graph)
    assert set(written.kept) == {G1, G2, G3} and not written.subjects
    kept, read = hand_made(), hand_made()
    assert merge_sources(kept, IRIS, largest=G1, written=written) == merge_sources(read, IRIS, largest=G1) == 1
    assert set(kept) == set(read)


def test_a_graph_written_after_the_record_joins_the_merge() -> None:
    store = hand_made()
    merge_sources(store, IRIS)
    later = IRIS.graph("later")
    store.bulk_extend([Quad(C, P, Literal(3), later), Quad(C, P, Literal(4), later)])
    assert merge_sources(store, IRIS, only=[later]) == 1  # c p 3 was merged already
    backend = OxigraphBackend(store)
    assert count(backend) == 4 and later.value in backend.named_graphs()


def test_an_empty_store_needs_no_record() -> None:
    store = Store()
    assert merge_sources(store, IRIS) == 0
    assert OxigraphBackend(store).default is None


# -- the real snapshot, embedded and on a remote Oxigraph server ---------------------------
def test_facts_stated_by_several_sources_count_once(select: Select) -> None:
    shared = select(
        "SELECT ?wg (COUNT(DISTINCT ?g) AS ?sources) WHERE { GRAPH ?g { ?wg a ietf:WorkingGroup } } "
        "GROUP BY ?wg HAVING (COUNT(DISTINCT ?g) > 1)"
    )
    assert len(shared) > 50  # many working groups are typed by two sources (agenda, power map, roll calls)
    (row,) = select("SELECT (COUNT(?wg) AS ?n) (COUNT(DISTINCT ?wg) AS ?d) WHERE { ?wg a ietf:WorkingGroup }")
    assert row["n"] == row["d"]
    (tls,) = select("SELECT (COUNT(*) AS ?n) WHERE { <https://ietf-kg.example/group/tls> a ietf:WorkingGroup }")
    assert tls["n"] == "1"


def test_graph_listing_shows_sources_only(select: Select) -> None:
    # On a remote store each graph carries its generation (graph/rfc-editor/<generation>).
    graphs = {r["g"] for r in select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    sources = {g.removeprefix(IRIS.graphs_prefix()).split("/")[0] for g in graphs}
    assert {"rfc-editor", "meta", "curated"} <= sources and not sources & {"merged", "default-graph"}
    assert len(sources) == len(graphs)  # one generation only: no other generation's graphs in the dataset


def test_sparql_csv_export_has_no_repeated_rows(live_server: str) -> None:
    query = "SELECT ?acronym ?name WHERE { ?wg a ietf:WorkingGroup ; skos:notation ?acronym ; skos:prefLabel ?name }"
    response = httpx.post(live_server + "/sparql", data={"query": query}, headers={"Accept": "text/csv"}, timeout=60)
    rows = response.text.splitlines()[1:]
    assert response.status_code == 200 and len(rows) > 100 and len(rows) == len(set(rows))


def test_void_sizes_of_the_build_match_the_store(store_root) -> None:
    """The build takes each source graph's size from its load (``graph_counts(known=)``): the
    sizes it states must be those a count over the store finds, for every graph it lists."""
    backend = OxigraphBackend.open(store_root / "current", read_only=True)
    stated = backend.select(
        "PREFIX void: <http://rdfs.org/ns/void#> SELECT ?g ?n WHERE { "
        f"<{IRIS.dataset().value}> void:subset ?g . ?g void:triples ?n }}"
    ).rows
    assert {row[0].value for row in stated} == set(backend.named_graphs())
    for graph, size in stated:
        if graph == meta_graph(IRIS):
            continue  # the VoID triples themselves were written after the meta graph was counted
        assert int(size.value) == count(backend, f"GRAPH <{graph.value}> {{ ?s ?p ?o }}"), graph.value


def test_a_blank_node_keeps_its_identity_in_the_merged_graph() -> None:
    """The merge writes N-Triples lines, whose blank node labels the parser would rename: those
    triples go in as quads, so a blank node is the same node in its source and in the merge."""
    store = hand_made()
    node = BlankNode()
    store.bulk_extend([Quad(node, P, Literal(4), G3), Quad(A, P, node, G3)])
    merge_sources(store, IRIS, largest=G1)
    merged = {(q.subject, q.object) for q in store.quads_for_pattern(None, P, None, IRIS.graph("merged"))}
    assert (node, Literal(4)) in merged and (A, node) in merged
