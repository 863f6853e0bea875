"""Bounded queries answered in the server process (``api/sparql/inline.py``).

The shape is checked against rdflib's SPARQL parser (what it accepts is one triple
pattern, projected and at most sliced, with no variable twice), and the answers
against the real store: a lookup read from the store directly gives the bytes a
worker writes from Oxigraph's evaluation, in every format, capped alike, on the
merged default graph.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import QueryResultsFormat, parse_query_results
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Variable

from ietfkg.api.settings import Settings
from ietfkg.api.sparql.inline import answer, shape
from ietfkg.graph.backends import Backend, open_store
from ietfkg.graph.exports import get
from ietfkg.graph.result_writers import write_results
from ietfkg.schema.vocab import PREFIXES
from tests.conftest import serve_app

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


JSON = get("json", "results")


def test_an_answer_has_the_rows_the_store_has(direct: Backend) -> None:
    picked = subjects(direct)
    assert picked
    for iri, count in picked:
        query = f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"
        here = answer(direct, shape(query), JSON, count, count)
        assert here is not None and not here.truncated and here.count == count
        assert rows(here.body) == {tuple(str(term) for term in row) for row in direct.select(query).rows}
        assert len(rows(here.body)) == count


def test_an_answer_longer_than_allowed_is_not_given(direct: Backend) -> None:
    iri, count = subjects(direct)[0]
    query = f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"
    assert answer(direct, shape(query), JSON, None, count - 1) is None  # the worker path answers it, whole
    assert answer(direct, shape(query), JSON, count + 5, count - 1) is None  # past sparql_inline_rows
    limited = answer(direct, shape(query + " LIMIT 2"), JSON, count + 5, count - 1)  # its own LIMIT keeps it short
    assert limited is not None and len(rows(limited.body)) == 2


def test_an_answer_past_the_row_cap_is_cut_and_says_so(direct: Backend) -> None:
    iri, count = subjects(direct)[0]
    assert count > 2
    here = answer(direct, shape(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"), JSON, 2, 100)
    assert here is not None and here.truncated and here.count == 2
    assert len(rows(here.body)) == 2 and orjson.loads(here.body)["truncated"] is True


# -- read from the store directly: the same bytes as the query engine's rows ---------
def lookups(iri: str) -> list[str]:
    """Point lookups on one subject the server reads from the store directly (and one it runs as a query)."""
    namespace, _, local = iri.rpartition("/")
    prefixed = (
        [f"PREFIX x: <{namespace}/> SELECT ?p {{ x:{local} ?p ietf:WorkingGroup }}"]
        if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_-]*", local) else []
    )
    return prefixed + [
        f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}",
        f"SELECT * {{ <{iri}> ?p ?o }}",
        f"select ?o ?p ?unbound {{ <{iri}> ?p ?o . }} limit 3",
        f"SELECT ?o {{ <{iri}> a ?o }}",
        f"SELECT ?o {{ <{iri}> skos:notation ?o }}",
        f"SELECT ?p {{ <{iri}> ?p <https://nowhere.example/x> }}",
    ]


def queried(iri: str) -> str:
    """A lookup with a literal: run as a query in the server process, and written alike."""
    return f'SELECT ?p {{ <{iri}> ?p "tls" }}'


@pytest.fixture(scope="module")
def many(direct: Backend) -> list[str]:
    """Subjects of every kind the lookups meet: groups, RFCs, people, and others (sorted, so stable)."""
    query = "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) } ORDER BY ?s"
    found = [row[0].value for row in direct.select(query).rows]
    return found[:: max(1, len(found) // 150)]


@pytest.mark.parametrize("name", ["json", "xml", "csv", "tsv"])
def test_the_direct_read_writes_what_the_engine_would(direct: Backend, many: list[str], name: str) -> None:
    """Against the on-disk store: the answer read from the subject's quads is, byte for byte, what
    a worker writes from Oxigraph's evaluation of the query (``pool._run_job``: ``write_results``)."""
    fmt = get(name, "results")
    cap = None if name in ("csv", "tsv") else 4
    direct_reads = 0
    for iri in many:
        for query in lookups(iri):
            shaped = shape(query)
            assert shaped is not None and shaped.pattern is not None, query
            here = answer(direct, shaped, fmt, cap, 10_000)
            assert here is not None
            engine = io.BytesIO()
            written = write_results(direct.raw_query(query), fmt, engine, cap)
            assert (here.body, here.count, here.truncated) == (engine.getvalue(), written.count, written.truncated), query
            direct_reads += 1
    assert direct_reads > 500


# -- the endpoint: in the server process or by a worker, the same answer -------------
CAP = 6


@pytest.fixture(scope="module")
def servers(store_root: Path) -> Iterator[tuple[str, str]]:
    """The endpoint as served (lookups answered in the server process) and with every query sent to a worker."""
    common = {"store": str(store_root), "max_rows": CAP, "sparql_workers": 1}
    with serve_app(Settings.from_env(**common)) as here, serve_app(Settings.from_env(**common, sparql_inline_rows=0)) as worker:
        yield here, worker


ACCEPTS = [
    "application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values",
]


def test_a_lookup_answered_here_is_the_workers_answer(servers: tuple[str, str], many: list[str]) -> None:
    """Status, headers that matter and bytes, in every result format and as a download, for lookups
    the row cap cuts and lookups it does not."""
    here, worker = servers
    cut = 0
    with httpx.Client(timeout=60) as client:
        for iri in many[::3]:
            for query in [*lookups(iri), queried(iri)]:
                for accept, params in [*((a, {}) for a in ACCEPTS), ("*/*", {"format": "json"})]:
                    answers = [
                        client.post(url + "/sparql", data={"query": query}, params=params, headers={"Accept": accept})
                        for url in (here, worker)
                    ]
                    first, second = answers
                    assert first.status_code == second.status_code == 200, (query, first.text)
                    for header in ("content-type", "content-disposition", "ietfkg-truncated"):
                        assert first.headers.get(header) == second.headers.get(header), (query, accept, header)
                    assert first.content == second.content, (query, accept, params)
                    cut += "ietfkg-truncated" in first.headers
    assert cut > 0  # some lookups had more rows than the cap


def test_a_lookup_reads_the_merged_default_graph(servers: tuple[str, str], direct: Backend) -> None:
    """A triple several sources state is one row, as in the default graph the store records
    (``graph/dataset.py``), not one per source graph; and the bookkeeping graphs stay out."""
    twice = direct.select(
        "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } GRAPH ?h { ?s ?p ?o } FILTER(STR(?g) < STR(?h) && isIRI(?s)) } LIMIT 1"
    ).rows
    assert twice, "the snapshot has a fact stated by two sources"
    subject, predicate, obj = twice[0]
    query = f"SELECT ?p ?o WHERE {{ {subject} ?p ?o }}"
    here, _ = servers
    response = httpx.post(here + "/sparql", data={"query": query}, headers={"Accept": "text/tab-separated-values"})
    lines = response.text.splitlines()[1:]
    assert lines.count(f"{predicate}\t{obj}") == 1
    assert len(lines) == len(set(lines)) == len(direct.select(query).rows)
    assert not any("default-graph" in line or "/graph/merged" in line for line in lines)
