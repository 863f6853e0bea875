"""The /viz page, the GraphQL fields it reads (POST /graphql, against the live server on the real snapshot)
and `ietfkg viz`."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import httpx
import pytest

from ietfkg.api import viz_export
from ietfkg.schema import vocabulary_table
from ietfkg.schema.vocab import DEFAULT_BASE

G = DEFAULT_BASE + "group/"
TLS, SEC, IRTF, IAB = G + "tls", G + "sec", G + "irtf", G + "iab"
RFC8446 = DEFAULT_BASE + "doc/rfc8446"


@pytest.fixture(scope="module")
def client(live_server: str):
    with httpx.Client(base_url=live_server, timeout=60) as c:
        yield c


ENTITY = """fragment Entity on Node { __typename id page
  ... on Group { acronym name type state } ... on Area { acronym name type state }
  ... on Person { name } ... on Document { number title } ... on Protocol { name expansion } }"""
RELATION = "name label source { id } target { id }"


def gql(client: httpx.Client, query: str, **variables) -> dict:
    """POST /graphql as the page does (application/json); returns `data`, failing on any error."""
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def gql_errors(client: httpx.Client, query: str, **variables) -> list[dict]:
    body = client.post("/graphql", json={"query": query, "variables": variables}).json()
    assert body.get("errors"), body
    return body["errors"]


@pytest.fixture(scope="module")
def area_map(client: httpx.Client) -> dict:
    query = """{ areaMap {
        nodes { group { ...Entity } area { id } } links { RELATION }
        relations { source { id } target { id } weight counts { people rfc protocol collaboration }
                    reasons { kind key label text } } } }"""
    return gql(client, query.replace("RELATION", RELATION) + ENTITY)["areaMap"]


def test_page_uses_local_assets_and_graphql_only(client: httpx.Client):
    page = client.get("/viz")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script src="/static/vendor/cytoscape.min.js"></script>' in page.text
    assert "http://" not in page.text and "https://" not in page.text  # no CDN, nothing remote
    for asset in ("/static/vendor/cytoscape.min.js", "/static/viz/viz.js", "/static/viz/viz.css"):
        assert client.get(asset).status_code == 200, asset
    script = client.get("/static/viz/viz.js").text
    assert 'fetch("/graphql"' in script and "/viz/api" not in script
    # kinds and relations come from the vocabulary table, not from constants in the script
    assert 'fetch("/viz/vocabulary.json"' in script
    assert not [k.key for k in vocabulary_table.KINDS if f'label: "{k.label}"' in script] and "obsoleted by" not in script
    for gone in ("/viz/api/areas", "/viz/api/node", "/viz/api/search", "/viz/api/path", "/viz/api/roles"):
        assert client.get(gone).status_code == 404, gone


def test_area_map_nodes(area_map: dict):
    nodes = {n["group"]["id"]: (n["group"], n["area"]["id"]) for n in area_map["nodes"]}
    sec, sec_area = nodes[SEC]
    assert (sec["type"], sec["acronym"], sec["name"], sec["page"], sec_area) == (
        "AREA", "sec", "Security Area", "/group/sec", SEC)
    assert nodes[IRTF][0]["type"] == nodes[IAB][0]["type"] == "BODY"
    expected = {"tls": ("WORKING_GROUP", SEC), "acme": ("WORKING_GROUP", SEC), "secdir": ("DIRECTORATE", SEC),
                "satp": ("BOF", SEC), "cfrg": ("RESEARCH_GROUP", IRTF), "pearg": ("RESEARCH_GROUP", IRTF),
                "model-t": ("IAB_PROGRAM", IAB), "saag": ("AREA_GROUP", SEC)}
    for acronym, (kind, area) in expected.items():
        group, group_area = nodes[G + acronym]
        assert (group["type"], group_area) == (kind, area), acronym
    links = area_map["links"]
    assert {"name": "subOrganizationOf", "label": "part of", "source": {"id": TLS}, "target": {"id": SEC}} in links
    assert {"name": "collaboratesWith", "label": "collaborates with", "source": {"id": G + "cfrg"},
            "target": {"id": SEC}} in links
    # the map starts small: areas and their groups, no people, RFCs or protocols
    assert {n["group"]["__typename"] for n in area_map["nodes"]} == {"Group"}


def test_area_projection_edges_explain_themselves(area_map: dict):
    edges = {(e["source"]["id"], e["target"]["id"]): e for e in area_map["relations"]}
    assert edges, "no area relations"
    weights = [e["weight"] for e in area_map["relations"]]
    assert weights == sorted(weights, reverse=True)
    for edge in edges.values():
        assert edge["weight"] == len(edge["reasons"]) == sum(edge["counts"].values()) > 0
    irtf_sec = edges[tuple(sorted((IRTF, SEC)))]
    labels = {r["label"] for r in irtf_sec["reasons"] if r["kind"] == "collaboration"}
    assert labels == {"cfrg collaborates with sec", "pearg collaborates with sec"}
    iab_sec = edges[tuple(sorted((IAB, SEC)))]
    assert "model-t collaborates with sec" in {r["label"] for r in iab_sec["reasons"]}
    # Roman Danyliw was a Security AD and sits on the IAB: a shared-people reason, with his roles
    danyliw = [r for r in iab_sec["reasons"] if r["kind"] == "people" and r["label"] == "Roman Danyliw"]
    assert danyliw and "Area Director of sec" in danyliw[0]["text"]
    kinds = {r["kind"] for e in edges.values() for r in e["reasons"]}
    assert {"people", "rfc", "collaboration"} <= kinds


NODE = """query Node($id: ID!) {
  node(id: $id) { ...Entity sparqlQueries { name query }
    ... on Group { roles(first: 100) { nodes { kind kindLabel start end person { id } group { id } } } } }
  neighborhood(id: $id, depth: 1, limit: 500) { truncated nodes { ...Entity } edges { RELATION } } }
""".replace("RELATION", RELATION) + ENTITY


def test_node_tls(client: httpx.Client, select):
    data = gql(client, NODE, id=TLS)
    assert data["node"] == {**data["node"], "id": TLS, "page": "/group/tls", "acronym": "tls",
                            "name": "Transport Layer Security", "type": "WORKING_GROUP", "state": "ACTIVE"}
    neighbours = {n["id"]: n for n in data["neighborhood"]["nodes"]}
    assert neighbours[SEC]["type"] == "AREA" and neighbours[RFC8446]["number"] == 8446
    edges = data["neighborhood"]["edges"]
    assert {"name": "producedBy", "label": "produced by", "source": {"id": RFC8446}, "target": {"id": TLS}} in edges
    roles = data["node"]["roles"]["nodes"]
    assert any(r["kindLabel"] == "Chair" and r["group"]["id"] == TLS and r["start"] for r in roles)
    chairs = {r["person"]["id"] for r in roles if r["kind"] == "chair"}
    # role holdings are links of the neighbourhood too, labelled as the side panel shows them
    assert any(e["label"] == "Chair" and e["source"]["id"] in chairs for e in edges)
    queries = {q["name"]: q["query"] for q in data["node"]["sparqlQueries"]}
    assert set(queries) == {"viz_neighbours", "viz_node_roles"}
    assert f"WHERE {{\n  VALUES ?node {{ <{TLS}> }}" in queries["viz_neighbours"]  # bound before the engine works
    # the shared query runs as is and finds RFC 8446
    assert RFC8446 in {row["neighbour"] for row in select(queries["viz_neighbours"])}


@pytest.mark.parametrize("iri", [TLS, SEC, RFC8446, DEFAULT_BASE + "person/eric-rescorla", DEFAULT_BASE + "protocol/tls"])
def test_panel_links_resolve(client: httpx.Client, iri: str):
    """The entity page and the SPARQL queries the panel links to answer; the node query works by GET too."""
    data = gql(client, NODE, id=iri)
    assert client.get(data["node"]["page"]).status_code == 200
    answer = client.get("/graphql", params={"query": "{ node(id: " + json.dumps(iri) + ") { id } }"},
                        headers={"accept": "application/json"}).json()
    assert "errors" not in answer and answer["data"]["node"]["id"] == iri
    for q in data["node"]["sparqlQueries"]:
        assert client.get("/sparql", params={"query": q["query"]},
                          headers={"accept": "application/sparql-results+json"}).status_code == 200


def test_node_rfc8446(client: httpx.Client):
    data = gql(client, NODE, id=RFC8446)
    assert data["node"]["title"] == "The Transport Layer Security (TLS) Protocol Version 1.3"
    ids = {n["id"] for n in data["neighborhood"]["nodes"]}
    assert {TLS, DEFAULT_BASE + "doc/rfc5246", DEFAULT_BASE + "protocol/tls"} <= ids
    assert {"name": "obsoletes", "label": "obsoletes", "source": {"id": RFC8446},
            "target": {"id": DEFAULT_BASE + "doc/rfc5246"}} in data["neighborhood"]["edges"]


def test_node_errors(client: httpx.Client):
    missing = gql_errors(client, NODE, id=DEFAULT_BASE + "group/no-such-group")
    assert missing[0]["extensions"]["code"] == "not_found"
    assert gql_errors(client, NODE, id="not an iri")[0]["extensions"]["code"] == "not_found"


SEARCH = "query Search($text: String!) { search(text: $text, first: 20) { nodes { ...Entity } } } " + ENTITY


@pytest.mark.parametrize(
    ("text", "first"),
    # the page sends "rfc8446" and "8446" as "rfc 8446" (searchText in viz.js)
    [("tls", TLS), ("TLS", TLS), ("rfc 8446", RFC8446), ("RFC 8446", RFC8446),
     ("Rescorla", DEFAULT_BASE + "person/eric-rescorla"), ("acme", G + "acme")],
)
def test_search(client: httpx.Client, text: str, first: str):
    assert gql(client, SEARCH, text=text)["search"]["nodes"][0]["id"] == first


def test_search_finds_protocols_and_rejects_one_letter(client: httpx.Client):
    found = gql(client, SEARCH, text="mls")["search"]["nodes"]
    assert (DEFAULT_BASE + "protocol/mls", "Protocol") in {(n["id"], n["__typename"]) for n in found}
    assert "at least 2 characters" in gql_errors(client, SEARCH, text="x")[0]["message"]


PATH = """query Path($from: ID!, $to: ID!) { path(from: $from, to: $to, maxHops: 6, limit: 1) {
  length nodes { id } steps { relation { RELATION } } } }""".replace("RELATION", RELATION)


def test_shortest_path(client: httpx.Client):
    source, target = DEFAULT_BASE + "person/eric-rescorla", G + "acme"
    [path] = gql(client, PATH, **{"from": source, "to": target})["path"]
    ids = [n["id"] for n in path["nodes"]]
    assert ids[0] == source and ids[-1] == target and path["length"] == len(path["steps"]) == len(ids) - 1
    for (a, b), step in zip(pairwise(ids), path["steps"], strict=True):
        assert {step["relation"]["source"]["id"], step["relation"]["target"]["id"]} == {a, b}
        assert step["relation"]["label"]
    lonely = gql_errors(client, PATH, **{"from": source, "to": DEFAULT_BASE + "nothing"})
    assert lonely[0]["extensions"]["code"] == "not_found"


ROLES = """query Roles($at: Date!, $after: String) { roles(at: $at, held: CERTAIN, first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { kindLabel start end person { name } group { id } } } }"""


def test_roles_at_a_date(client: httpx.Client):
    roles = gql(client, ROLES, at="2022-11-14")["roles"]["nodes"]
    sec_ads = {r["person"]["name"] for r in roles if r["group"]["id"] == SEC and r["kindLabel"] == "Area Director"}
    assert {"Roman Danyliw", "Paul Wouters"} <= sec_ads
    assert all(r["start"] <= "2022-11-14" <= r["end"] for r in roles)
    early = gql(client, ROLES, at="2006-03-01")["roles"]["nodes"]
    assert "Russ Housley" in {r["person"]["name"] for r in early if r["group"]["id"] == SEC}
    assert "Roman Danyliw" not in {r["person"]["name"] for r in early}
    assert gql_errors(client, ROLES, at="2022-13-40")


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


def test_vocabulary_json(client: httpx.Client):
    answer = client.get("/viz/vocabulary.json")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert body["kinds"]["area"] == {"label": "Area", "colour": "#1f77b4", "shape": "round-rectangle", "size": 90,
                                     "page": "group", "groupType": "AREA", "container": True}
    assert body["relations"]["obsoletes"]["reads"] == "obsoletes"
    assert body["relations"]["obsoletes"]["inverse"] == "is obsoleted by"
    assert body == vocabulary_table.as_json()


def sparql(client: httpx.Client, query: str) -> list[dict[str, str]]:
    answer = client.post("/sparql", data={"query": query}, headers={"accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.text
    return [{k: v["value"] for k, v in b.items()} for b in answer.json()["results"]["bindings"]]


def groups_placed(client: httpx.Client, day: str, until: str | None = None) -> set[str]:
    """Groups an ietf:AreaLink places in an area on ``day`` (or some day up to ``until``), or a
    source states as opened and closed around it (a month or year closed counts to its end: "-99"
    sorts after its days), asked of the store in SPARQL."""
    end = until or day
    rows = sparql(client, f"""SELECT DISTINCT ?g WHERE {{
        {{ ?l a ietf:AreaLink ; ietf:group ?g ; ietf:firstSeen ?f ; ietf:lastSeen ?e
           FILTER(STR(?f) <= "{end}" && "{day}" <= STR(?e)) }}
        UNION
        {{ ?g ietf:opened ?o ; ietf:closed ?c ; org:subOrganizationOf ?a
           FILTER(STR(?o) <= "{end}" && "{day}" <= CONCAT(STR(?c), "-99")) }} }}""")
    return {r["g"] for r in rows}


def concluded(client: httpx.Client) -> set[str]:
    return {r["g"] for r in sparql(client, 'SELECT ?g WHERE { ?g ietf:state "concluded" }')}


def ads_seated(client: httpx.Client, day: str, until: str | None = None) -> set[tuple[str, str]]:
    """(person, area) of the AD seats whose certain bounds hold ``day`` (or some day up to
    ``until``), asked of the store."""
    rows = sparql(client, f"""SELECT DISTINCT ?p ?a WHERE {{ ?m org:role ietf:role-ad ; org:member ?p ;
        org:organization ?a ; ietf:startDate ?s ; ietf:endDate ?e . ?a a ietf:Area
        FILTER(STR(?s) <= "{until or day}" && "{day}" <= STR(?e)) }}""")
    return {(r["p"], r["a"]) for r in rows}


# IETF 109's last day and IETF 115's fifth: the agendas' sightings and the roll calls cover both
EARLY, LATE = "2020-11-20", "2022-11-10"


@pytest.mark.parametrize("day", [EARLY, LATE, "2015-06-01", "2006-03-01"])
def test_map_at_a_date(client: httpx.Client, day: str):
    """The map on a day: exactly the groups an area link places then, under that link's area, and
    exactly the ADs whose seat holds that day (certain), each inside their area."""
    body = client.get("/viz/map.json", params={"at": day}).json()
    assert body["at"] == {"from": day, "to": day} and body["projection"] == []
    nodes = {n["id"]: n for n in body["nodes"]}
    groups = {i for i, n in nodes.items() if n["kind"] not in ("person", "area", "body")}
    assert groups == groups_placed(client, day)
    for i in groups:
        assert nodes[i]["first"] <= day <= nodes[i]["last"] and nodes[nodes[i]["area"]]["kind"] in ("area", "body")
    certain = {(n["id"], n["area"]) for n in nodes.values() if n["kind"] == "person" and n["certainty"] == "certain"}
    seated = ads_seated(client, day)
    assert {p for p, _ in certain} == {p for p, _ in seated} and seated
    for person, area in certain:
        assert {"source": person, "target": area, "predicate": "role:ad", "label": "Area Director",
                "certainty": "certain"} in body["links"]


def test_map_changes_with_the_date(client: httpx.Client):
    early, late = (client.get("/viz/map.json", params={"at": d}).json() for d in (EARLY, LATE))
    gone = groups_placed(client, EARLY) - groups_placed(client, LATE)
    assert gone & concluded(client)  # model-t, concluded 2022-09-14, among those seen no more
    assert not gone & {n["id"] for n in late["nodes"]} and gone <= {n["id"] for n in early["nodes"]}
    assert ads_seated(client, EARLY) != ads_seated(client, LATE)
    people = [{n["label"] for n in m["nodes"] if n["kind"] == "person"} for m in (early, late)]
    assert people[0] != people[1]


@pytest.mark.parametrize(("params", "says"), [
    ({"at": "2015-13-01"}, "not a date"), ({}, "give one of"), ({"at": "2015-06-01", "meeting": "93"}, "give one of"),
    ({"meeting": "x"}, "not a meeting number"), ({"meeting": "1"}, "no IETF 1"),
])
def test_map_bad_dates(client: httpx.Client, params: dict, says: str):
    answer = client.get("/viz/map.json", params=params, headers={"accept": "application/json"})
    assert answer.status_code in (400, 404) and says in answer.text, answer.text


def test_cli_viz_at_a_date(cli, tmp_path: Path):
    svg = tmp_path / "area-map-2015.svg"
    cli("viz", "--at", "2015-06-01", "--out", str(svg))
    text = svg.read_text("utf-8")
    assert "The IETF area map on 2015-06-01" in text
    # the Security ADs of the roll calls around that day (Farrell and Moriarty), none of 2022
    assert "<title>Stephen Farrell — " in text and "<title>Kathleen Moriarty — " in text and "Roman Danyliw" not in text
    wrong = cli("viz", "--at", "June 2015", "--out", str(svg), check=False)
    assert wrong.returncode == 2 and "not a date" in wrong.stderr
