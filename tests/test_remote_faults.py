"""Publishing to a remote store through a proxy that delays, drops and resets answers: nothing is lost.

The server is a real ``oxigraph serve``; the data is the real snapshot build
(every source graph but the largest, ``rfc-editor``, each cut to its first
``PER_GRAPH`` triples, except in the CLI test, to keep the suite short: the faults
act on whole requests and do not depend on a graph's size). Each test publishes
through ``tests/fault_proxy.py`` and then reads the server directly, to check it
holds exactly what the build made.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Store

from ietfkg.graph import dataset, remote_publish
from ietfkg.graph.sparql_endpoints import from_url
from ietfkg.graph.sparql_http_backend import SparqlHttpBackend
from ietfkg.ingest.pipeline import BuildSummary
from ietfkg.schema.errors import StoreUnavailable
from ietfkg.schema.vocab import DEFAULT_BASE, IETF, Iris
from tests.conftest import run_cli
from tests.fault_proxy import Request, fault_proxy, first
from tests.remote import oxigraph_server
from tests.test_remote_backend import graphs_on

IRIS = Iris(DEFAULT_BASE)
OWNED = IRIS.graphs_prefix()
RECORD = IRIS.graph(dataset.RECORD).value
# Enough for every upload to be a body of many TCP segments; the tests publish some 25 generations.
PER_GRAPH = 2000
TIMEOUT_S = 10.0  # the client gives up on a held answer after this; no assertion depends on it


Built = tuple[list, "dataset.DefaultGraphRecord | None", dict[str, int]]


def _sizes(quads: list) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for quad in quads:
        sizes[quad.graph_name.value] = sizes.get(quad.graph_name.value, 0) + 1
    return sizes


@pytest.fixture(scope="module")
def full(snapshot_build: BuildSummary) -> Built:
    """The snapshot build's quads, its record, and the triples of each of its graphs."""
    store = Store.read_only(str(snapshot_build.store))
    quads = list(store.quads_for_pattern(None, None, None, None))
    return quads, dataset.read(store), _sizes(quads)


@pytest.fixture(scope="module")
def built(full: Built) -> Built:
    """The build's source graphs but ``rfc-editor`` (and the merge that depends on it), each its first
    ``PER_GRAPH`` triples, without a record."""
    left_out = {IRIS.graph(g) for g in ("rfc-editor", "merged", dataset.RECORD)}
    kept: dict[NamedNode, int] = {}
    quads = []
    for quad in full[0]:
        if quad.graph_name not in left_out and kept.get(quad.graph_name, 0) < PER_GRAPH:
            kept[quad.graph_name] = kept.get(quad.graph_name, 0) + 1
            quads.append(quad)
    return quads, None, _sizes(quads)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


_generations = iter(range(1, 1000))


def _new() -> str:
    """A generation id of this module's own (tests share one server, one generation after another)."""
    return f"t{next(_generations):03d}"


def _backend(url: str, retries: int = 4) -> SparqlHttpBackend:
    return SparqlHttpBackend(from_url("sparql+" + url), timeout_s=TIMEOUT_S, retries=retries, backoff_s=0.05)


def _publish(url: str, built, generation: str, retries: int = 4) -> None:
    quads, record, _ = built
    backend = _backend(url, retries)
    try:
        backend.publish(remote_publish.plan(quads, record, generation, NamedNode(RECORD)), OWNED + remote_publish.JOURNAL)
    finally:
        backend.close()


def _served(server: str) -> tuple[str | None, dict[str, int]]:
    """The generation the server's record names, and the triples of each of its graphs (by built name)."""
    backend = _backend(server)
    record = backend.read_record()
    assert record is not None and record.listed is not None
    sizes = backend.graph_sizes(record.graphs() - {RECORD})  # the sources and the merged part
    backend.close()
    return record.generation, {record.built_name(g): n for g, n in sizes.items()}


def _generations_on(server: str) -> set[str]:
    """The generations of the graphs on the server, asked directly."""
    return {g.removeprefix(OWNED).split("/")[1] for g in graphs_on(server) if g.removeprefix(OWNED).count("/") == 1}


def _expected(built) -> dict[str, int]:
    return {g: n for g, n in built[2].items() if g != RECORD}


def _is_switch(request: Request) -> bool:
    return request.method == "PUT" and RECORD.replace(":", "%3A").replace("/", "%2F") in request.target


def _is_upload(request: Request) -> bool:
    return request.method == "PUT" and not _is_switch(request)


@pytest.mark.parametrize("fault", ["held", "dropped", "reset", "unavailable"])
def test_a_lost_answer_to_the_switch_loses_nothing(server: str, built, fault: str) -> None:
    """The issue's case: the switch runs on the server, its answer comes too late (or never), the client retries."""
    _publish(server, built, _new())
    generation = _new()
    with fault_proxy(server, first(fault, _is_switch)) as proxy:
        _publish(proxy.url, built, generation)
    assert [f for r, f in proxy.log if _is_switch(r)] == [fault, None]  # the switch was sent again, once
    assert _served(server) == (generation, _expected(built))


@pytest.mark.parametrize("fault", ["held", "dropped", "reset"])
def test_lost_answers_to_uploads_and_drops_lose_nothing(server: str, built, fault: str) -> None:
    _publish(server, built, _new())
    previous, generation = _new(), _new()
    _publish(server, built, previous)
    faulty = {"upload": False, "drop": False}

    def rule(request: Request) -> str | None:
        kind = "upload" if _is_upload(request) else "drop" if b"DROP SILENT" in request.body else None
        if kind is not None and not faulty[kind]:
            faulty[kind] = True
            return fault
        return None

    with fault_proxy(server, rule) as proxy:
        _publish(proxy.url, built, generation)
    assert faulty == {"upload": True, "drop": True}
    assert _served(server) == (generation, _expected(built))
    assert _generations_on(server) == {previous, generation}  # older ones dropped


def test_a_server_gone_during_upload_leaves_the_previous_generation_serving(server: str, built) -> None:
    serving, broken, after = _new(), _new(), _new()
    _publish(server, built, serving)
    uploads: list[Request] = []

    def rule(request: Request) -> str | None:
        if _is_upload(request):
            uploads.append(request)
            return "lost" if len(uploads) > 3 else None  # the server goes away after three graphs
        return None

    with fault_proxy(server, rule) as proxy, pytest.raises(StoreUnavailable):
        _publish(proxy.url, built, broken, retries=1)
    assert _served(server) == (serving, _expected(built))  # readers never saw the half-uploaded generation
    _publish(server, built, after)
    assert _generations_on(server) == {serving, after}  # the next build cleaned up


def test_an_update_whose_answer_is_lost_is_not_sent_again(server: str) -> None:
    with fault_proxy(server, first("held", lambda r: r.target.startswith("/update"))) as proxy:
        backend = _backend(proxy.url)
        with pytest.raises(StoreUnavailable, match="not sent again"):
            backend.update("INSERT DATA { GRAPH <https://x.example/g> { <https://x.example/a> <https://x.example/p> 1 } }")
    assert len(proxy.forwarded("POST")) == 1
    assert _backend(server).graph_sizes(["https://x.example/g"]) == {"https://x.example/g": 1}  # it ran, once


def test_cli_build_through_a_faulty_proxy(tmp_path: Path, built, full) -> None:
    """The issue's case end to end: data on the server, then `ietfkg build --store` through faults, then a query."""
    faults = iter(["held", "reset"])
    seen: set[str] = set()

    def rule(request: Request) -> str | None:
        kind = "switch" if _is_switch(request) else "upload" if _is_upload(request) else None
        if kind is not None and kind not in seen:
            seen.add(kind)
            return next(faults)
        return None

    env = {"IETFKG_REMOTE_TIMEOUT_S": str(TIMEOUT_S)}
    with oxigraph_server(tmp_path / "oxigraph") as server:
        _publish(server, built, "before")
        with fault_proxy(server, rule) as proxy:
            spec = "sparql+" + proxy.url
            run_cli("build", "-q", "--store", spec, env=env)
            counted = run_cli("query", "--store", spec, "SELECT (COUNT(*) AS ?n) WHERE { ?r ietf:rfcNumber ?x }", env=env)
        assert seen == {"switch", "upload"}
        assert _served(server)[1] == _expected(full)
    assert counted.stdout.splitlines()[1] == str(_rfc_count(full))


def _rfc_count(built) -> int:
    return len({q.subject for q in built[0] if q.predicate == IETF.rfcNumber})
