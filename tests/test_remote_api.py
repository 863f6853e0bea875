"""The whole API served from a remote SPARQL server: real Oxigraph and Virtuoso servers on localhost."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pyoxigraph import Literal, NamedNode, Quad

from ietfkg.api.graphql.explorer import SECURITY_AREA as EXPLORER_SECURITY_AREA
from ietfkg.api.settings import Settings
from ietfkg.graph.backends import cell_language, cell_value
from ietfkg.graph.oxigraph_backend import OxigraphBackend
from ietfkg.graph.sparql_http_backend import SparqlHttpBackend
from ietfkg.schema.vocab import XSD
from tests.conftest import STORES, run_cli, serve_app
from tests.remote import OxigraphServer
from tests.test_rfc_editor import issued_rfcs
from tests.timeouts import QUERY_LIMIT_S
from tests.virtuoso import credentials, virtuoso_server

SECURITY_AREA = """
{ area(acronym: "sec") { acronym workingGroups(first: 100) { edges { node { acronym } } } } }
"""


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def remote_app(request: pytest.FixtureRequest) -> Iterator[str]:
    store = request.getfixturevalue(STORES[request.param])
    with serve_app(Settings.from_env(store=store, query_timeout_s=QUERY_LIMIT_S)) as url:
        yield url


def test_graphql_on_remote_store(remote_app: str) -> None:
    body = httpx.post(remote_app + "/graphql", json={"query": SECURITY_AREA}, timeout=60).json()
    wgs = {edge["node"]["acronym"] for edge in body["data"]["area"]["workingGroups"]["edges"]}
    assert {"tls", "acme", "mls", "lamps", "oauth", "secdispatch"} <= wgs


def test_sparql_on_remote_store(remote_app: str) -> None:
    response = httpx.get(
        remote_app + "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?r a ietf:RFC }"},
        headers={"Accept": "text/csv"},
        timeout=60,
    )
    assert response.status_code == 200 and response.text.splitlines()[1] == str(issued_rfcs())


def test_entity_page_and_void_on_remote_store(remote_app: str) -> None:
    page = httpx.get(remote_app + "/group/tls", headers={"Accept": "text/html"}, timeout=60)
    assert page.status_code == 200 and "Transport Layer Security" in page.text
    void = httpx.get(remote_app + "/.well-known/void", headers={"Accept": "text/turtle"}, timeout=60)
    assert void.status_code == 200 and "void:triples" in void.text


@pytest.fixture()
def stoppable_remote(tmp_path: Path) -> Iterator[OxigraphServer]:
    server = OxigraphServer(tmp_path / "db")
    server.start()
    yield server
    server.stop()


def test_outage_is_a_503_and_recovers_without_restart(
    stoppable_remote: OxigraphServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    spec = "sparql+" + stoppable_remote.url
    run_cli("build", "-q", "--no-validate", "--store", spec)
    monkeypatch.setenv("IETFKG_REMOTE_RETRIES", "1")
    monkeypatch.setenv("IETFKG_REMOTE_BACKOFF_S", "0.01")
    with serve_app(Settings.from_env(store=spec, query_timeout_s=QUERY_LIMIT_S)) as app:
        ask = {"query": "ASK { ?s ietf:rfcNumber 8446 }"}
        assert httpx.get(app + "/sparql", params=ask, timeout=30).json()["boolean"] is True
        stoppable_remote.stop()
        down = httpx.get(app + "/sparql", params=ask, timeout=30)
        assert down.status_code == 503 and down.headers["Retry-After"] == "5"
        assert "store_unavailable" in down.text and "Traceback" not in down.text
        gql = httpx.post(app + "/graphql", json={"query": "{ rfc(number: 8446) { title } }"}, timeout=30)
        assert gql.status_code == 503 and gql.headers["Retry-After"] == "5"
        assert gql.json()["errors"][0]["extensions"]["code"] == "store_unavailable"
        # a known condition: one line in the server's log, no traceback
        assert not [r for r in caplog.records if r.exc_info and "unavailable" in str(r.exc_info[1])]
        server_log = capfd.readouterr().err  # uvicorn's log, written by the in-thread server
        assert re.search(r"WARNING: +GraphQL \['rfc'\]: SPARQL server at \S+ unavailable", server_log)
        assert "Traceback" not in server_log
        stoppable_remote.start()
        back = httpx.get(app + "/sparql", params=ask, timeout=30)
        assert back.status_code == 200 and back.json()["boolean"] is True


def test_nested_graphql_answer_is_the_same_on_remote_and_embedded_stores(remote_app: str, live_server: str) -> None:
    # The loaders read both stores through select_strings: the server's TSV and pyoxigraph's own.
    query = {"query": EXPLORER_SECURITY_AREA}
    remote = httpx.post(remote_app + "/graphql", json=query, timeout=60).json()
    local = httpx.post(live_server + "/graphql", json=query, timeout=60).json()
    assert "errors" not in remote and remote["data"] == local["data"]
    wgs = {wg["acronym"]: wg for wg in remote["data"]["area"]["workingGroups"]["nodes"]}
    acme_rfcs = {doc["number"]: doc for doc in wgs["acme"]["documents"]["nodes"]}
    assert acme_rfcs[8555]["title"] == "Automatic Certificate Management Environment (ACME)"
    # one preferred label: the RFC title's expansion (the seed page's "Automated ..." is an alias)
    expansion = acme_rfcs[8555]["title"].removesuffix(" (ACME)")
    assert acme_rfcs[8555]["protocols"] == [{"name": "ACME", "expansion": expansion}]


TRICKY = [
    Literal('tab\there, "quoted", back\\slash\nnewline'), Literal("Sécurité", language="fr"), Literal("8446", datatype=XSD.integer),
    Literal("2018-08", datatype=XSD.gYearMonth), Literal("true", datatype=XSD.boolean), NamedNode("https://x.example/o?a=b#c"),
]


@pytest.fixture()
def fresh_virtuoso(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name, value in credentials().items():
        monkeypatch.setenv(name, value)
    with virtuoso_server(tmp_path / "virtuoso") as url:
        yield url


def test_select_strings_cells_read_the_same_values_on_every_backend(
    stoppable_remote: OxigraphServer, fresh_virtuoso: str
) -> None:
    # Virtuoso's TSV is not SPARQL 1.1's (IRIs quoted, language tags dropped): its cells come from JSON.
    quads = [Quad(NamedNode("https://x.example/s"), NamedNode(f"https://x.example/p{i}"), o, NamedNode("https://x.example/g"))
             for i, o in enumerate(TRICKY)]
    query = "SELECT ?p ?o ?none WHERE { GRAPH <https://x.example/g> { ?s ?p ?o OPTIONAL { ?o ?p ?none } } } ORDER BY ?p"
    embedded = OxigraphBackend.open(None)
    embedded.extend(quads)
    remotes = [SparqlHttpBackend.open("sparql+" + stoppable_remote.url), SparqlHttpBackend.open("sparql+" + fresh_virtuoso)]
    for remote in remotes:
        remote.extend(quads)
    expected = [(o.value, getattr(o, "language", None)) for _, o, _ in embedded.select(query).rows]
    assert expected[0] == ('tab\there, "quoted", back\\slash\nnewline', None)
    for backend in (embedded, *remotes):
        rows = backend.select_strings(query)
        assert rows.variables == ("p", "o", "none") and all(row[2] is None for row in rows.rows)
        assert [(cell_value(o), cell_language(o)) for _, o, _ in rows.rows] == expected
