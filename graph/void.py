"""VoID statistics of a built store: triples per graph, entities per class.

Computed by SPARQL on the store after loading, so the numbers describe what is
really there; the triples go into the meta graph.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from pyoxigraph import Literal, NamedNode

from ietfkg.graph.backends import Backend
from ietfkg.schema.vocab import DCTERMS, RDF, VOID, XSD, Iris

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)
"""

GRAPH_COUNTS = """
SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g
"""

TOTALS = """
SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) WHERE { ?s ?p ?o }
"""


def _int(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def class_counts(backend: Backend) -> list[tuple[str, int]]:
    """Distinct entities per rdf:type across all graphs.

    >>> from ietfkg.graph.oxigraph_backend import OxigraphBackend
    >>> class_counts(OxigraphBackend.open(None))
    []
    """
    return [(row[0].value, int(row[1].value)) for row in backend.select(CLASS_COUNTS).rows]


def graph_counts(backend: Backend, known: Mapping[str, int] | None = None) -> list[tuple[str, int]]:
    """Triples per graph, sorted by graph; sizes in ``known`` (graph IRI -> triples) are taken, not counted.

    A build counts each source graph as it loads it, and counting every graph again
    reads the whole store; only the graphs written since (the meta graph) are counted.
    """
    if not known:
        return [(row[0].value, int(row[1].value)) for row in backend.select(GRAPH_COUNTS).rows]
    counted = []
    for graph in sorted(backend.named_graphs()):
        size = known.get(graph)
        counted.append((graph, size if size is not None else graph_size(backend, NamedNode(graph))))
    return counted


def graph_size(backend: Backend, graph: NamedNode) -> int:
    """The triples of one graph, counted in the store."""
    return int(backend.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}").rows[0][0].value)


def void_description(iris: Iris, title: str) -> Iterator[tuple[NamedNode, NamedNode, object]]:
    """What the dataset is, known before anything is loaded."""
    dataset = iris.dataset()
    yield dataset, RDF.type, VOID.Dataset
    yield dataset, DCTERMS.title, Literal(title)
    yield dataset, VOID.uriSpace, Literal(iris.base)
    yield dataset, VOID.sparqlEndpoint, NamedNode(iris.base + "sparql")


def void_statistics(
    backend: Backend, iris: Iris, sizes: Mapping[str, int] | None = None
) -> Iterator[tuple[NamedNode, NamedNode, object]]:
    """What the loaded store holds (only type triples of ``void:`` classes, which no shape reads);
    ``sizes``: graph sizes already counted (``graph_counts``)."""
    dataset = iris.dataset()
    totals = backend.select(TOTALS).rows[0]
    yield dataset, VOID.triples, _int(int(totals[0].value))
    yield dataset, VOID.distinctSubjects, _int(int(totals[1].value))
    for graph, count in graph_counts(backend, sizes):
        node = NamedNode(graph)
        yield dataset, VOID.subset, node
        yield node, RDF.type, VOID.Dataset
        yield node, VOID.triples, _int(count)
    for index, (cls, count) in enumerate(class_counts(backend)):
        partition = NamedNode(f"{dataset.value}#class-{index}")
        yield dataset, VOID.classPartition, partition
        yield partition, VOID["class"], NamedNode(cls)
        yield partition, VOID.entities, _int(count)
