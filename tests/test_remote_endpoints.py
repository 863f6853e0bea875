"""`--store sparql+<url>` finds a server's endpoints from the URL and its service description.

Against real servers on localhost: ietf-kg's own `/sparql`, `oxigraph serve` given its
query URL, and Virtuoso given its `/sparql`.
"""

from __future__ import annotations

import pytest

from ietfkg.graph import sparql_endpoints
from ietfkg.graph.sparql_http_backend import SparqlHttpBackend
from tests.conftest import run_cli

COUNT_RFCS = "SELECT (COUNT(*) AS ?n) WHERE { ?r ietf:rfcNumber ?x }"


def _count(spec: str) -> str:
    return run_cli("query", "--store", spec, COUNT_RFCS).stdout.splitlines()[1]


@pytest.fixture(scope="module")
def rfcs(store_root) -> str:
    """How many RFCs the embedded store has: every server must answer the same."""
    return _count(str(store_root))


def test_a_url_with_no_path_is_oxigraphs_layout_without_asking() -> None:
    endpoints = sparql_endpoints.discover("sparql+http://127.0.0.1:1", lambda url: pytest.fail("asked"), False)
    assert (endpoints.query, endpoints.update, endpoints.store) == (
        "http://127.0.0.1:1/query", "http://127.0.0.1:1/update", "http://127.0.0.1:1/store"
    )


def test_oxigraph_found_from_its_query_url(remote_store: str, rfcs: str) -> None:
    url = remote_store.removeprefix("sparql+")
    backend = SparqlHttpBackend.open(f"sparql+{url}/query")
    assert (backend.endpoints.server, backend.endpoints.update, backend.endpoints.store) == (
        "oxigraph", url + "/update", url + "/store"
    )
    assert _count(f"sparql+{url}/query") == rfcs


def test_virtuoso_found_from_its_sparql_url(virtuoso_store: str, rfcs: str, monkeypatch: pytest.MonkeyPatch) -> None:
    origin = virtuoso_store.removeprefix("sparql+").removesuffix("/sparql")
    monkeypatch.setenv("IETFKG_REMOTE_USER", "dba")
    writer = SparqlHttpBackend.open(virtuoso_store)
    assert (writer.endpoints.server, writer.endpoints.update, writer.endpoints.store) == (
        "virtuoso", origin + "/sparql-auth", origin + "/sparql-graph-crud-auth"
    )
    monkeypatch.delenv("IETFKG_REMOTE_USER")
    reader = SparqlHttpBackend.open(virtuoso_store)
    assert reader.endpoints.store == origin + "/sparql-graph-crud"  # the anonymous endpoints
    assert _count(virtuoso_store) == rfcs


def test_ietfkg_reads_its_own_sparql_endpoint(live_server: str, rfcs: str) -> None:
    spec = f"sparql+{live_server}/sparql"
    endpoints = SparqlHttpBackend.open(spec).endpoints
    # its service description declares a union default graph and no update: read as it is
    assert endpoints.union_default and endpoints.update is None and endpoints.server == "sparql"
    assert _count(spec) == rfcs
    exported = run_cli("export", "--store", spec, "--graph", "curated", "--format", "nt").stdout
    assert "<https://ietf-kg.example/group/secdir>" in exported


def test_writing_to_a_read_only_endpoint_is_a_clear_error(live_server: str) -> None:
    # the error comes when publishing, after the local build: its SHACL validation is no part of it
    built = run_cli("build", "-q", "--no-validate", "--store", f"sparql+{live_server}/sparql", check=False)
    assert built.returncode != 0 and "IETFKG_REMOTE_STORE_URL" in built.stderr and "Traceback" not in built.stderr


def test_environment_overrides_each_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IETFKG_REMOTE_STORE_URL", "http://127.0.0.1:1/ds/data")
    endpoints = sparql_endpoints.from_url("sparql+http://127.0.0.1:1")
    assert endpoints.store == "http://127.0.0.1:1/ds/data" and endpoints.query == "http://127.0.0.1:1/query"
