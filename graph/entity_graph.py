"""The entity graph as a networkx ``MultiDiGraph``, and its GraphML / GEXF exports.

Nodes are the typed entities (groups, people, documents, protocols, roles,
memberships, …; OWL-Time instants and intervals, and the ontology's classes and
properties, left out) with ``label``, ``type`` (the most specific class, as a prefixed
name), ``types`` (all classes) and ``iri`` attributes. Edges are the statements
between two entities (``rdf:type`` and links to untyped IRIs, such as upstream
URLs, left out), keyed and labelled by predicate, with the named ``graph`` they
come from. Built from two SPARQL queries; ``graph`` restricts the edges to one
named graph (and the nodes to the entities they touch).
"""

from __future__ import annotations

import io
from typing import Any

import networkx as nx
from pyoxigraph import NamedNode

from ietfkg.graph.backends import Backend
from ietfkg.graph.exports import Format, curie

NODES = """
SELECT ?node (SAMPLE(?name) AS ?label) (GROUP_CONCAT(DISTINCT STR(?class); separator=" ") AS ?classes) WHERE {
  ?node a ?class .
  FILTER(isIRI(?node))
  FILTER(!STRSTARTS(STR(?class), STR(time:)) && !STRSTARTS(STR(?class), STR(owl:))
         && !STRSTARTS(STR(?class), STR(rdfs:)) && !STRSTARTS(STR(?class), STR(rdf:)))
  OPTIONAL { ?node skos:notation|skos:prefLabel|foaf:name|dcterms:title|ietf:roleLabel ?name }
}
GROUP BY ?node
"""

EDGES = """
SELECT DISTINCT ?g ?s ?p ?o WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER(isIRI(?s) && isIRI(?o) && ?p != rdf:type)
  FILTER EXISTS { ?o a ?class }
  FILTER EXISTS { ?s a ?class2 }
}
"""

# Broad classes that say less than the class next to them ("ietf:Group" next to "ietf:Area").
_GENERIC = {"ietf:Group", "ietf:Document", "foaf:Agent", "org:Organization", "prov:Entity", "owl:Thing"}


def _main_type(classes: list[str]) -> str:
    specific = [c for c in classes if c not in _GENERIC]
    return min(specific or classes) if classes else ""


def build(backend: Backend, graph: NamedNode | None = None) -> nx.MultiDiGraph:
    """The entity graph of the store (or of one named graph).

    >>> from ietfkg.graph.oxigraph_backend import OxigraphBackend
    >>> build(OxigraphBackend.open(None)).number_of_nodes()
    0
    """
    network = nx.MultiDiGraph()
    for node, label, classes in backend.select(NODES).rows:
        names = sorted(curie(c) for c in classes.value.split())
        network.add_node(
            node.value,
            iri=node.value,
            label=label.value if label is not None else curie(node.value),
            type=_main_type(names),
            types=" ".join(names),
        )
    bindings: dict[str, Any] | None = {"g": graph} if graph is not None else None
    record = backend.default_graph()
    built_name = record.built_name if record is not None else str  # exports name graphs as the build did
    for g, s, p, o in backend.select(EDGES, bindings).rows:
        if s.value not in network or o.value not in network:
            continue
        network.add_edge(
            s.value, o.value, key=p.value, predicate=curie(p.value), label=curie(p.value), graph=built_name(g.value)
        )
    if graph is not None:
        network = network.subgraph([n for n in network if network.degree(n) > 0]).copy()
    return network


def write(network: nx.MultiDiGraph, fmt: Format) -> bytes:
    """GraphML or GEXF bytes of an entity graph."""
    out = io.BytesIO()
    if fmt.name == "graphml":
        nx.write_graphml(network, out, encoding="utf-8")
    elif fmt.name == "gexf":
        nx.write_gexf(network, out, encoding="utf-8")
    else:
        raise ValueError(f"not a network format: {fmt.name}")
    return out.getvalue()
