"""Honest limits: a cut answer says so on every format, CSV/TSV and downloads carry every row,
the limits are published, and remote reads notice a server's cut.

Real servers on localhost over the real snapshot: ietf-kg served with a small row cap, the
default one for the whole "every RFC author" export, and a Virtuoso with a small
``ResultSetMaxRows``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pyoxigraph import NamedNode, QueryResultsFormat, RdfFormat, parse, parse_query_results

from ietfkg.api.http_server import MAX_URL_BYTES
from ietfkg.api.settings import Settings
from ietfkg.api.sparql.analysis import MAX_QUERY_CHARS
from ietfkg.graph.backends import Backend, open_store
from ietfkg.graph.sparql_http_backend import SparqlHttpBackend
from ietfkg.schema.vocab import IETF, RDFS
from tests.browser import RERUN_RENDERER_CRASH, browser  # noqa: F401  (a fixture)
from tests.conftest import run_cli, serve_app
from tests.timeouts import HTTP_TIMEOUT_S
from tests.yasgui import run_query, table_rows

CAP = 40
RFCS = "SELECT ?rfc WHERE { ?rfc a ietf:RFC }"
RFC_GRAPH = "CONSTRUCT WHERE { ?rfc a ietf:RFC }"
ONE_RFC = "SELECT ?rfc WHERE { ?rfc ietf:rfcNumber 8446 }"
EVERY_AUTHOR = (
    "SELECT ?number ?name WHERE { ?rfc ietf:rfcNumber ?number ; dcterms:creator ?author . ?author foaf:name ?name }"
    " ORDER BY ?number ?name"
)
SELECT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml"}
GRAPH_TYPES = {
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/turtle": RdfFormat.TURTLE,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}
WHOLE_TYPES = {"csv": "text/csv", "tsv": "text/tab-separated-values"}


@pytest.fixture(scope="module")
def capped(store_root: Path) -> Iterator[str]:
    """ietf-kg serving the snapshot with a row cap of CAP."""
    settings = Settings.from_env(store=str(store_root), max_rows=CAP, sparql_workers=1)
    with serve_app(settings) as url:
        yield url


@pytest.fixture(scope="module")
def direct(store_root: Path) -> Backend:
    return open_store(str(store_root))


def count(direct: Backend, query: str) -> int:
    """How many rows (or triples) the store itself gives for ``query``, read in full."""
    return len(list(direct.raw_query(query)))


def ask(url: str, query: str, accept: str | None = None, **params: str) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(url + "/sparql", params={"query": query, **params}, headers=headers, timeout=HTTP_TIMEOUT_S)
    assert response.status_code == 200, response.text
    return response


def solutions(response: httpx.Response, fmt: str) -> int:
    """The rows of a SELECT answer, read by a real parser (CSV, which pyoxigraph does not read: csv)."""
    if fmt == "csv":
        return len(list(csv.DictReader(io.StringIO(response.text))))
    native = {"json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML, "tsv": QueryResultsFormat.TSV}[fmt]
    return len(list(parse_query_results(response.content, format=native)))


# -- the header ----------------------------------------------------------------------
@pytest.mark.parametrize("fmt", list(SELECT_TYPES))
def test_a_cut_select_says_so_in_a_header(capped: str, direct: Backend, fmt: str) -> None:
    assert count(direct, RFCS) > CAP
    cut = ask(capped, RFCS, SELECT_TYPES[fmt])
    assert cut.headers["IETFKG-Truncated"] == f"rows={CAP}"
    assert solutions(cut, fmt) == CAP
    whole = ask(capped, ONE_RFC, SELECT_TYPES[fmt])
    assert "IETFKG-Truncated" not in whole.headers and solutions(whole, fmt) == 1
    # exactly the cap is not a cut
    exact = ask(capped, f"{RFCS} LIMIT {CAP}", SELECT_TYPES[fmt])
    assert "IETFKG-Truncated" not in exact.headers and solutions(exact, fmt) == CAP
    assert "X-Max-Rows" not in cut.headers  # the limits are in /sparql/limits, not on every answer


def test_the_json_result_also_carries_the_key(capped: str) -> None:
    assert ask(capped, RFCS).json()["truncated"] is True
    assert "truncated" not in ask(capped, ONE_RFC).json()


@pytest.mark.parametrize("accept", list(GRAPH_TYPES))
def test_a_cut_construct_says_so_in_a_header(capped: str, direct: Backend, accept: str) -> None:
    assert count(direct, RFC_GRAPH) > CAP
    cut = ask(capped, RFC_GRAPH, accept)
    assert cut.headers["IETFKG-Truncated"] == f"triples={CAP}"
    assert len(list(parse(cut.content, format=GRAPH_TYPES[accept], base_iri="http://x/"))) == CAP
    small = "CONSTRUCT WHERE { ?rfc ietf:rfcNumber 8446 }"
    whole = ask(capped, small, accept)
    assert "IETFKG-Truncated" not in whole.headers
    assert len(list(parse(whole.content, format=GRAPH_TYPES[accept], base_iri="http://x/"))) == 1


# -- what streams whole ----------------------------------------------------------------
@pytest.mark.parametrize("fmt", list(WHOLE_TYPES))
def test_csv_and_tsv_stream_every_row_past_the_cap(capped: str, direct: Backend, fmt: str) -> None:
    total = count(direct, RFCS)
    by_accept = ask(capped, RFCS, WHOLE_TYPES[fmt])
    by_format = ask(capped, RFCS, format=fmt)
    for response in (by_accept, by_format):
        assert "IETFKG-Truncated" not in response.headers
        assert "content-length" not in response.headers  # streamed, not built whole
        assert solutions(response, fmt) == total > CAP
    assert by_format.headers["content-disposition"].startswith("attachment")


def test_downloads_in_every_format_carry_everything(capped: str, direct: Backend) -> None:
    for fmt in SELECT_TYPES:
        download = ask(capped, RFCS, format=fmt)
        assert "IETFKG-Truncated" not in download.headers
        assert solutions(download, fmt) == count(direct, RFCS)
    graph = ask(capped, RFC_GRAPH, format="nt")
    assert "IETFKG-Truncated" not in graph.headers
    assert len(graph.text.strip().splitlines()) == count(direct, RFC_GRAPH)


def test_every_rfc_author_exported_as_csv_has_all_rows(live_server: str, direct: Backend) -> None:
    """The report that started it: a CSV of every RFC author ended at the 10,000-row cap."""
    total = int(direct.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ {EVERY_AUTHOR} }} }}").rows[0][0].value)
    cap = Settings.from_env().max_rows
    assert total > cap
    for response in (ask(live_server, EVERY_AUTHOR, format="csv"), ask(live_server, EVERY_AUTHOR, "text/csv")):
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert len(rows) == total and "IETFKG-Truncated" not in response.headers
        assert rows[-1]["number"] == str(max(int(r["number"]) for r in rows))  # the last RFC is there too
    assert ask(live_server, EVERY_AUTHOR).headers["IETFKG-Truncated"] == f"rows={cap}"


# -- the limits, published ------------------------------------------------------------
def test_the_limits_document(capped: str) -> None:
    response = httpx.get(capped + "/sparql/limits", timeout=HTTP_TIMEOUT_S)
    assert response.headers["content-type"].startswith("application/json")
    limits = response.json()
    settings = Settings.from_env(max_rows=CAP)
    assert limits["max_rows"] == CAP and limits["query_timeout_s"] == settings.query_timeout_s
    assert limits["max_body_bytes"] == settings.max_body_bytes and limits["max_query_chars"] == MAX_QUERY_CHARS
    assert limits["max_url_bytes"] == MAX_URL_BYTES
    assert limits["streamed_whole"]["formats"] == ["csv", "tsv"]
    assert limits["truncation_header"]["name"] == "IETFKG-Truncated"


def test_the_service_description_states_the_limits(capped: str) -> None:
    response = httpx.get(capped + "/sparql", headers={"Accept": "text/turtle"}, timeout=HTTP_TIMEOUT_S)
    endpoint = NamedNode(capped + "/sparql")
    said = {(t.predicate, t.object) for t in parse(response.content, format=RdfFormat.TURTLE) if t.subject == endpoint}
    objects = {predicate: obj for predicate, obj in said}
    assert (RDFS.seeAlso, NamedNode(capped + "/sparql/limits")) in said
    assert int(objects[IETF.maxRows].value) == CAP
    assert float(objects[IETF.queryTimeoutSeconds].value) == Settings.from_env().query_timeout_s
    assert int(objects[IETF.maxQueryCharacters].value) == MAX_QUERY_CHARS
    complete = {o.value for p, o in said if p == IETF.completeResultFormat}
    assert complete == {"http://www.w3.org/ns/formats/SPARQL_Results_CSV", "http://www.w3.org/ns/formats/SPARQL_Results_TSV"}
    page = httpx.get(capped + "/sparql", headers={"Accept": "text/html"}, timeout=HTTP_TIMEOUT_S).text
    assert 'href="' + capped + '/sparql/limits"' in page or 'href="/sparql/limits"' in page


# -- remote reads --------------------------------------------------------------------
def test_reading_a_capped_ietfkg_remotely_gets_every_row(capped: str, direct: Backend, store_root: Path) -> None:
    spec = f"sparql+{capped}/sparql"
    backend = SparqlHttpBackend.open(spec)
    rows = backend.select(RFCS)
    assert len(rows.rows) == count(direct, RFCS) and not rows.truncated
    assert len(list(backend.raw_query(RFC_GRAPH))) == count(direct, RFC_GRAPH)
    # the CLI through it: every row, and no notice
    answered = run_cli("query", "--store", spec, "--format", "tsv", RFCS)
    assert len(answered.stdout.splitlines()) == count(direct, RFCS) + 1 and "notice" not in answered.stderr
    exported = run_cli("export", "--store", spec, "--graph", "rfc-editor", "--format", "nt").stdout
    local = run_cli("export", "--store", str(store_root), "--graph", "rfc-editor", "--format", "nt").stdout
    assert len(exported.splitlines()) == len(local.splitlines()) > CAP


@pytest.fixture(scope="module")
def capped_virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Virtuoso capping results at 5 rows (its own system graphs are data enough)."""
    from tests.virtuoso import virtuoso_server

    with virtuoso_server(tmp_path_factory.mktemp("virtuoso-capped"), max_rows=5) as url:
        yield "sparql+" + url


def test_a_remote_servers_own_cut_is_reported(capped_virtuoso: str) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    answered = run_cli("query", "--store", capped_virtuoso, query, check=False)
    assert answered.returncode == 3
    assert "notice: the result is incomplete" in answered.stderr and "X-SPARQL-MaxRows" in answered.stderr
    assert len(answered.stdout.splitlines()) == 1 + 5  # what came is still written
    rows = SparqlHttpBackend.open(capped_virtuoso).select(query)
    assert rows.truncated and len(rows.rows) == 5
    small = run_cli("query", "--store", capped_virtuoso, query + " LIMIT 2", check=False)
    assert small.returncode == 0 and "notice" not in small.stderr and len(small.stdout.splitlines()) == 3



def test_a_query_virtuoso_refuses_is_reported_at_once(capped_virtuoso: str) -> None:
    """Virtuoso refuses a three-way cross join over its own graphs by its cost estimate (HTTP 500):
    the query's fault, so it is said once, without the query echo, and not retried as an outage."""
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    answered = run_cli("query", "--store", capped_virtuoso, cross, check=False)
    assert answered.returncode == 1
    assert "refused the query: Virtuoso 42000" in answered.stderr and "estimated execution time" in answered.stderr
    assert "tries" not in answered.stderr and "SPARQL query:" not in answered.stderr


def test_a_virtuoso_anytime_answer_is_reported_incomplete(virtuoso_store: str) -> None:
    """An anytime query (``timeout`` in the endpoint URL, as public Virtuoso endpoints set by default)
    answers 200 with what it found in time and ``X-SQL-State: S1TAT``; the join below has far more
    rows than any machine counts in that time, so the answer is always the partial one."""
    join = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER (STR(?c) != STR(?f)) }"
    answered = run_cli("query", "--store", virtuoso_store + "?timeout=300", join, check=False)
    assert answered.returncode == 3
    assert "notice: the result is incomplete" in answered.stderr and "X-SQL-State: S1TAT" in answered.stderr

# -- the query page ------------------------------------------------------------------
@RERUN_RENDERER_CRASH
def test_the_query_page_shows_the_cut(capped: str, browser) -> None:  # noqa: F811
    page = browser.new_page()
    try:
        page.goto(capped + "/sparql")
        run_query(page, RFCS)
        notice = page.inner_text("#truncated")
        assert page.is_visible("#truncated")
        assert f"first {CAP} rows" in notice and "CSV" in notice
        assert len(table_rows(page)) == CAP
        run_query(page, ONE_RFC)
        assert len(table_rows(page)) == 1
        assert page.is_hidden("#truncated")
        run_query(page, RFC_GRAPH)
        assert f"first {CAP} triples" in page.inner_text("#truncated")
    finally:
        page.close()
