"""Run ``schema/shapes.ttl`` (SHACL, via pyshacl) against a store.

pyshacl needs an rdflib graph; the union of the store's graphs is handed over
as N-Triples and parsed with oxrdflib's fast parser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files

import rdflib
from pyoxigraph import RdfFormat
from pyshacl import validate as shacl_validate

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


def shapes_graph() -> rdflib.Graph:
    shapes = rdflib.Graph()
    shapes.parse(data=(files("ietfkg.schema") / "shapes.ttl").read_text("utf-8"), format="turtle")
    return shapes


def to_rdflib(backend: Backend) -> rdflib.Graph:
    data = rdflib.Graph()
    data.parse(data=backend.dump(RdfFormat.N_TRIPLES), format="ox-ntriples")
    return data


def validate_graph(data: rdflib.Graph) -> Report:
    """SHACL-validate an rdflib graph and return readable violations."""
    conforms, results, _ = shacl_validate(data, shacl_graph=shapes_graph(), inference="none", advanced=False)
    return Report(bool(conforms), list(_violations(results)))


def validate_store(backend: Backend) -> Report:
    return validate_graph(to_rdflib(backend))


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
