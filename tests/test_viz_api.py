"""The /viz page, its JSON endpoints (against the live server on the real snapshot) and `ietfkg viz`."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from ietfkg.api import viz_export
from ietfkg.schema.vocab import DEFAULT_BASE

G = DEFAULT_BASE + "group/"
TLS, SEC, IRTF, IAB = G + "tls", G + "sec", G + "irtf", G + "iab"
RFC8446 = DEFAULT_BASE + "doc/rfc8446"


@pytest.fixture(scope="module")
def client(live_server: str):
    with httpx.Client(base_url=live_server, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def area_map(client: httpx.Client) -> dict:
    response = client.get("/viz/api/areas")
    assert response.status_code == 200
    return response.json()


def test_page_uses_local_assets_only(client: httpx.Client):
    page = client.get("/viz")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script src="/static/vendor/cytoscape.min.js"></script>' in page.text
    assert "http://" not in page.text and "https://" not in page.text  # no CDN, nothing remote
    for asset in ("/static/vendor/cytoscape.min.js", "/static/viz/viz.js", "/static/viz/viz.css"):
        assert client.get(asset).status_code == 200, asset


def test_area_map_nodes(area_map: dict):
    nodes = {n["id"]: n for n in area_map["nodes"]}
    assert nodes[SEC]["kind"] == "area" and nodes[SEC]["label"] == "sec" and nodes[SEC]["page"] == "/group/sec"
    assert nodes[IRTF]["kind"] == "body" and nodes[IAB]["kind"] == "body"
    expected = {"tls": ("wg", SEC), "acme": ("wg", SEC), "secdir": ("directorate", SEC), "satp": ("bof", SEC),
                "cfrg": ("rg", IRTF), "pearg": ("rg", IRTF), "model-t": ("program", IAB), "saag": ("areagroup", SEC)}
    for acronym, (kind, area) in expected.items():
        assert (nodes[G + acronym]["kind"], nodes[G + acronym]["area"]) == (kind, area), acronym
    assert {"source": TLS, "target": SEC, "predicate": "subOrganizationOf", "label": "part of"} in area_map["links"]
    # the map starts small: areas and their groups, no people, RFCs or protocols
    assert {n["kind"] for n in area_map["nodes"]}.isdisjoint({"person", "rfc", "protocol"})


def test_area_projection_edges_explain_themselves(area_map: dict):
    edges = {(e["source"], e["target"]): e for e in area_map["projection"]}
    assert edges, "no area relations"
    for edge in edges.values():
        assert edge["weight"] == len(edge["reasons"]) == sum(edge["counts"].values()) > 0
    irtf_sec = edges[tuple(sorted((IRTF, SEC)))]
    labels = {r["label"] for r in irtf_sec["reasons"] if r["kind"] == "collaboration"}
    assert labels == {"cfrg collaborates with sec", "pearg collaborates with sec"}
    iab_sec = edges[tuple(sorted((IAB, SEC)))]
    assert "model-t collaborates with sec" in {r["label"] for r in iab_sec["reasons"]}
    # Roman Danyliw was a Security AD and sits on the IAB: a shared-people reason
    assert any(r["kind"] == "people" and r["label"] == "Roman Danyliw" for r in iab_sec["reasons"])
    kinds = {r["kind"] for e in edges.values() for r in e["reasons"]}
    assert {"people", "rfc", "collaboration"} <= kinds


def test_node_tls(client: httpx.Client, select):
    view = client.get("/viz/api/node", params={"id": TLS}).json()
    assert view["node"] == {"id": TLS, "kind": "wg", "label": "tls", "page": "/group/tls",
                            "name": "Transport Layer Security", "state": "active"}
    neighbours = {n["id"]: n for n in view["neighbours"]}
    assert neighbours[SEC]["kind"] == "area" and neighbours[RFC8446]["label"] == "RFC 8446"
    assert {"source": RFC8446, "target": TLS, "predicate": "producedBy", "label": "produced by"} in view["links"]
    assert any(r["role"] == "Chair" and r["group"] == TLS and r["start"] for r in view["roles"])
    queries = view["queries"]
    assert queries["graphql_href"].startswith("/graphql?query=") and '"' + TLS + '"' in queries["graphql"]
    shared = parse_qs(urlsplit(queries["sparql"]["viz_neighbours"]).query)["query"][0]
    assert shared.rstrip().endswith(f"VALUES ?node {{ <{TLS}> }}")
    # the shared query is the one behind the panel: it runs as is and finds RFC 8446
    assert RFC8446 in {row["neighbour"] for row in select(shared)}


@pytest.mark.parametrize("iri", [TLS, SEC, RFC8446, DEFAULT_BASE + "person/eric-rescorla", DEFAULT_BASE + "protocol/tls"])
def test_panel_links_resolve(client: httpx.Client, iri: str):
    """The entity page, the GraphQL explorer query and the SPARQL queries the panel links to all answer."""
    view = client.get("/viz/api/node", params={"id": iri}).json()
    assert client.get(view["node"]["page"]).status_code == 200
    answer = client.get(view["queries"]["graphql_href"], headers={"accept": "application/json"}).json()
    assert "errors" not in answer and answer["data"]["node"]["id"] == iri
    for href in view["queries"]["sparql"].values():
        assert client.get(href, headers={"accept": "application/sparql-results+json"}).status_code == 200


def test_node_rfc8446(client: httpx.Client):
    view = client.get("/viz/api/node", params={"id": RFC8446}).json()
    assert view["node"]["title"] == "The Transport Layer Security (TLS) Protocol Version 1.3"
    ids = {n["id"] for n in view["neighbours"]}
    assert {TLS, DEFAULT_BASE + "doc/rfc5246", DEFAULT_BASE + "protocol/tls"} <= ids
    assert {"source": RFC8446, "target": DEFAULT_BASE + "doc/rfc5246", "predicate": "obsoletes",
            "label": "obsoletes"} in view["links"]


def test_node_errors(client: httpx.Client):
    assert client.get("/viz/api/node", params={"id": DEFAULT_BASE + "group/no-such-group"}).status_code == 404
    bad = client.get("/viz/api/node", params={"id": "not an iri"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_query"


@pytest.mark.parametrize(
    ("q", "first"),
    [("tls", TLS), ("TLS", TLS), ("rfc8446", RFC8446), ("RFC 8446", RFC8446), ("8446", RFC8446),
     ("Rescorla", DEFAULT_BASE + "person/eric-rescorla"), ("acme", G + "acme")],
)
def test_search(client: httpx.Client, q: str, first: str):
    results = client.get("/viz/api/search", params={"q": q}).json()["results"]
    assert results[0]["id"] == first


def test_search_finds_protocols_and_rejects_one_letter(client: httpx.Client):
    results = client.get("/viz/api/search", params={"q": "mls"}).json()["results"]
    assert (DEFAULT_BASE + "protocol/mls", "protocol") in {(r["id"], r["kind"]) for r in results}
    assert client.get("/viz/api/search", params={"q": "x"}).status_code == 400


def test_shortest_path(client: httpx.Client):
    source, target = DEFAULT_BASE + "person/eric-rescorla", G + "acme"
    body = client.get("/viz/api/path", params={"from": source, "to": target}).json()
    ids = [n["id"] for n in body["nodes"]]
    assert ids[0] == source and ids[-1] == target and body["length"] == len(body["links"]) == len(ids) - 1
    for (a, b), link in zip(pairwise(ids), body["links"], strict=True):
        assert {link["source"], link["target"]} == {a, b}
    lonely = client.get("/viz/api/path", params={"from": source, "to": DEFAULT_BASE + "nothing"})
    assert lonely.status_code == 404


def test_roles_at_a_date(client: httpx.Client):
    body = client.get("/viz/api/roles", params={"at": "2022-11-14"}).json()
    sec_ads = {r["name"] for r in body["roles"] if r["group"] == SEC and r["role"] == "Area Director"}
    assert {"Roman Danyliw", "Paul Wouters"} <= sec_ads
    assert all(r["start"] <= "2022-11-14" <= r["end"] for r in body["roles"])
    early = client.get("/viz/api/roles", params={"at": "2006-03-01"}).json()["roles"]
    assert "Russ Housley" in {r["name"] for r in early if r["group"] == SEC}
    assert "Roman Danyliw" not in {r["name"] for r in early}
    assert client.get("/viz/api/roles", params={"at": "2022-13-40"}).status_code == 400


def test_cli_viz_writes_svg_and_html(cli, tmp_path: Path):
    svg, html = tmp_path / "area-map.svg", tmp_path / "area-map.html"
    cli("viz", "--out", str(svg))
    cli("viz", "--out", str(html))
    text = svg.read_text("utf-8")
    assert text.startswith("<svg") and ">sec</text>" in text and ">tls</text>" in text
    assert "cfrg collaborates with sec" in text  # edge reasons ride along as <title>
    assert html.read_text("utf-8").startswith("<!doctype html>") and "<script" not in html.read_text("utf-8")
    wrong = cli("viz", "--out", str(tmp_path / "area-map.gif"), check=False)
    assert wrong.returncode == 2 and "unknown format" in wrong.stderr


def test_export_escapes_labels():
    evil = "<script>alert(1)</script>"
    area_map = {
        "nodes": [{"id": "a", "kind": "area", "label": evil, "name": evil, "area": "a"},
                  {"id": "b", "kind": "wg", "label": "b&c", "area": "a"}],
        "links": [],
        "projection": [],
    }
    svg = viz_export.to_svg(area_map)
    assert "<script" not in svg and "&lt;script&gt;" in svg and "b&amp;c" in svg
