"""Run ``schema/shapes.ttl`` (SHACL, via pyshacl) against a store.

pyshacl needs an rdflib graph, and loading the whole union into rdflib costs
more than validating it. SHACL core constraints only read the shapes' paths,
``rdf:type`` and ``rdfs:subClassOf``, so only triples with those predicates are
handed over (as N-Triples, parsed with oxrdflib's fast parser). All our shapes
use plain predicate paths; ``relevant_predicates`` refuses anything else so the
shortcut can never hide a violation. ``ietfkg validate`` reads them from a built
store; a build hands the same triples to ``graph/validation_worker.py`` as it
writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files

import rdflib
from pyoxigraph import NamedNode, RdfFormat, serialize

from ietfkg.graph.backends import Backend

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True, slots=True)
class Violation:
    focus: str
    path: str | None
    message: str
    severity: str

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.severity}: {self.focus}{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Report:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0  # how many triples were validated (those the shapes can read)


def shapes_graph() -> rdflib.Graph:
    shapes = rdflib.Graph()
    shapes.parse(data=(files("ietfkg.schema") / "shapes.ttl").read_text("utf-8"), format="turtle")
    return shapes


def relevant_predicates(shapes: rdflib.Graph) -> set[str]:
    """Predicates SHACL core may read for these shapes (plain paths only)."""
    predicates = {str(rdflib.RDF.type), str(rdflib.RDFS.subClassOf)}
    for path in shapes.objects(None, SH.path):
        if not isinstance(path, rdflib.URIRef):
            raise ValueError(f"complex sh:path {path!r}: extend relevant_predicates before using it")
        predicates.add(str(path))
    for predicate in (SH.lessThanOrEquals, SH.lessThan, SH.equals, SH.disjoint, SH.targetObjectsOf, SH.targetSubjectsOf):
        predicates.update(str(p) for p in shapes.objects(None, predicate))
    return predicates


def to_rdflib(backend: Backend, predicates: set[str]) -> rdflib.Graph:
    values = " ".join(str(NamedNode(p)) for p in sorted(predicates))
    triples = backend.raw_query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}")
    data = rdflib.Graph()
    data.parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="ox-ntriples")
    return data


def validate_graph(data: rdflib.Graph, shapes: rdflib.Graph | None = None) -> Report:
    """SHACL-validate an rdflib graph and return readable violations."""
    from pyshacl import validate as shacl_validate  # heavy: imported where validation runs

    conforms, results, _ = shacl_validate(data, shacl_graph=shapes or shapes_graph(), inference="none", advanced=False)
    return Report(bool(conforms), list(_violations(results)), len(data))


def validate_store(backend: Backend) -> Report:
    shapes = shapes_graph()
    return validate_graph(to_rdflib(backend, relevant_predicates(shapes)), shapes)


def _violations(results: rdflib.Graph) -> list[Violation]:
    found = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        path = results.value(result, SH.resultPath)
        severity = results.value(result, SH.resultSeverity)
        found.append(
            Violation(
                focus=str(results.value(result, SH.focusNode)),
                path=str(path) if path is not None else None,
                message=str(results.value(result, SH.resultMessage) or "constraint violated"),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            )
        )
    return sorted(found, key=lambda v: (v.focus, v.path or "", v.message))
