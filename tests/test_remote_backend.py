"""The remote-store backend against a real Oxigraph server on localhost."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from ietfkg.graph import remote_publish
from ietfkg.graph.sparql_endpoints import from_url
from ietfkg.graph.sparql_http_backend import SparqlHttpBackend
from ietfkg.schema.errors import BadQuery, StoreError, StoreUnavailable
from tests.remote import free_port, oxigraph_server

BASE = "https://ietf-kg.example/"
OWNED = BASE + "graph/"
RECORD = NamedNode(OWNED + "default-graph")
TITLE = NamedNode("http://purl.org/dc/terms/title")


def _quads(version: str, graphs: list[str]) -> list[Quad]:
    return [Quad(NamedNode(BASE + f"doc/{g}"), TITLE, Literal(f"{g} {version}"), NamedNode(BASE + f"graph/{g}")) for g in graphs]


JOURNAL = OWNED + remote_publish.JOURNAL


def _publish(backend: SparqlHttpBackend, quads: list[Quad], generation: str) -> list[str]:
    return backend.publish(remote_publish.plan(quads, None, generation, RECORD), JOURNAL)


def graphs_on(server: str) -> list[str]:
    """Every graph on an Oxigraph server, asked directly."""
    answer = httpx.post(server + "/query", data={"query": "SELECT ?g WHERE { GRAPH ?g { } }"},
                        headers={"Accept": "text/csv"}, timeout=60)
    return sorted(answer.raise_for_status().text.split()[1:])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture()
def backend(server: str):
    backend = SparqlHttpBackend(from_url("sparql+" + server), retries=1, backoff_s=0.01)
    backend.update("DROP SILENT ALL")
    yield backend
    backend.close()


def test_union_default_graph_and_bindings(backend: SparqlHttpBackend) -> None:
    _publish(backend, _quads("v1", ["a", "b"]), "g1")
    rows = backend.select("SELECT ?t WHERE { ?s dcterms:title ?t } ORDER BY ?t").rows
    assert [r[0].value for r in rows] == ["a v1", "b v1"]
    bound = backend.select("SELECT ?t WHERE { ?s dcterms:title ?t }", {"s": NamedNode(BASE + "doc/b")}).rows
    assert [r[0].value for r in bound] == ["b v1"]
    assert backend.ask("ASK { ?s dcterms:title 'a v1' }")


def test_publish_switches_generations_and_drops_only_our_unused_graphs(backend: SparqlHttpBackend, server: str) -> None:
    backend.update("INSERT DATA { GRAPH <https://other.example/g> { <https://other.example/x> <https://other.example/p> 1 } }")
    assert _publish(backend, _quads("v1", ["a", "b"]), "g1") == []
    assert _publish(backend, _quads("v2", ["a"]), "g2") == []  # g1 is the previous generation: kept
    assert backend.named_graphs() == [OWNED + "a/g2"]
    rows = backend.select("SELECT ?t WHERE { GRAPH ?g { ?s dcterms:title ?t } }").rows
    assert [r[0].value for r in rows] == ["a v2"]
    assert _publish(backend, _quads("v3", ["b"]), "g3") == [OWNED + "a/g1", OWNED + "b/g1"]
    assert graphs_on(server) == [OWNED + "a/g2", OWNED + "b/g3", OWNED + "default-graph", JOURNAL, "https://other.example/g"]


def test_publish_renames_the_graph_iris_the_data_mentions(backend: SparqlHttpBackend) -> None:
    meta = NamedNode(OWNED + "meta")
    quads = _quads("v1", ["a"]) + [Quad(NamedNode(OWNED + "a"), NamedNode(BASE + "ns#sourceName"), Literal("a"), meta)]
    _publish(backend, quads, "g1")
    rows = backend.select("SELECT ?g ?name WHERE { GRAPH ?g { ?s dcterms:title ?t } ?g <https://ietf-kg.example/ns#sourceName> ?name }").rows
    assert [(r[0].value, r[1].value) for r in rows] == [(OWNED + "a/g1", "a")]
    assert backend.default_graph().source_name(OWNED + "a/g1") == "a"


def test_leftovers_of_a_killed_publish_are_dropped_by_the_next(backend: SparqlHttpBackend, server: str) -> None:
    _publish(backend, _quads("v1", ["a"]), "g1")
    killed = remote_publish.plan(_quads("half", ["a", "b"]), None, "killed", RECORD)
    with pytest.raises(StoreError):  # killed halfway: the journal and one graph written, the rest never sent
        remote_publish.publish(_Killed(backend, after=1), killed, JOURNAL)
    rows = backend.select("SELECT ?t WHERE { ?s dcterms:title ?t }").rows
    assert [r[0].value for r in rows] == ["a v1"]  # readers never see it
    assert OWNED + "a/killed" in graphs_on(server)
    _publish(backend, _quads("v2", ["a"]), "g2")
    assert _publish(backend, _quads("v3", ["a"]), "g3") == [OWNED + "a/g1"]
    assert graphs_on(server) == [OWNED + "a/g2", OWNED + "a/g3", OWNED + "default-graph", JOURNAL]


class _Killed:
    """A backend whose process dies after ``after`` graph uploads (the journal's PUT not counted)."""

    def __init__(self, backend: SparqlHttpBackend, after: int) -> None:
        self.backend, self.left = backend, after

    def put_graph(self, graph: str, triples: list) -> None:
        if graph != JOURNAL:
            if self.left == 0:
                raise StoreError("killed")
            self.left -= 1
        self.backend.put_graph(graph, triples)

    def __getattr__(self, name: str):
        return getattr(self.backend, name)


def test_dump_one_graph_and_whole_dataset(backend: SparqlHttpBackend) -> None:
    _publish(backend, _quads("v0", ["a", "b"]), "g0")
    _publish(backend, _quads("v1", ["a", "b"]), "g1")
    one = list(parse(backend.dump(RdfFormat.N_TRIPLES, NamedNode(OWNED + "b/g1")), format=RdfFormat.N_TRIPLES))
    assert [q.object.value for q in one] == ["b v1"]
    everything = list(parse(backend.dump(RdfFormat.N_QUADS), format=RdfFormat.N_QUADS))
    # the current generation only (not the kept g0), under the graph names the build gave
    assert sorted((q.graph_name.value, q.object.value) for q in everything) == [(OWNED + "a", "a v1"), (OWNED + "b", "b v1")]


def test_bad_query_is_a_client_error(backend: SparqlHttpBackend) -> None:
    with pytest.raises(BadQuery):
        backend.select("SELECT WHERE {")


def test_server_down_is_a_clear_error(tmp_path: Path) -> None:
    down = SparqlHttpBackend(from_url(f"sparql+http://127.0.0.1:{free_port()}"), retries=2, backoff_s=0.01)
    with pytest.raises(StoreUnavailable, match="unavailable after 3 tries"):
        down.select("SELECT * WHERE { ?s ?p ?o }")


def test_recovers_when_the_server_comes_back(tmp_path: Path) -> None:
    port = free_port()
    backend = SparqlHttpBackend(from_url(f"sparql+http://127.0.0.1:{port}"), retries=0, backoff_s=0.01)
    with pytest.raises(StoreUnavailable):
        backend.ask("ASK {}")
    with oxigraph_server(tmp_path / "db", port=port):
        assert backend.ask("ASK {}") is True
