"""Bounded queries answered in the server process (``api/sparql/inline.py``).

The shape is checked against rdflib's SPARQL parser (what it accepts is one triple
pattern, projected and at most sliced, with no variable twice), and the answers
against the real store.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import QueryResultsFormat, parse_query_results
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Variable

from ietfkg.api.sparql.inline import answer, shape
from ietfkg.graph.backends import Backend, open_store
from ietfkg.schema.vocab import PREFIXES

PROLOGUES = ["", "PREFIX ex: <http://ex.org/#> ", "# SELECT * { ?a ?b ?c }\n", "BASE <http://b/> PREFIX : <http://s/>\n"]
PROJECTIONS = ["*", "?s", "?p ?o", "$s ?o", "?s?p", "DISTINCT ?s", "(COUNT(*) AS ?n)", "?unbound"]
TERMS = [
    "?s", "?p", "?o", "$s", "<http://ex.org/#a>", "ex:a", ":b", "a", "A", "ex:", '"text"', '"text"@en',
    '"1"^^xsd:integer', "42", "-1", "<bad iri>", "?s?p", "_:b", "[]", "(1 2)", "ex:a/ex:b", "^ex:a",
]
BODIES = ["{s} {p} {o}", "{s} {p} {o} .", "{s} {p} {o} . {s} {p} {o}", "{s} {p} {o} FILTER(true)",
          "{s} {p} {o} ; {p} {o}", "OPTIONAL {{ {s} {p} {o} }}", "GRAPH ?g {{ {s} {p} {o} }}"]
TAILS = ["", " LIMIT 3", " limit 0", " OFFSET 2", " LIMIT 2 OFFSET 1", " ORDER BY ?s", " # comment", " }"]


def algebra_chain(query: str) -> list:
    """The nodes from the query down, following each node's one input (``p``)."""
    node = translateQuery(parseQuery(query), initNs=PREFIXES).algebra
    chain = []
    while node is not None and hasattr(node, "name"):
        chain.append(node)
        node = node.get("p")
    return chain


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(PROLOGUES), st.sampled_from(PROJECTIONS), st.sampled_from(BODIES),
    st.sampled_from(TERMS), st.sampled_from(TERMS), st.sampled_from(TERMS), st.sampled_from(TAILS),
    st.booleans(),
)
def test_the_shape_is_one_triple_pattern_and_nothing_else(
    prologue: str, projection: str, body: str, s: str, p: str, o: str, tail: str, where: bool
) -> None:
    query = f"{prologue}SELECT {projection} {'WHERE ' if where else ''}{{ {body.format(s=s, p=p, o=o)} }}{tail}"
    shaped = shape(query)
    if shaped is None:
        return
    try:
        chain = algebra_chain(query)
    except Exception:  # a syntax error rdflib sees: Oxigraph answers it bad_query, as on the worker path
        return
    names = [node.name for node in chain]
    assert names in (["SelectQuery", "Project", "BGP"], ["SelectQuery", "Slice", "Project", "BGP"]), query
    (triple,) = chain[-1]["triples"]
    variables = [term for term in triple if isinstance(term, Variable)]
    assert len(set(variables)) == len(variables), query
    if names[1] == "Slice":
        assert chain[1]["start"] == 0 and chain[1]["length"] == shaped.limit, query
    else:
        assert shaped.limit is None, query


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s WHERE { ?s a ietf:RFC }",  # a variable subject: every match is read first
        "SELECT ?x WHERE { <urn:a> ?x ?x }",  # a repeated variable is a filter: it may read every triple
        "SELECT ?p WHERE { <urn:a> ?p ?o } OFFSET 100000",
        "SELECT * { <urn:a> ?p ?o } ORDER BY ?o",
        "SELECT * FROM <urn:g> { <urn:a> ?p ?o }",
        "SELECT * { SERVICE <http://127.0.0.1:9/> { <urn:a> ?p ?o } }",
        "ASK { <urn:a> ?p ?o }",
        "SELECT * { <urn:a> ?p ?o }" + " " * 5000,
    ],
)
def test_what_could_read_much_more_than_it_answers_is_left_to_a_worker(query: str) -> None:
    assert shape(query) is None


@pytest.fixture(scope="module")
def direct(store_root: Path) -> Backend:
    return open_store(str(store_root))


def subjects(direct: Backend) -> list[tuple[str, int]]:
    """A few entities and how many triples each is the subject of, from the store itself."""
    query = "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s a ietf:WorkingGroup ; ?p ?o } GROUP BY ?s ORDER BY ?s LIMIT 5"
    return [(row[0].value, int(row[1].value)) for row in direct.select(query).rows]


def rows(body: bytes) -> set[tuple[str, ...]]:
    results = parse_query_results(body, format=QueryResultsFormat.JSON)
    return {tuple(str(term) for term in solution) for solution in results}


def test_an_answer_has_the_rows_the_store_has(direct: Backend) -> None:
    picked = subjects(direct)
    assert picked
    for iri, count in picked:
        query = f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"
        body = answer(direct, shape(query), count)
        assert body is not None
        assert rows(body) == {tuple(str(term) for term in row) for row in direct.select(query).rows}
        assert len(rows(body)) == count


def test_an_answer_longer_than_allowed_is_not_given(direct: Backend) -> None:
    iri, count = subjects(direct)[0]
    query = f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"
    assert answer(direct, shape(query), count - 1) is None  # the worker path answers it, capped
    limited = answer(direct, shape(query + " LIMIT 2"), count - 1)  # its own LIMIT keeps it short
    assert limited is not None and len(rows(limited)) == 2
