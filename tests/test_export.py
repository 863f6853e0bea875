"""`ietfkg export`: the entity graph as GraphML / GEXF, VoID in the meta graph, same formats as /sparql."""

from __future__ import annotations

from pathlib import Path

import httpx
import networkx as nx
import pytest
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

from ietfkg.graph import exports
from ietfkg.graph.queries import load
from tests.timeouts import HTTP_TIMEOUT_S

BASE = "https://ietf-kg.example/"


@pytest.fixture(scope="module")
def graphml(cli, tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    path = tmp_path_factory.mktemp("export") / "ietf.graphml"
    cli("export", "--format", "graphml", "--output", str(path))
    return nx.read_graphml(path, force_multigraph=True)


def test_graphml_has_typed_labelled_entities_and_links(graphml) -> None:
    tls = graphml.nodes[BASE + "group/tls"]
    assert tls["type"] == "ietf:WorkingGroup" and "ietf:Group" in tls["types"].split()
    assert tls["label"] in {"tls", "Transport Layer Security"}
    rfc = graphml.nodes[BASE + "doc/rfc8446"]
    assert rfc["type"] == "ietf:RFC"
    predicates = {d["predicate"] for _, _, d in graphml.edges(BASE + "doc/rfc8446", data=True)}
    assert {"ietf:producedBy", "ietf:obsoletes", "ietf:definesProtocol"} <= predicates
    assert graphml.has_edge(BASE + "group/tls", BASE + "group/sec")
    assert graphml.number_of_nodes() > 10_000
    # no literals, no classes, no OWL-Time nodes
    assert (
        not any(n.endswith("#interval") for n in graphml) and "https://ietf-kg.example/ns#RFC" not in graphml
    )


def test_gexf_of_one_named_graph(cli, tmp_path: Path) -> None:
    path = tmp_path / "protocols.gexf"
    cli("export", "--format", "gexf", "--graph", "protocols", "--output", str(path))
    network = nx.read_gexf(path)
    assert network.nodes[BASE + "protocol/tls"]["type"] == "ietf:Protocol"
    graphs = {d["graph"] for _, _, d in network.edges(data=True)}
    assert graphs == {BASE + "graph/protocols"}
    assert network.has_edge(BASE + "doc/rfc8446", BASE + "protocol/tls")
    assert BASE + "group/sec" not in network  # only entities the protocols graph links


def test_void_is_in_the_export(cli) -> None:
    turtle = cli("export", "--graph", "meta", "--format", "ttl").stdout.encode()
    triples = {
        (str(t.subject), str(t.predicate), str(t.object)) for t in parse(turtle, format=RdfFormat.TURTLE)
    }
    assert (
        f"<{BASE}dataset>",
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
        "<http://rdfs.org/ns/void#Dataset>",
    ) in triples
    assert any(p == "<http://rdfs.org/ns/void#classPartition>" for _, p, _ in triples)


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_query_command_and_endpoint_agree(cli, live_server, fmt) -> None:
    query = load("example_rfcs_per_area")
    native = {"json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML, "tsv": QueryResultsFormat.TSV}[
        fmt
    ]
    from_cli = parse_query_results(cli("query", "--format", fmt, query).stdout.encode(), format=native)
    from_http = parse_query_results(
        httpx.get(
            live_server + "/sparql", params={"query": query, "format": fmt}, timeout=HTTP_TIMEOUT_S
        ).content,
        format=native,
    )
    assert [str(s) for s in from_cli] == [str(s) for s in from_http]


def test_unknown_export_format_lists_the_network_ones(cli) -> None:
    result = cli("export", "--format", "pajek", check=False)
    assert result.returncode == 2 and "unknown format 'pajek'" in result.stderr
    listed = result.stderr.split("known:", 1)[1]
    for name in [*exports.names("rdf"), *exports.names("network")]:  # the registry, not a copy of it
        assert name in listed
    assert "graphml" in listed and "gexf" in listed and "Traceback" not in result.stderr
