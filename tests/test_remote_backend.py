"""The remote-store backend against a real Oxigraph server on localhost."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from ietfkg.graph.sparql_http_backend import Endpoints, SparqlHttpBackend
from ietfkg.schema.errors import BadQuery, StoreUnavailable
from tests.remote import free_port, oxigraph_server

BASE = "https://ietf-kg.example/"
TITLE = NamedNode("http://purl.org/dc/terms/title")


def _quads(version: str, graphs: list[str]) -> list[Quad]:
    return [Quad(NamedNode(BASE + f"doc/{g}"), TITLE, Literal(f"{g} {version}"), NamedNode(BASE + f"graph/{g}")) for g in graphs]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture()
def backend(server: str):
    backend = SparqlHttpBackend(Endpoints.from_url("sparql+" + server), retries=1, backoff_s=0.01)
    backend.update("DROP SILENT ALL")
    yield backend
    backend.close()


def test_union_default_graph_and_bindings(backend: SparqlHttpBackend) -> None:
    backend.replace_dataset(_quads("v1", ["a", "b"]), stamp="1", owned=BASE + "graph/")
    rows = backend.select("SELECT ?t WHERE { ?s dcterms:title ?t } ORDER BY ?t").rows
    assert [r[0].value for r in rows] == ["a v1", "b v1"]
    bound = backend.select("SELECT ?t WHERE { ?s dcterms:title ?t }", {"s": NamedNode(BASE + "doc/b")}).rows
    assert [r[0].value for r in bound] == ["b v1"]
    assert backend.ask("ASK { ?s dcterms:title 'a v1' }")


def test_replace_swaps_and_drops_only_our_stale_graphs(backend: SparqlHttpBackend) -> None:
    backend.update("INSERT DATA { GRAPH <https://other.example/g> { <https://other.example/x> <https://other.example/p> 1 } }")
    backend.replace_dataset(_quads("v1", ["a", "b"]), stamp="1", owned=BASE + "graph/")
    backend.replace_dataset(_quads("v2", ["a"]), stamp="2", owned=BASE + "graph/")
    assert backend.named_graphs() == [BASE + "graph/a", "https://other.example/g"]
    rows = backend.select("SELECT ?t WHERE { GRAPH ?g { ?s dcterms:title ?t } }").rows
    assert [r[0].value for r in rows] == ["a v2"]


def test_dump_one_graph_and_whole_dataset(backend: SparqlHttpBackend) -> None:
    backend.replace_dataset(_quads("v1", ["a", "b"]), stamp="1", owned=BASE + "graph/")
    one = list(parse(backend.dump(RdfFormat.N_TRIPLES, NamedNode(BASE + "graph/b")), format=RdfFormat.N_TRIPLES))
    assert [q.object.value for q in one] == ["b v1"]
    everything = list(parse(backend.dump(RdfFormat.N_QUADS), format=RdfFormat.N_QUADS))
    assert {q.graph_name.value for q in everything} == {BASE + "graph/a", BASE + "graph/b"}


def test_bad_query_is_a_client_error(backend: SparqlHttpBackend) -> None:
    with pytest.raises(BadQuery):
        backend.select("SELECT WHERE {")


def test_server_down_is_a_clear_error(tmp_path: Path) -> None:
    down = SparqlHttpBackend(Endpoints.from_url(f"sparql+http://127.0.0.1:{free_port()}"), retries=2, backoff_s=0.01)
    with pytest.raises(StoreUnavailable, match="unavailable after 3 tries"):
        down.select("SELECT * WHERE { ?s ?p ?o }")


def test_recovers_when_the_server_comes_back(tmp_path: Path) -> None:
    port = free_port()
    backend = SparqlHttpBackend(Endpoints.from_url(f"sparql+http://127.0.0.1:{port}"), retries=0, backoff_s=0.01)
    with pytest.raises(StoreUnavailable):
        backend.ask("ASK {}")
    with oxigraph_server(tmp_path / "db", port=port):
        assert backend.ask("ASK {}") is True
