"""The whole API served from a remote SPARQL server (a real Oxigraph server on localhost)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ietfkg.api.settings import Settings
from tests.conftest import run_cli, serve_app
from tests.remote import OxigraphServer

SECURITY_AREA = """
{ area(acronym: "sec") { acronym workingGroups(first: 100) { edges { node { acronym } } } } }
"""


@pytest.fixture(scope="module")
def remote_app(remote_store: str) -> Iterator[str]:
    with serve_app(Settings.from_env(store=remote_store)) as url:
        yield url


def test_graphql_on_remote_store(remote_app: str) -> None:
    body = httpx.post(remote_app + "/graphql", json={"query": SECURITY_AREA}, timeout=60).json()
    wgs = {edge["node"]["acronym"] for edge in body["data"]["area"]["workingGroups"]["edges"]}
    assert {"tls", "acme", "mls", "lamps", "oauth", "secdispatch"} <= wgs


def test_sparql_on_remote_store(remote_app: str) -> None:
    response = httpx.get(
        remote_app + "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?r ietf:rfcNumber ?x }"},
        headers={"Accept": "text/csv"},
        timeout=60,
    )
    assert response.status_code == 200 and response.text.splitlines()[1] == "9506"


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


def test_outage_is_a_503_and_recovers_without_restart(stoppable_remote: OxigraphServer, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = "sparql+" + stoppable_remote.url
    run_cli("build", "-q", "--no-validate", "--store", spec)
    monkeypatch.setenv("IETFKG_REMOTE_RETRIES", "1")
    monkeypatch.setenv("IETFKG_REMOTE_BACKOFF_S", "0.01")
    with serve_app(Settings.from_env(store=spec)) as app:
        ask = {"query": "ASK { ?s ietf:rfcNumber 8446 }"}
        assert httpx.get(app + "/sparql", params=ask, timeout=30).json()["boolean"] is True
        stoppable_remote.stop()
        down = httpx.get(app + "/sparql", params=ask, timeout=30)
        assert down.status_code == 503 and down.headers["Retry-After"] == "5"
        assert "store_unavailable" in down.text and "Traceback" not in down.text
        gql = httpx.post(app + "/graphql", json={"query": "{ rfc(number: 8446) { title } }"}, timeout=30)
        assert gql.status_code == 503 and gql.headers["Retry-After"] == "5"
        assert gql.json()["errors"][0]["extensions"]["code"] == "store_unavailable"
        stoppable_remote.start()
        back = httpx.get(app + "/sparql", params=ask, timeout=30)
        assert back.status_code == 200 and back.json()["boolean"] is True
