"""SHACL validation catches what the shapes forbid, and reports it readably."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from pyoxigraph import RdfFormat, Store

from ietfkg.graph.oxigraph_backend import OxigraphBackend
from ietfkg.graph.validate import (
    shape_inputs,
    shapes_graph,
    split_shapes,
    to_rdflib,
    validate_graph,
    validate_store,
)
from ietfkg.graph.validation_worker import BackgroundValidation, validate_in_parallel
from ietfkg.schema.errors import BuildFailed, ValidationFailed
from tests.conftest import run_cli

BROKEN = """
@prefix ietf: <https://ietf-kg.example/ns#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://ietf-kg.example/group/tls> a ietf:Group .
<https://ietf-kg.example/role/x> a org:Membership ; org:organization <https://ietf-kg.example/group/tls> ;
    org:role ietf:role-chair ; ietf:dateBasis "guessed" ;
    ietf:startDate "2020-05-01"^^xsd:date ; ietf:endDate "2019-01-01"^^xsd:date ;
    <http://www.w3.org/ns/prov#wasDerivedFrom> <https://example.org/x> .
ietf:role-chair a ietf:Role .
<https://ietf-kg.example/doc/rfc1> a ietf:RFC ; ietf:rfcNumber 1 ; <http://purl.org/dc/terms/title> "x" ;
    <http://www.w3.org/ns/prov#wasDerivedFrom> <https://example.org/rfc1> ;
    <http://purl.org/dc/terms/creator> <https://ietf-kg.example/group/tls> ;
    ietf:obsoletes <https://ietf-kg.example/group/tls> .
"""


def _store(turtle: str) -> OxigraphBackend:
    store = Store()
    store.load(turtle.encode(), format=RdfFormat.TURTLE, to_graph=None)
    return OxigraphBackend(store)


def test_violations_are_found_and_readable() -> None:
    report = validate_store(_store(BROKEN))
    assert not report.conforms
    text = "\n".join(str(v) for v in report.violations)
    assert "a group has exactly one acronym" in text  # group without skos:notation
    assert "a role has exactly one person" in text  # membership without org:member
    assert "a role starts before it ends" in text
    assert "dateBasis" in text  # "guessed" is neither observed nor stated
    assert "creators are people or organisations" in text
    assert "obsoletes/updates point at RFCs" in text


def test_snapshot_conforms(snapshot_build) -> None:
    assert snapshot_build.validation is not None and snapshot_build.validation.conforms


def test_cli_validate_exit_code(store_root: Path) -> None:
    result = run_cli("validate", "--store", str(store_root))
    assert "conforms" in result.stderr


# -- the build's background validation ----------------------------------------------------
def test_background_validation_reports_what_validate_store_reports() -> None:
    broken = _store(BROKEN)
    with BackgroundValidation() as validation:
        half = len(list(broken.store)) // 2
        quads = list(broken.store)
        validation.feed(quads[:half])  # in pieces, as a build feeds it
        validation.feed(quads[half:])
        streamed = validation.finish()
    direct = validate_store(broken)
    assert not streamed.conforms and [str(v) for v in streamed.violations] == [str(v) for v in direct.violations]
    assert streamed.triples == direct.triples > 0


def test_the_build_validated_every_triple_its_shapes_read(snapshot_build) -> None:
    backend = OxigraphBackend.open(snapshot_build.store)
    in_store = len(to_rdflib(backend, shape_inputs()))
    assert snapshot_build.validation.triples == in_store > 80_000


def test_a_triple_the_shapes_read_after_seal_fails_the_build() -> None:
    quads = list(_store(BROKEN).store)
    unread = list(_store("<https://x.example/a> <https://x.example/unread> 1 .").store)
    with BackgroundValidation() as validation:
        validation.feed(quads[:3])
        validation.seal()
        validation.feed(unread)  # no shape reads it: fine
        with pytest.raises(BuildFailed, match="after validation began"):
            validation.feed(quads[3:])


def test_a_validator_that_dies_fails_the_build_clearly() -> None:
    with BackgroundValidation() as validation:
        validation.feed(list(_store(BROKEN).store))
        validation.process.kill()
        with pytest.raises(BuildFailed, match="SHACL validator failed"):
            validation.finish()



# -- which triples validation reads ------------------------------------------------------
EXTRA = """
@prefix ietf: <https://ietf-kg.example/ns#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://ietf-kg.example/doc/rfc1> a ietf:Document ; dcterms:creator <https://ietf-kg.example/person/a> .
<https://ietf-kg.example/doc/rfc2> a ietf:RFC, ietf:Document ; ietf:rfcNumber "two" ;
    dcterms:creator <https://ietf-kg.example/person/a> .
<https://ietf-kg.example/person/a> a <http://xmlns.com/foaf/0.1/Person> .
<https://ietf-kg.example/when/1> a time:Instant .
<https://ietf-kg.example/group/tls> a ietf:WorkingGroup .
"""


def test_validation_reads_only_what_can_change_its_result() -> None:
    backend = _store(BROKEN + EXTRA)
    data = to_rdflib(backend, shape_inputs())
    types = {str(o) for o in data.objects(None, rdflib.RDF.type)}
    assert "https://ietf-kg.example/ns#WorkingGroup" in types  # a subclass of ietf:Group, which shapes name
    assert not types & {"https://ietf-kg.example/ns#Document", "http://www.w3.org/2006/time#Instant"}
    # who points at a creator does not decide anything: one link per creator is kept
    assert len(set(data.subject_objects(rdflib.DCTERMS.creator))) == 2
    everything = rdflib.Graph()
    everything.parse(data=BROKEN + EXTRA, format="turtle")
    full, kept = validate_graph(everything, shapes_graph()), validate_graph(data, shapes_graph())
    assert kept.violations == full.violations and len(full.violations) >= 7


def test_a_subclass_the_ontology_does_not_state_stops_validation() -> None:
    backend = _store(BROKEN + "<https://x.example/C> <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
                              "<https://ietf-kg.example/ns#Group> .")
    with pytest.raises(ValidationFailed, match="class hierarchy of schema/ontology.ttl"):
        to_rdflib(backend, shape_inputs())


# -- validating groups of shapes in parallel ----------------------------------------------
def test_shape_groups_cover_every_targeted_shape_once() -> None:
    shapes = shapes_graph()
    data = to_rdflib(_store(BROKEN), shape_inputs())
    groups = split_shapes(shapes, data, 2)
    assert len(groups) == 2
    flat = [shape for group in groups for shape in group]
    assert len(flat) == len(set(flat)) and set(flat) == set(split_shapes(shapes, data, 1)[0])
    assert "https://ietf-kg.example/ns#RfcTitleShape" in flat and "https://ietf-kg.example/ns#CreatorShape" in flat


def test_a_shape_pyshacl_finds_otherwise_keeps_one_group() -> None:
    shapes = shapes_graph()
    shapes.parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        [] a sh:NodeShape ; sh:targetClass <https://x.example/C> .""", format="turtle")
    assert len(split_shapes(shapes, rdflib.Graph(), 4)) == 1


def test_forked_validation_reports_what_one_pass_reports() -> None:
    shapes = shapes_graph()
    data = to_rdflib(_store(BROKEN), shape_inputs())
    parallel, single = validate_in_parallel(data, shapes, 2), validate_graph(data, shapes)
    assert not parallel.conforms and len(parallel.violations) >= 6
    assert parallel == single
