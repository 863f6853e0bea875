"""Fuzzing the HTTP faces: no input makes the server fail (5xx) or leak a stack trace.

* GraphQL: schemathesis reads the schema by introspection from the live server
  and generates queries for every ``Query`` field (arguments and selections).
* SPARQL: hypothesis builds queries from a small grammar (cheap patterns, random
  literals, IRIs, filters, modifiers), plus raw text, random protocol parameters,
  ``Accept`` headers and bodies.
* Entity pages and the other pages: random keys, parameters, ``format=`` and ``Accept`` values.

Example counts are fixed and runs are derandomized, so CI is deterministic and
the whole module stays within seconds. A response may be a 4xx; it may never be
a 5xx, and its body may never carry a traceback or a Python exception's name.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=40, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
EXCEPTION_NAMES = sorted(n for n in dir(builtins) if n.endswith(("Error", "Exception")) and n != "Exception")
LEAK = re.compile(r'Traceback \(most recent call last\)|File "[^"]*", line \d+|\b(?:' + "|".join(EXCEPTION_NAMES) + r")\b")
LEAK_IN_ERRORS = re.compile(r"\b(?:pyoxigraph|pyparsing|rdflib|strawberry|starlette|ietfkg)\.\w+|Exception\b")


def assert_clean(response: httpx.Response, what: object) -> None:
    """No server error, and nothing of the server's insides in the body."""
    assert response.status_code < 500, f"{response.status_code} for {what!r}: {response.text[:500]}"
    body = response.text
    assert not LEAK.search(body), f"leak for {what!r}: {LEAK.search(body).group(0)} in {body[:500]}"
    if response.status_code >= 400 or '"errors"' in body:
        assert not LEAK_IN_ERRORS.search(body), f"leak for {what!r}: {body[:500]}"


@pytest.fixture(scope="module")
def client(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=30) as http:
        yield http


# -- GraphQL: schemathesis, every Query field ----------------------------------------------
GRAPHQL_CODES = {"not_found", "bad_request", "too_complex"}


def test_graphql_fuzz(live_server: str, client: httpx.Client) -> None:
    schema = schemathesis.graphql.from_url(live_server + "/graphql")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {"Query.area", "Query.documents", "Query.path", "Query.neighborhood"} <= {op.label for op in operations}
    for operation in operations:

        @settings(FUZZ, max_examples=6)
        @given(case=operation.as_strategy())
        def run(case) -> None:
            response = client.post("/graphql", json={"query": case.body})
            assert_clean(response, case.body)
            for error in response.json().get("errors", ()):
                # ours carry a code; GraphQL's own (validation, coercion) have no path; nothing is masked
                assert error["message"] != "Unexpected error.", f"masked failure for {case.body}"
                code = error.get("extensions", {}).get("code")
                assert code in GRAPHQL_CODES or (code is None and "path" not in error), (case.body, error)

        run()


@FUZZ
@given(text=st.text(max_size=200), variables=st.text(max_size=50))
def test_graphql_raw_text_fuzz(client: httpx.Client, text: str, variables: str) -> None:
    assert_clean(client.get("/graphql", params={"query": text, "variables": variables}), text)
    assert_clean(client.post("/graphql", content=text.encode(), headers={"Content-Type": "application/json"}), text)


# -- SPARQL: a small grammar of cheap queries, and raw text -----------------------------------
KNOWN = ["<https://ietf-kg.example/doc/rfc8446>", "<https://ietf-kg.example/group/tls>",
         "<https://ietf-kg.example/person/eric-rescorla>", "<https://ietf-kg.example/protocol/tls>"]
PREDICATES = ["ietf:rfcNumber", "dcterms:title", "skos:notation", "org:subOrganizationOf", "rdf:type",
              "foaf:name", "ietf:obsoletes", "ietf:startDate", "ietf:noSuchProperty"]
VARIABLES = st.sampled_from(["?s", "?p", "?o", "?x"])
literal = st.one_of(
    st.text(max_size=30).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.text(max_size=10).map(lambda t: '"' + t + '"'),  # unescaped: often malformed
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=False).map(repr),
    st.sampled_from(['"2015-01-01"^^xsd:date', '"x"@en', '"1"^^xsd:integer', '"not a date"^^xsd:date', "true"]),
)
iri = st.one_of(st.sampled_from(KNOWN), st.text(max_size=20).map(lambda t: "<" + t + ">"))
term = st.one_of(VARIABLES, literal, iri, st.sampled_from(PREDICATES))
pattern = st.one_of(  # always anchored by a known subject or a known predicate and object: cheap
    st.tuples(st.sampled_from(KNOWN), st.one_of(VARIABLES, st.sampled_from(PREDICATES)), term).map(" ".join),
    st.tuples(VARIABLES, st.sampled_from(PREDICATES), st.one_of(literal, st.sampled_from(KNOWN))).map(" ".join),
)
expression = st.one_of(
    st.tuples(VARIABLES, st.sampled_from(["=", "<", "!=", ">="]), term).map(" ".join),
    st.tuples(st.sampled_from(["STR", "LANG", "DATATYPE", "isIRI", "BOUND", "STRLEN", "UCASE", "YEAR", "ABS"]),
              VARIABLES).map(lambda p: f"{p[0]}({p[1]})"),
    st.tuples(VARIABLES, literal).map(lambda p: f"REGEX(STR({p[0]}), {p[1]})"),
    st.tuples(VARIABLES, literal).map(lambda p: f"CONTAINS(STR({p[0]}), {p[1]})"),
    st.tuples(VARIABLES, term).map(lambda p: f"({p[0]} / {p[1]})"),
)
where = st.tuples(
    st.lists(pattern, min_size=1, max_size=3).map(" . ".join),
    st.lists(expression.map(lambda e: f"FILTER({e})"), max_size=2).map(" ".join),
    st.sampled_from(["", "OPTIONAL { ?s ?p ?o }", "BIND(1 AS ?b)", "VALUES ?v { 1 2 }"]),
).map(lambda p: "{ " + " ".join(p) + " }")
modifiers = st.tuples(
    st.sampled_from(["", "ORDER BY ?s", "GROUP BY ?s", "ORDER BY DESC(?o)"]),
    st.one_of(st.just(""), st.integers(-5, 10**12).map(lambda n: f"LIMIT {n}")),
    st.one_of(st.just(""), st.integers(-5, 10**6).map(lambda n: f"OFFSET {n}")),
).map(" ".join)
sparql_query = st.one_of(
    st.tuples(st.sampled_from(["SELECT *", "SELECT DISTINCT ?s ?o", "SELECT (COUNT(*) AS ?n)", "SELECT ?zz"]),
              where, modifiers).map(lambda p: f"{p[0]} WHERE {p[1]} {p[2]}"),
    where.map(lambda w: "ASK " + w),
    st.tuples(where, modifiers).map(lambda p: f"CONSTRUCT {{ ?s ?p ?o }} WHERE {p[0]} {p[1]}"),
    st.sampled_from(KNOWN).map(lambda k: "DESCRIBE " + k),
    st.text(max_size=120),  # anything at all
    st.sampled_from(["INSERT DATA { <a:b> <a:b> <a:b> }", "SELECT * { SERVICE <http://127.0.0.1/> { ?s ?p ?o } }",
                     "LOAD <http://127.0.0.1/>", "SELECT * FROM <https://ietf-kg.example/graph/nope> { ?s ?p ?o }"]),
)
ACCEPT = st.one_of(
    st.sampled_from(["*/*", "text/csv", "application/sparql-results+xml", "text/turtle", "text/html",
                     "application/ld+json;q=0.5, text/tsv", "image/png", "", ";;;,,q=x"]),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40).map(str.strip),  # h11 sends no edge spaces
)
PARAM_VALUE = st.text(max_size=40)


@FUZZ
@given(query=sparql_query, accept=ACCEPT, fmt=st.one_of(st.none(), PARAM_VALUE), method=st.sampled_from(["GET", "POST", "BODY"]))
def test_sparql_query_fuzz(client: httpx.Client, query: str, accept: str, fmt: str | None, method: str) -> None:
    params = {"format": fmt} if fmt is not None else {}
    headers = {"Accept": accept}
    if method == "GET":
        response = client.get("/sparql", params={"query": query, **params}, headers=headers)
    elif method == "POST":
        response = client.post("/sparql", params=params, data={"query": query}, headers=headers)
    else:
        headers["Content-Type"] = "application/sparql-query"
        response = client.post("/sparql", params=params, content=query.encode(), headers=headers)
    assert_clean(response, query)


@FUZZ
@given(
    params=st.lists(st.tuples(st.sampled_from(["query", "default-graph-uri", "named-graph-uri", "update", "format",
                                               "x", ""]), PARAM_VALUE), max_size=4),
    content_type=st.one_of(st.sampled_from(["application/x-www-form-urlencoded", "application/sparql-query",
                                            "application/sparql-update", "text/plain", "multipart/form-data"]),
                           PARAM_VALUE.filter(lambda t: t.isprintable() and t.isascii()).map(str.strip)),
    body=st.binary(max_size=200),
)
def test_sparql_protocol_fuzz(client: httpx.Client, params: list, content_type: str, body: bytes) -> None:
    assert_clean(client.get("/sparql", params=params), params)
    assert_clean(client.post("/sparql", params=params, content=body, headers={"Content-Type": content_type}), body)


# -- entity pages, VoID and the other GET pages ------------------------------------------------------
KEYS = st.one_of(
    st.sampled_from(["tls", "rfc8446", "eric-rescorla", "sec", "rfc-editor", "bcp14"]),
    st.text(max_size=40),
    st.sampled_from(["..", "../..", "%00", "a/../../etc/passwd", "<script>", "x" * 3000, "ünï/cødé"]),
)


@FUZZ
@given(kind=st.sampled_from(["group", "person", "doc", "protocol", "role", "graph", "agent"]), key=KEYS,
       fmt=st.one_of(st.none(), PARAM_VALUE), accept=ACCEPT)
def test_entity_page_fuzz(client: httpx.Client, kind: str, key: str, fmt: str | None, accept: str) -> None:
    path = f"/{kind}/" + quote(key, safe="/")
    response = client.get(path, params={"format": fmt} if fmt is not None else {}, headers={"Accept": accept})
    assert_clean(response, path)


@FUZZ
@given(
    endpoint=st.sampled_from(["/.well-known/void", "/", "/healthz", "/viz", "/sparql", "/graphql"]),
    params=st.dictionaries(st.sampled_from(["id", "q", "from", "to", "at", "format"]),
                           st.one_of(KEYS, st.sampled_from(["https://ietf-kg.example/group/tls", "2020-02-30",
                                                            "2020-06-01", "99999-01-01"])), max_size=3),
    accept=ACCEPT,
)
def test_http_parameter_fuzz(client: httpx.Client, endpoint: str, params: dict, accept: str) -> None:
    assert_clean(client.get(endpoint, params=params, headers={"Accept": accept}), (endpoint, params))


# -- regressions: what the fuzzers found --------------------------------------------------------
@pytest.mark.parametrize("path", ["/group/%22", "/person/a%20b", "/doc/%3Cscript%3E", "/protocol/%7B%7D"])
def test_keys_that_are_no_iri_are_not_found(client: httpx.Client, path: str) -> None:
    response = client.get(path)  # was a 500: NamedNode() refused the IRI
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("cursor", ["\u0080", "b2Zmc2V0Ol8", "b2Zmc2V0OsKy", "é=="])
def test_cursors_that_are_no_base64_ascii_are_bad_requests(client: httpx.Client, cursor: str) -> None:
    # was "Unexpected error.": b64decode raised ValueError on non-ASCII text ("offset:²" passed isdigit())
    query = "query($c: String) { protocols(first: 2, after: $c) { totalCount } }"
    (error,) = client.post("/graphql", json={"query": query, "variables": {"c": cursor}}).json()["errors"]
    assert error["extensions"]["code"] == "bad_request" and error["message"] == f"invalid cursor {cursor!r}"
