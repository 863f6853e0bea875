"""/sparql over real HTTP: protocol, content negotiation, read-only rules, service description.

Every result is compared with the same query run directly on the store.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import httpx
import pytest
from pyoxigraph import NamedNode, QueryResultsFormat, RdfFormat, parse, parse_query_results

from ietfkg.graph.backends import Backend
from ietfkg.graph.oxigraph_backend import OxigraphBackend
from ietfkg.graph.queries import load
from ietfkg.graph.store_dir import StoreDir
from tests.timeouts import HTTP_TIMEOUT_S

SEC_WGS = """SELECT ?acronym WHERE {
  ?area a ietf:Area ; skos:notation "sec" .
  ?wg a ietf:WorkingGroup ; org:subOrganizationOf ?area ; skos:notation ?acronym .
} ORDER BY ?acronym"""
RFC8446 = "CONSTRUCT WHERE { ?rfc ietf:rfcNumber 8446 ; dcterms:title ?t ; ietf:obsoletes ?old }"
PROTOCOLS_GRAPH = "https://ietf-kg.example/graph/protocols"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def direct(store_root: Path) -> Backend:
    """The same store, opened read-only in the test process."""
    return OxigraphBackend.open(StoreDir(store_root).current())


def total(direct: Backend, query: str, **options) -> int:
    return int(next(iter(direct.raw_query(query, **options)))["n"].value)


def rows_of(result) -> set[tuple]:
    names = [v.value for v in result.variables]
    return {tuple(None if s[n] is None else str(s[n]) for n in names) for s in result}


def direct_rows(direct: Backend, query: str) -> set[tuple]:
    return {tuple(None if t is None else str(t) for t in row) for row in direct.select(query).rows}


def plain_rows(content: bytes, fmt: str) -> list[tuple[str, ...]]:
    """Rows of plain values from any result format (CSV is lossy: values only)."""
    if fmt == "csv":
        return [tuple(row) for row in list(csv.reader(io.StringIO(content.decode())))[1:]]
    result = parse_query_results(content, format=NATIVE[fmt])
    names = [v.value for v in result.variables]
    return [tuple(s[n].value if s[n] is not None else "" for n in names) for s in result]


NATIVE = {"json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML, "tsv": QueryResultsFormat.TSV}
MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_in_every_format_matches_the_store(live_server, direct, fmt) -> None:
    query = load("example_sec_wg_chairs")
    response = httpx.get(
        live_server + "/sparql",
        params={"query": query},
        headers={"Accept": MEDIA[fmt]},
        timeout=HTTP_TIMEOUT_S,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(MEDIA[fmt])
    expected = [tuple(t.value if t is not None else "" for t in row) for row in direct.select(query).rows]
    assert plain_rows(response.content, fmt) == expected  # same rows, same order
    assert len(expected) > 20 and any(row[0] == "tls" for row in expected)
    if fmt != "csv":  # the lossless formats keep term types, datatypes and languages
        got = rows_of(parse_query_results(response.content, format=NATIVE[fmt]))
        assert got == direct_rows(direct, query)


@pytest.mark.parametrize(
    ("media", "native"),
    [
        ("text/turtle", RdfFormat.TURTLE),
        ("application/n-triples", RdfFormat.N_TRIPLES),
        ("application/ld+json", RdfFormat.JSON_LD),
        ("application/rdf+xml", RdfFormat.RDF_XML),
    ],
)
def test_construct_in_every_format_matches_the_store(live_server, direct, media, native) -> None:
    response = httpx.post(
        live_server + "/sparql", data={"query": RFC8446}, headers={"Accept": media}, timeout=HTTP_TIMEOUT_S
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    got = {str(t) for t in parse(response.content, format=native)}
    expected = {str(t) for t in direct.raw_query(RFC8446)}
    assert got == expected
    assert any("rfc5246" in t for t in got)


def test_post_sparql_query_body_and_ask(live_server) -> None:
    response = httpx.post(
        live_server + "/sparql",
        content="ASK { ?rfc ietf:rfcNumber 8446 ; ietf:obsoletes/ietf:rfcNumber 5246 }",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        timeout=HTTP_TIMEOUT_S,
    )
    assert response.status_code == 200
    assert response.json()["boolean"] is True


def test_format_override_downloads_with_content_disposition(live_server) -> None:
    response = httpx.get(
        live_server + "/sparql", params={"query": SEC_WGS, "format": "csv"}, timeout=HTTP_TIMEOUT_S
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="select-result.csv"'
    assert response.text.splitlines()[0] == "acronym"


def test_default_and_named_graph_uri_choose_the_dataset(live_server, direct) -> None:
    expected = total(direct, COUNT, default_graph=[NamedNode(PROTOCOLS_GRAPH)])
    response = httpx.get(
        live_server + "/sparql",
        params={"query": COUNT, "default-graph-uri": PROTOCOLS_GRAPH},
        timeout=HTTP_TIMEOUT_S,
    )
    got = int(response.json()["results"]["bindings"][0]["n"]["value"])
    assert got == expected and 0 < got < total(direct, COUNT)

    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = httpx.get(
        live_server + "/sparql",
        params={"query": named, "named-graph-uri": PROTOCOLS_GRAPH},
        timeout=HTTP_TIMEOUT_S,
    )
    assert [b["g"]["value"] for b in response.json()["results"]["bindings"]] == [PROTOCOLS_GRAPH]
    # Without a dataset the default graph is the union of all graphs...
    union = httpx.get(live_server + "/sparql", params={"query": COUNT}, timeout=HTTP_TIMEOUT_S).json()
    assert int(union["results"]["bindings"][0]["n"]["value"]) > got
    # ...and FROM in the query picks graphs of the store.
    from_query = f"SELECT (COUNT(*) AS ?n) FROM <{PROTOCOLS_GRAPH}> WHERE {{ ?s ?p ?o }}"
    response = httpx.get(live_server + "/sparql", params={"query": from_query}, timeout=HTTP_TIMEOUT_S)
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == expected


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}, "forbidden"),
        ({"data": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}, "forbidden"),
        ({"data": {"query": "LOAD <http://127.0.0.1:9/x.ttl>"}}, "forbidden"),
        ({"data": {"query": "DROP ALL"}}, "forbidden"),
        (
            {"content": "CLEAR DEFAULT", "headers": {"Content-Type": "application/sparql-update"}},
            "forbidden",
        ),
        (
            {"data": {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"}},
            "forbidden",
        ),
        (
            {
                "data": {
                    "query": "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://10.0.0.1/> { ?s ?q ?r } } }"
                }
            },
            "forbidden",
        ),
        ({"data": {"query": "SELECT ?x WHERE { ?x ?y }"}}, "bad_query"),
    ],
)
def test_updates_service_and_bad_syntax_are_refused(live_server, direct, kwargs, code) -> None:
    before = total(direct, COUNT)
    response = httpx.post(live_server + "/sparql", **kwargs, timeout=HTTP_TIMEOUT_S)
    assert response.status_code == (403 if code == "forbidden" else 400)
    assert response.json()["error"]["code"] == code
    assert total(direct, COUNT) == before


def test_unacceptable_media_type_is_406(live_server) -> None:
    response = httpx.get(
        live_server + "/sparql",
        params={"query": SEC_WGS},
        headers={"Accept": "image/png"},
        timeout=HTTP_TIMEOUT_S,
    )
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.json()["error"]["message"]
    # a format= the query cannot have falls back to the Accept header
    response = httpx.get(
        live_server + "/sparql",
        params={"query": RFC8446, "format": "csv"},
        headers={"Accept": "application/n-triples"},
        timeout=HTTP_TIMEOUT_S,
    )
    assert response.status_code == 200 and response.headers["content-type"] == "application/n-triples"


def test_service_description_for_machines(live_server) -> None:
    response = httpx.get(live_server + "/sparql", headers={"Accept": "text/turtle"}, timeout=HTTP_TIMEOUT_S)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    triples = {
        (str(t.subject), str(t.predicate), str(t.object))
        for t in parse(response.content, format=RdfFormat.TURTLE)
    }
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = f"<{live_server}/sparql>"
    assert (endpoint, f"<{sd}endpoint>", endpoint) in triples
    assert (endpoint, f"<{sd}supportedLanguage>", f"<{sd}SPARQL11Query>") in triples
    assert (endpoint, f"<{sd}resultFormat>", "<http://www.w3.org/ns/formats/SPARQL_Results_CSV>") in triples
    assert any(p == f"<{sd}name>" and o == f"<{PROTOCOLS_GRAPH}>" for _, p, o in triples)
    # curl's default Accept (*/*) also gets the description, in Turtle
    assert (
        httpx.get(live_server + "/sparql", timeout=HTTP_TIMEOUT_S)
        .headers["content-type"]
        .startswith("text/turtle")
    )


def test_query_page_for_browsers(live_server) -> None:
    response = httpx.get(
        live_server + "/sparql",
        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
        timeout=HTTP_TIMEOUT_S,
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    for name in ("example_sec_wg_chairs", "example_rfcs_per_area", "example_obsoleted", "example_tls_graph"):
        assert f'data-example="{name}"' in page
    assert "Security Area working groups and their chairs" in page
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts and all(src.startswith("/static/") for src in scripts) and "cdn" not in page.lower()
    for fmt in ("json", "xml", "csv", "tsv", "ttl", "nt", "jsonld"):
        assert f'["{fmt}", ' in page  # the download links are built from this list


def test_example_answers(live_server) -> None:
    def run(name: str) -> list[dict]:
        data = httpx.get(live_server + "/sparql", params={"query": load(name)}, timeout=HTTP_TIMEOUT_S).json()
        return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]

    assert {"sec", "rtg", "ops"} <= {r["area"] for r in run("example_rfcs_per_area")}
    assert {"newer": "8446", "older": "5246"}.items() <= next(
        r for r in run("example_obsoleted") if r["newer"] == "8446" and r["older"] == "5246"
    ).items()
    graph = httpx.get(
        live_server + "/sparql",
        params={"query": load("example_tls_graph"), "format": "nt"},
        timeout=HTTP_TIMEOUT_S,
    )
    assert "<https://ietf-kg.example/doc/rfc8446> <https://ietf-kg.example/ns#obsoletes>" in graph.text


def test_large_result_streams_in_chunks_and_is_capped(live_server, direct) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    chunks: list[bytes] = []
    with httpx.stream("GET", live_server + "/sparql", params={"query": query}) as response:
        assert response.status_code == 200
        assert "content-length" not in response.headers  # streamed (chunked), not built whole
        cap = int(response.headers["ietfkg-truncated"].removeprefix("rows="))
        chunks.extend(response.iter_raw())
    assert len(chunks) > 3
    data = json.load(io.BytesIO(b"".join(chunks)))
    assert len(data["results"]["bindings"]) == cap
    assert data["truncated"] is True
    assert cap < total(direct, COUNT)


def test_oversized_queries_are_refused(live_server) -> None:
    huge = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 200_000
    response = httpx.post(
        live_server + "/sparql",
        content=huge,
        headers={"Content-Type": "application/sparql-query"},
        timeout=HTTP_TIMEOUT_S,
    )
    assert response.status_code == 413 and response.json()["error"]["code"] == "limit_exceeded"
    response = httpx.post(
        live_server + "/sparql",
        data={"query": "SELECT * WHERE { ?s ?p ?o } #" + "é" * 150_000},
        timeout=HTTP_TIMEOUT_S,
    )
    assert response.status_code == 413
