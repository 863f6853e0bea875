"""The vocabulary table (schema/vocabulary_table.py) against its readers: the named queries'
VALUES lists, the ontology, the viz's JSON and the faces that used to keep their own copies."""

from __future__ import annotations

import pytest
from pyoxigraph import RdfFormat, Store

from ietfkg.graph import queries
from ietfkg.graph.adjacency import Adjacency
from ietfkg.schema import vocabulary_table as table
from ietfkg.schema.vocab import ONTOLOGY_NS, RDFS
from pathlib import Path

ONTOLOGY = Path(table.__file__).parent / "ontology.ttl"
TABLE_TERMS = {c.value for k in table.KINDS for c in k.classes} | {r.predicate.value for r in table.RELATIONS}


@pytest.mark.parametrize("name", queries.names())
def test_values_lists_agree_with_the_table(name: str):
    """Each VALUES list of classes or relations in a .rq file is the set the table names for it."""
    in_file = {var: terms for var, terms in queries.values_lists(name).items() if terms & TABLE_TERMS}
    assert in_file == table.query_terms(name), f"{name}.rq and schema/vocabulary_table.py disagree"


def test_check_catches_a_missing_predicate(monkeypatch):
    """The check above fails when a file drops a relation the table lists for it."""
    text = queries.load("viz_neighbours").replace("ietf:obsoletes ", "")
    monkeypatch.setattr(queries, "load", lambda name: text)
    assert queries.values_lists("viz_neighbours") != table.query_terms("viz_neighbours")


def test_a_list_that_opens_a_minus_is_not_checked(monkeypatch):
    """``VALUES ?p`` inside ``MINUS`` lists what a query leaves out (gql_describe_oxigraph.rq)."""
    text = "SELECT * { VALUES ?p { ietf:obsoletes } ?s ?p ?o MINUS {\n  VALUES ?p { dcterms:abstract } } }"
    monkeypatch.setattr(queries, "load", lambda name: text)
    assert queries.values_lists("any") == {"p": {ONTOLOGY_NS + "obsoletes"}}


def test_every_term_is_in_the_ontology():
    store = Store()
    store.load(path=str(ONTOLOGY), format=RdfFormat.TURTLE)
    declared = {q.subject.value for q in store.quads_for_pattern(None, None, None)}
    ours = {t for t in TABLE_TERMS if t.startswith(ONTOLOGY_NS)}
    assert ours and ours <= declared, sorted(ours - declared)
    labels = {q.subject.value for q in store.quads_for_pattern(None, RDFS.label, None)}
    assert {c.value for k in table.KINDS for c in k.classes if c.value.startswith(ONTOLOGY_NS)} <= labels


def test_relations_read_both_ways():
    rows = table.as_json()["relations"]
    assert rows["obsoletes"]["reads"] == "obsoletes" and rows["obsoletes"]["inverse"] == "is obsoleted by"
    assert rows["role:ad"]["label"] == "Area Director" and rows["collaboratesWith"]["symmetric"]
    assert [r["rank"] for r in rows.values()] == list(range(len(rows)))
    assert table.RELATION["obsoletes"].heading(False) == "Obsoleted by"


def test_adjacency_keeps_the_lower_rank():
    """Two predicates between the same pair: the one ranked first in the table is the link kept."""
    first, later = table.RELATIONS[3].predicate.value, table.RELATIONS[-1].predicate.value
    for edges in ([("a", later, "b"), ("a", first, "b")], [("a", first, "b"), ("a", later, "b")]):
        assert Adjacency(edges).link("a", "b").predicate == first


def test_kinds_most_specific_first():
    ietf = ONTOLOGY_NS
    assert table.kind_of_classes({ietf + "WorkingGroup", ietf + "BoF"}).key == "bof"
    assert table.kind_of_classes({ietf + "Group", ietf + "Area"}).key == "area"
    assert table.kind_of_classes(set()).key == "other"
    kinds = table.as_json()["kinds"]
    assert len({k["colour"] for k in kinds.values()}) == len(kinds)  # every kind its own colour
    assert {k for k, v in kinds.items() if v["container"]} == {"area", "body"}
