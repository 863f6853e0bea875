"""Run ``schema/shapes.ttl`` (SHACL, via pyshacl) against a store.

pyshacl needs an rdflib graph, and loading the whole union into rdflib costs
more than validating it. SHACL core (no inference) reads only the shapes' paths
and targets, ``rdf:type`` and ``rdfs:subClassOf``, so only those triples are
handed over (``ShapeInputs``), and of those only the ones that can change a
result: types of the classes the shapes name (and their subclasses), and for a
predicate that only selects focus nodes (``sh:targetObjectsOf``), one triple
per object. All our shapes use plain predicate paths; ``ShapeInputs.of``
refuses anything else so the shortcut can never hide a violation.
``RdflibLoader`` turns pyoxigraph's terms into rdflib's. ``ietfkg validate``
reads the triples from a built store; a build hands the same triples to
``graph/validation_worker.py`` as it writes them. SPARQL-based shapes (``sh:sparql``) are
run by the store itself (``validate_sparql``), on the finished store, not by pyshacl.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources import files

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, parse

from ietfkg.graph.backends import Backend
from ietfkg.graph.terms import values_block
from ietfkg.schema.errors import ValidationFailed

Node = NamedNode | BlankNode

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


@dataclass(frozen=True, slots=True)
class ShapeInputs:
    """The triples SHACL core can read for a set of shapes; ``selector()`` picks them out."""

    predicates: frozenset[str]  # rdf:type, rdfs:subClassOf, the shapes' paths and target predicates
    classes: frozenset[str] | None  # rdf:type objects that matter; None: every type (a shape's path is rdf:type)
    target_only: frozenset[str]  # read only as sh:targetObjectsOf: one triple per object decides the targets
    hierarchy: frozenset[tuple[str, str]]  # the ontology's rdfs:subClassOf pairs the class filter was built from

    @classmethod
    def of(cls, shapes: rdflib.Graph, ontology: rdflib.Graph) -> ShapeInputs:
        paths = set()
        for path in shapes.objects(None, SH.path):
            if not isinstance(path, rdflib.URIRef):
                raise ValueError(f"complex sh:path {path!r}: extend ShapeInputs before using it")
            paths.add(str(path))
        for predicate in (SH.lessThanOrEquals, SH.lessThan, SH.equals, SH.disjoint, SH.targetSubjectsOf):
            paths.update(str(p) for p in shapes.objects(None, predicate))
        targets = {str(p) for p in shapes.objects(None, SH.targetObjectsOf)}
        hierarchy = frozenset((str(s), str(o)) for s, o in ontology.subject_objects(rdflib.RDFS.subClassOf))
        named = {str(c) for p in (SH.targetClass, SH["class"]) for c in shapes.objects(None, p)}
        classes = None if str(rdflib.RDF.type) in paths else frozenset(_with_subclasses(named, hierarchy))
        always = {str(rdflib.RDF.type), str(rdflib.RDFS.subClassOf)}
        return cls(frozenset(paths | targets | always), classes, frozenset(targets - paths), hierarchy)

    def selector(self) -> Callable[[Node, NamedNode, Node | Literal], bool]:
        """A filter keeping the triples the shapes read, called with a triple's subject, predicate
        and object; it remembers the targets it kept, so use one per validation. Repeated triples
        pass: rdflib keeps each once."""
        plain = {NamedNode(p) for p in self.predicates - self.target_only}
        rdf_type, subclass = NamedNode(str(rdflib.RDF.type)), NamedNode(str(rdflib.RDFS.subClassOf))
        plain -= {rdf_type, subclass}
        classes = None if self.classes is None else {NamedNode(c) for c in self.classes}
        target_only = {NamedNode(p) for p in self.target_only}
        targets: set[tuple[NamedNode, object]] = set()

        def wanted(subject: Node, predicate: NamedNode, object_: Node | Literal) -> bool:
            if predicate in plain:
                return True
            if predicate == rdf_type:
                return classes is None or object_ in classes
            if predicate in target_only:
                target = (predicate, object_)
                if target in targets:
                    return False
                targets.add(target)
                return True
            if predicate == subclass:
                if (subject.value, object_.value) not in self.hierarchy:
                    raise ValidationFailed(
                        f"the data states {subject} {predicate} {object_}: SHACL validation reads the class hierarchy of "
                        "schema/ontology.ttl only; state subclasses there"
                    )
                return True
            return False

        return wanted


def shape_inputs() -> ShapeInputs:
    ontology = rdflib.Graph().parse(data=(files("ietfkg.schema") / "ontology.ttl").read_text("utf-8"), format="turtle")
    return ShapeInputs.of(shapes_graph(), ontology)


def _with_subclasses(classes: set[str], hierarchy: Iterable[tuple[str, str]]) -> set[str]:
    found = set(classes)
    while more := {sub for sub, sup in hierarchy if sup in found} - found:
        found |= more
    return found


class RdflibLoader:
    """Adds pyoxigraph triples to an rdflib graph, building each distinct term once.

    Building rdflib terms (``URIRef`` checks every IRI, ``Literal`` casts its value) was most of
    the cost of loading the triples to validate; a handful of predicates and classes, and the
    groups and people that many statements point at, recur throughout.
    """

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph
        self._terms: dict[NamedNode | BlankNode | Literal, rdflib.term.Node] = {}

    def add_ntriples(self, data: bytes) -> None:
        self.add(parse(data, format=RdfFormat.N_TRIPLES))

    def add(self, triples: Iterable[Triple | Quad]) -> None:
        """Add the triples (or quads, as triples: validation reads the union of the graphs)."""
        term = self._term
        self.graph.addN((term(t.subject), term(t.predicate), term(t.object), self.graph) for t in triples)

    def _term(self, node: NamedNode | BlankNode | Literal) -> rdflib.term.Node:
        converted = self._terms.get(node)
        if converted is None:
            converted = self._terms[node] = _to_rdflib_term(node)
        return converted


def _to_rdflib_term(node: NamedNode | BlankNode | Literal) -> rdflib.term.Node:
    if isinstance(node, NamedNode):
        return rdflib.URIRef(node.value)
    if isinstance(node, BlankNode):
        return rdflib.BNode(node.value)
    if node.language:
        return rdflib.Literal(node.value, lang=node.language)
    return rdflib.Literal(node.value, datatype=rdflib.URIRef(node.datatype.value))


def to_rdflib(backend: Backend, inputs: ShapeInputs) -> rdflib.Graph:
    values = values_block(["p"], ([NamedNode(p)] for p in sorted(inputs.predicates)))
    triples = backend.raw_query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {values} ?s ?p ?o }}")
    data = rdflib.Graph()
    wanted = inputs.selector()
    RdflibLoader(data).add(t for t in triples if wanted(t.subject, t.predicate, t.object))
    return data


def validate_graph(data: rdflib.Graph, shapes: rdflib.Graph | None = None, only: list[str] | None = None) -> Report:
    """SHACL-validate an rdflib graph and return readable violations (``only``: these shapes' targets).

    SPARQL-based shapes are left to ``validate_sparql``, which runs them on the store."""
    from pyshacl import validate as shacl_validate  # heavy: imported where validation runs

    shapes = shapes or shapes_graph()
    only = core_shapes(shapes) if only is None else only
    conforms, results, _ = shacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=False, use_shapes=only,
        allow_warnings=True,  # sh:Warning shapes report (e.g. undated RFCs) without failing the build
    )
    return Report(bool(conforms), list(_violations(results)), len(data))


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf, SH.target)


def split_shapes(shapes: rdflib.Graph, data: rdflib.Graph, parts: int) -> list[list[str]]:
    """The targeted shapes in at most ``parts`` groups of about equal work, for validating in parallel.

    Each shape checks its own focus nodes, so validating the groups separately gives the
    same results as one pass. A shape that pyshacl would find another way (a blank node, or
    an implicit class target) gives one group: everything in one pass.
    """
    targeted = {s for t in _TARGETS for s in shapes.subjects(t, None)} - set(sparql_shapes(shapes))
    implicit = {s for s in shapes.subjects(rdflib.RDF.type, SH.NodeShape)
                if (s, rdflib.RDF.type, rdflib.RDFS.Class) in shapes or (s, rdflib.RDF.type, rdflib.OWL.Class) in shapes}
    if implicit or not all(isinstance(s, rdflib.URIRef) for s in targeted):
        return [sorted(str(s) for s in targeted)]
    groups: list[list[str]] = [[] for _ in range(max(1, parts))]
    work = [0] * len(groups)
    for cost, shape in sorted(((_work(shapes, data, s), str(s)) for s in targeted), reverse=True):
        lightest = work.index(min(work))
        groups[lightest].append(shape)
        work[lightest] += cost
    return [sorted(g) for g in groups if g]


# Statements of a shape that select or describe, rather than constrain, its focus nodes.
_NOT_CONSTRAINTS = {*_TARGETS, rdflib.RDF.type, SH.message, SH.severity, SH.name, SH.description, SH.deactivated}


def _work(shapes: rdflib.Graph, data: rdflib.Graph, shape: rdflib.term.Node) -> int:
    """Rough cost of a shape: its focus nodes times its constraints (property shapes count one each)."""
    focus: set[rdflib.term.Node] = set(shapes.objects(shape, SH.targetNode))
    for cls in shapes.objects(shape, SH.targetClass):
        focus.update(data.subjects(rdflib.RDF.type, cls))
    for predicate in shapes.objects(shape, SH.targetObjectsOf):
        focus.update(data.objects(None, predicate))
    for predicate in shapes.objects(shape, SH.targetSubjectsOf):
        focus.update(data.subjects(predicate, None))
    constraints = sum(1 for p, _ in shapes.predicate_objects(shape) if p not in _NOT_CONSTRAINTS)
    return len(focus) * max(1, constraints)


def combined(reports: list[Report]) -> Report:
    """One report for validations of disjoint shape groups over the same data."""
    violations = sorted((v for r in reports for v in r.violations), key=_order)
    return Report(all(r.conforms for r in reports), violations, max((r.triples for r in reports), default=0))


def validate_store(backend: Backend) -> Report:
    shapes = shapes_graph()
    return combined([validate_graph(to_rdflib(backend, shape_inputs()), shapes), validate_sparql(backend, shapes)])


# -- SPARQL-based shapes: run by the store -------------------------------------------------
# pyshacl evaluates a SPARQL constraint with rdflib, once per focus node: on the 13,000 dated
# values of the graph that took longer than all other shapes together. The store's own engine
# answers the same query at once. Supported: sh:targetClass with sh:select constraints.
def sparql_shapes(shapes: rdflib.Graph) -> dict[rdflib.term.Node, list[rdflib.term.Node]]:
    """Shape -> its SPARQL constraints."""
    found: dict[rdflib.term.Node, list[rdflib.term.Node]] = {}
    for shape, constraint in shapes.subject_objects(SH.sparql):
        found.setdefault(shape, []).append(constraint)
    return found


def core_shapes(shapes: rdflib.Graph) -> list[str]:
    """The targeted shapes pyshacl validates (every one but the SPARQL-based)."""
    sparql = set(sparql_shapes(shapes))
    return sorted({str(s) for t in _TARGETS for s in shapes.subjects(t, None) if s not in sparql})


def validate_sparql(backend: Backend, shapes: rdflib.Graph | None = None) -> Report:
    """The SPARQL-based shapes, each constraint's SELECT run on ``backend`` with ``$this`` joined to
    the shape's target class (SHACL pre-binds it to each focus node: the same solutions)."""
    shapes = shapes or shapes_graph()
    found: list[Violation] = []
    for shape, constraints in sparql_shapes(shapes).items():
        targets = list(shapes.objects(shape, SH.targetClass))
        if len(targets) != 1 or set(shapes.predicates(shape)) & {SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf}:
            raise ValueError(f"{shape}: a SPARQL-based shape needs exactly one sh:targetClass and no other target")
        for constraint in constraints:
            query = str(shapes.value(constraint, SH.select)).replace("$this", "?this")
            query = query.replace("WHERE {", f"WHERE {{ ?this a <{targets[0]}> .", 1)
            message = str(shapes.value(constraint, SH.message) or shapes.value(shape, SH.message) or "constraint violated")
            rows = backend.select(query)
            for row in rows.rows:
                values = {name: (cell.value if cell is not None else "") for name, cell in zip(rows.variables, row)}
                text = re.sub(r"\{\?(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), message)
                found.append(Violation(values.get("this", ""), values.get("path") or None, text, _severity(shapes, shape)))
    violations = sorted(found, key=_order)
    return Report(not any(v.severity == "Violation" for v in violations), violations, 0)


def _severity(shapes: rdflib.Graph, shape: rdflib.term.Node) -> str:
    severity = shapes.value(shape, SH.severity)
    return str(severity).rsplit("#", 1)[-1] if severity else "Violation"


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
    return sorted(found, key=_order)


def _order(violation: Violation) -> tuple[str, str, str]:
    return (violation.focus, violation.path or "", violation.message)
