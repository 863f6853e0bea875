"""GraphQL API over real HTTP against the live server on the real bundled snapshot."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ietfkg.api.graphql.explorer import EXAMPLES, SECURITY_AREA
from ietfkg.api.graphql.schema import should_mask
from ietfkg.api.settings import Settings
from tests.conftest import serve_app
from tests.timeouts import HTTP_TIMEOUT_S

BASE = "https://ietf-kg.example/"


def gql(live_server: str, query: str, variables: dict[str, Any] | None = None, **headers: str) -> dict[str, Any]:
    response = httpx.post(live_server + "/graphql", json={"query": query, "variables": variables}, headers=headers, timeout=60)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "Traceback" not in response.text
    return response.json()


def ok(live_server: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = gql(live_server, query, variables)
    assert "errors" not in body, body["errors"]
    return body["data"]


SECURITY = """
{ area(acronym: "sec") { name acronym type
  workingGroups(first: WGS) { totalCount pageInfo { hasNextPage }
    nodes { acronym
      chairs: leadership(role: "chair") { kind person { name } }
      documents(first: 100) { totalCount nodes { number protocols { name } } } } } } }
"""


def test_security_area_in_one_request(live_server: str) -> None:
    area = ok(live_server, SECURITY.replace("WGS", "50"))["area"]
    assert (area["name"], area["acronym"], area["type"]) == ("Security Area", "sec", "AREA")
    wgs = {wg["acronym"]: wg for wg in area["workingGroups"]["nodes"]}
    assert {"tls", "acme", "mls", "lamps", "oauth"} <= set(wgs)
    assert area["workingGroups"]["totalCount"] == len(wgs)

    def defined(wg: str) -> dict[int, list[str]]:
        return {d["number"]: [p["name"] for p in d["protocols"]] for d in wgs[wg]["documents"]["nodes"]}

    assert "TLS" in defined("tls")[8446]
    assert "ACME" in defined("acme")[8555]
    assert "MLS" in defined("mls")[9420]
    chairs = {c["person"]["name"] for c in wgs["tls"]["chairs"]}
    assert {"Sean Turner", "Joseph A. Salowey"} <= chairs
    assert all(c["kind"] == "chair" for c in wgs["tls"]["chairs"])


@pytest.fixture(scope="module")
def uncached_server(store_root: Path) -> Iterator[str]:
    """A server that keeps no loader answers between requests: every request reads the store."""
    with serve_app(Settings.from_env(store=str(store_root), answer_cache=0, sparql_workers=1)) as url:
        yield url


def test_store_queries_do_not_grow_with_results(uncached_server: str) -> None:
    small = gql(uncached_server, SECURITY.replace("WGS", "2"))
    large = gql(uncached_server, SECURITY.replace("WGS", "25"))
    assert len(small["data"]["area"]["workingGroups"]["nodes"]) == 2
    assert len(large["data"]["area"]["workingGroups"]["nodes"]) >= 20
    assert 0 < small["extensions"]["storeQueries"] == large["extensions"]["storeQueries"] <= 8
    assert gql(uncached_server, SECURITY.replace("WGS", "2"))["extensions"] == small["extensions"]


def selection_levels(query: str) -> int:
    """How deep the selections of ``query``'s operation nest (``{ a { b } }`` has two levels)."""
    from graphql import FieldNode, OperationDefinitionNode, SelectionSetNode, parse

    def depth(selection_set: SelectionSetNode | None) -> int:
        fields = [s for s in selection_set.selections if isinstance(s, FieldNode)] if selection_set else []
        return max((1 + depth(f.selection_set) for f in fields if f.selection_set), default=0)

    operation = next(d for d in parse(query).definitions if isinstance(d, OperationDefinitionNode))
    return depth(operation.selection_set)


def test_the_security_area_reads_the_store_at_most_once_per_selection_level(uncached_server: str) -> None:
    """Each level's objects are read for all their parents at once: the explorer's Security Area query
    (dozens of groups, hundreds of roles, RFCs and protocols) costs no more store queries than its
    selections have levels, however many nodes each level holds."""
    levels = selection_levels(SECURITY_AREA)
    answer = gql(uncached_server, SECURITY_AREA)
    wgs = answer["data"]["area"]["workingGroups"]["nodes"]
    nodes = len(wgs) + sum(len(wg["chairs"]) + len(wg["documents"]["nodes"]) for wg in wgs)
    assert "errors" not in answer and levels == 6 and nodes > 10 * levels
    assert 0 < answer["extensions"]["storeQueries"] <= levels


COLD_SHAPES = """
fragment Chairs on Group { chairs: leadership(role: "chair") { person { name } } }
query Shapes($wgs: Int!, $withDocs: Boolean!, $at: Date) {
  area(acronym: "sec") {
    directors(at: $at) { person { name roles(first: 3) { nodes { kind group { acronym } } } } }
    workingGroups(first: $wgs) {
      edges { cursor node { acronym ...Chairs ... on Group { collaboratesWith { acronym } }
        docs: documents(first: 4) @include(if: $withDocs) { nodes { number stream authors { name } group { acronym } } }
        skipped: documents(first: 4) @skip(if: $withDocs) { totalCount } } }
    }
  }
  nodes(ids: ["doc/rfc8446", "protocol/tls"]) {
    id ... on Document { updatedBy { number } obsoletes { number } }
    ... on Protocol { definingDocuments { number } groups { acronym } areas { acronym } }
  }
}
"""


def test_cold_answers_are_the_kept_ones_whatever_the_shape(live_server: str, uncached_server: str) -> None:
    """Fragments, aliases, @include/@skip, variables and abstract types, asked cold (each level run
    for all its objects before graphql-core completes it) and warm (every answer kept): the same data."""
    variables = {"wgs": 6, "withDocs": True, "at": "2020-06-01"}
    gql(live_server, COLD_SHAPES, variables)
    warm = gql(live_server, COLD_SHAPES, variables)
    cold = gql(uncached_server, COLD_SHAPES, variables)
    assert "errors" not in cold and warm["extensions"]["storeQueries"] == 0 < cold["extensions"]["storeQueries"]
    assert cold["data"] == warm["data"]
    edges = cold["data"]["area"]["workingGroups"]["edges"]
    assert len(edges) == 6 and all("docs" in e["node"] and "skipped" not in e["node"] for e in edges)
    assert any(e["node"]["chairs"] for e in edges) and any(d["authors"] for e in edges for d in e["node"]["docs"]["nodes"])
    assert {r["person"]["name"] for r in cold["data"]["area"]["directors"]} == {"Benjamin Kaduk", "Roman Danyliw"}


def test_answers_are_kept_across_requests(store_root: Path, uncached_server: str) -> None:
    with serve_app(Settings.from_env(store=str(store_root), sparql_workers=1)) as fresh:
        first, again = gql(fresh, SECURITY_AREA), gql(fresh, SECURITY_AREA)
        # a query that reaches the same entities through other fields reads them from memory too
        tls = gql(fresh, '{ group(acronym: "tls") { documents(first: 20) { nodes { number title } } } }')
    assert "errors" not in first and first["extensions"]["storeQueries"] > 0
    assert again == {**first, "extensions": {"storeQueries": 0}}
    assert tls["extensions"]["storeQueries"] == 0
    assert again["data"] == gql(uncached_server, SECURITY_AREA)["data"]


def test_kept_field_answers_depend_on_their_arguments(live_server: str, uncached_server: str) -> None:
    query = """{ group(acronym: "sec") {
        chairs: leadership(role: "chair") { person { name } }  ads: leadership(role: "ad") { person { name } }
        in2020: leadership(role: "ad", at: "2020-06-01") { person { name } }
        page1: documents(first: 3) { nodes { number } }  page2: documents(first: 3, after: "b2Zmc2V0OjI=") { nodes { number } } } }"""
    answers = [ok(live_server, query)["group"] for _ in range(2)]
    assert answers[0] == answers[1] == ok(uncached_server, query)["group"]
    sec = answers[1]
    assert {r["person"]["name"] for r in sec["in2020"]} == {"Benjamin Kaduk", "Roman Danyliw"}
    assert len(sec["ads"]) > len(sec["in2020"]) and sec["chairs"] != sec["ads"]
    assert not {d["number"] for d in sec["page1"]["nodes"]} & {d["number"] for d in sec["page2"]["nodes"]}


def test_time_travel_security_ads(live_server: str) -> None:
    query = """query($at: Date!) { roles(group: "sec", role: "ad", at: $at) { totalCount nodes {
      person { name } start end possibleStart possibleEnd held(at: $at) } } }"""
    in_2020 = {r["person"]["name"] for r in ok(live_server, query, {"at": "2020-06-01"})["roles"]["nodes"]}
    assert in_2020 == {"Benjamin Kaduk", "Roman Danyliw"}
    in_2024 = ok(live_server, query, {"at": "2024-06-01"})["roles"]["nodes"]
    assert "Benjamin Kaduk" not in {r["person"]["name"] for r in in_2024}
    for role in in_2024:
        certain = role["start"] <= "2024-06-01" <= role["end"]
        assert role["held"] == ("CERTAIN" if certain else "POSSIBLE")
        assert role["possibleStart"] <= "2024-06-01" <= role["possibleEnd"]


def test_group_leadership_at_date_and_area_directors(live_server: str) -> None:
    data = ok(live_server, """{
      tls: group(acronym: "tls") { leadership(at: "2026-03-09", role: "chair") { person { name } } }
      before: group(acronym: "tls") { leadership(at: "1999-01-01") { person { name } } }
      sec: area(acronym: "sec") { directors(at: "2020-06-01") { person { name } group { acronym } } } }""")
    assert "Sean Turner" in {r["person"]["name"] for r in data["tls"]["leadership"]}
    assert data["before"]["leadership"] == []
    assert {r["group"]["acronym"] for r in data["sec"]["directors"]} == {"sec"}
    assert "Roman Danyliw" in {r["person"]["name"] for r in data["sec"]["directors"]}


def test_document_relations_and_provenance(live_server: str) -> None:
    doc = ok(live_server, """{ rfc(number: 8446) { id number title stream status date abstract keywords
        group { acronym area { acronym } }
        authors { name } obsoletes { number } updates { number } protocols { name expansion }
        provenance { source evidence } }
      old: document(number: 5246) { obsoletedBy { number } } }""")
    rfc = doc["rfc"]
    assert rfc["id"] == BASE + "doc/rfc8446"
    assert rfc["title"] == "The Transport Layer Security (TLS) Protocol Version 1.3"
    assert (rfc["group"]["acronym"], rfc["group"]["area"]["acronym"]) == ("tls", "sec")
    assert rfc["date"] == "2018-08" and rfc["stream"] == "IETF"
    assert rfc["abstract"].startswith("This document specifies version 1.3 of the Transport Layer Security")
    assert "authentication" in rfc["keywords"]
    assert [a["name"] for a in rfc["authors"]] == ["Eric Rescorla"]
    assert {5246, 5077, 6961} <= {d["number"] for d in rfc["obsoletes"]}
    assert {5705, 6066} <= {d["number"] for d in rfc["updates"]}
    assert rfc["protocols"] == [{"name": "TLS", "expansion": "Transport Layer Security"}]
    sources = {p["source"]: p["evidence"] for p in rfc["provenance"]}
    assert "https://www.rfc-editor.org/rfc/rfc8446.json" in sources["rfc-editor"]
    assert 8446 in {d["number"] for d in doc["old"]["obsoletedBy"]}


def test_protocol_groups_and_areas(live_server: str) -> None:
    proto = ok(live_server, '{ protocol(name: "mls") { name expansion definingDocuments { number } groups { acronym } areas { acronym } } }')["protocol"]
    assert proto["name"] == "MLS"
    assert 9420 in {d["number"] for d in proto["definingDocuments"]}
    assert "mls" in {g["acronym"] for g in proto["groups"]}
    assert {a["acronym"] for a in proto["areas"]} == {"sec"}


def test_document_protocols_whether_or_not_already_described(live_server: str) -> None:
    # rfc 9420's protocols are described by the field itself; under protocol(mls) the protocol
    # is already described when the documents' protocols field reads it.
    first = ok(live_server, "{ rfc(number: 9420) { protocols { name } } }")["rfc"]["protocols"]
    later = ok(live_server, '{ protocol(name: "mls") { definingDocuments { number protocols { name } } } }')
    again = next(d for d in later["protocol"]["definingDocuments"] if d["number"] == 9420)["protocols"]
    assert first == again and "MLS" in {p["name"] for p in first}


def test_path_names_each_hop(live_server: str) -> None:
    paths = ok(live_server, """{ path(from: "doc/rfc8446", to: "group/sec", maxHops: 3) { length
        nodes { id } steps { forward relation { name source { id } target { id } } } } }""")["path"]
    assert paths and all(p["length"] == 2 for p in paths)
    via_wg = next(p for p in paths if p["nodes"][1]["id"] == BASE + "group/tls")
    assert [s["relation"]["name"] for s in via_wg["steps"]] == ["producedBy", "subOrganizationOf"]
    assert all(s["forward"] for s in via_wg["steps"])
    assert via_wg["nodes"][0]["id"] == BASE + "doc/rfc8446" and via_wg["nodes"][-1]["id"] == BASE + "group/sec"


def test_path_between_person_and_protocol(live_server: str) -> None:
    paths = ok(live_server, """{ path(from: "person/eric-rescorla", to: "protocol/mls", maxHops: 4) {
        length nodes { __typename id } steps { relation { name } } } }""")["path"]
    assert paths
    first = paths[0]
    assert first["nodes"][0]["__typename"] == "Person" and first["nodes"][-1]["__typename"] == "Protocol"
    assert len(first["steps"]) == first["length"] == len(first["nodes"]) - 1 <= 4
    none = ok(live_server, '{ path(from: "doc/rfc8446", to: "protocol/mls", maxHops: 1) { length } }')["path"]
    assert none == []


def test_neighborhood_filters_kinds(live_server: str) -> None:
    hood = ok(live_server, """{ neighborhood(id: "doc/rfc8446", depth: 1, kinds: [GROUP, PROTOCOL]) {
        truncated center { id } nodes { __typename id } edges { name source { id } target { id } } } }""")["neighborhood"]
    ids = {n["id"] for n in hood["nodes"]}
    assert {BASE + "doc/rfc8446", BASE + "group/tls", BASE + "protocol/tls"} <= ids
    assert {n["__typename"] for n in hood["nodes"][1:]} <= {"Group", "Area", "Protocol"}
    edges = {(e["source"]["id"], e["name"], e["target"]["id"]) for e in hood["edges"]}
    assert (BASE + "doc/rfc8446", "producedBy", BASE + "group/tls") in edges
    assert (BASE + "doc/rfc8446", "definesProtocol", BASE + "protocol/tls") in edges


def test_connections_paginate_with_cursors(live_server: str) -> None:
    query = """query($after: String) { groups(area: "sec", type: WORKING_GROUP, first: 5, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { acronym } } } }"""
    one = ok(live_server, query)["groups"]
    two = ok(live_server, query, {"after": one["pageInfo"]["endCursor"]})["groups"]
    first_page = [e["node"]["acronym"] for e in one["edges"]]
    second_page = [e["node"]["acronym"] for e in two["edges"]]
    assert len(first_page) == len(second_page) == 5 and not set(first_page) & set(second_page)
    assert first_page == sorted(first_page) and first_page[-1] < second_page[0]
    assert one["totalCount"] == two["totalCount"] >= 20
    assert one["pageInfo"]["hasNextPage"] and not one["pageInfo"]["hasPreviousPage"]
    assert two["pageInfo"]["hasPreviousPage"]


def test_entry_points_and_node(live_server: str) -> None:
    data = ok(live_server, """{
      node(id: "https://ietf-kg.example/group/sec") { __typename id ... on Area { acronym } }
      cfrg: group(acronym: "cfrg") { type parent { acronym } }
      areas { acronym }
      people(search: "rescorla") { nodes { id name } }
      protocols(first: 100) { totalCount nodes { name } }
      search(text: "TLS", first: 5) { nodes { __typename id } }
      docs: documents(filter: { group: "acme", stream: "IETF" }) { totalCount nodes { number } }
      person(id: "eric-rescorla") { name documents(first: 100) { totalCount nodes { number } } } }""")
    assert data["node"] == {"__typename": "Area", "id": BASE + "group/sec", "acronym": "sec"}
    assert data["cfrg"] == {"type": "RESEARCH_GROUP", "parent": {"acronym": "irtf"}}
    assert "sec" in {a["acronym"] for a in data["areas"]}
    assert BASE + "person/eric-rescorla" in {p["id"] for p in data["people"]["nodes"]}
    assert data["protocols"]["totalCount"] >= 100 and "ACME" in {p["name"] for p in data["protocols"]["nodes"]}
    top = {(n["__typename"], n["id"]) for n in data["search"]["nodes"][:2]}
    assert top == {("Group", BASE + "group/tls"), ("Protocol", BASE + "protocol/tls")}
    assert 8555 in {d["number"] for d in data["docs"]["nodes"]}
    assert 8446 in {d["number"] for d in data["person"]["documents"]["nodes"]}


def test_unknown_ids_are_graphql_errors(live_server: str) -> None:
    body = gql(live_server, '{ group(acronym: "no-such-wg") { name } rfc(number: 8446) { number } }')
    assert body["data"] == {"group": None, "rfc": {"number": 8446}}
    [error] = body["errors"]
    assert error["path"] == ["group"] and error["extensions"]["code"] == "not_found"
    assert "no-such-wg" in error["message"]


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ('{ rfc(number: "x") { number } }', "Int cannot represent"),
        ("{ rfc(number: 8446) { number ", "Syntax Error"),
        ("{ rfc(number: 8446) { nosuchfield } }", "Cannot query field"),
        ("{ groups(first: 1000) { totalCount } }", "first must be between 0 and 100"),
        ('{ path(from: "doc/rfc1", to: "doc/rfc2", maxHops: 9) { length } }', "maxHops must be"),
    ],
)
def test_bad_documents_and_arguments(live_server: str, query: str, fragment: str) -> None:
    body = gql(live_server, query)
    assert body["errors"] and fragment in body["errors"][0]["message"]
    assert "locations" in body["errors"][0] or "path" in body["errors"][0]


def test_depth_complexity_and_alias_limits(live_server: str) -> None:
    deep = "{ area(acronym: \"sec\") { " + "parent { " * 14 + "acronym" + " }" * 15 + " }"
    for _ in range(2):  # validation is cached per query text: the second answer comes from the cache
        assert "exceeds maximum operation depth" in gql(live_server, deep)["errors"][0]["message"]
    wide = """{ groups(first: 100) { nodes { documents(first: 100) { nodes { authors { documents(first: 100) { totalCount } } } } } } }"""
    error = gql(live_server, wide)["errors"][0]
    assert "too complex" in error["message"] and error["extensions"]["code"] == "too_complex"
    aliases = "{ " + " ".join(f"a{i}: __typename" for i in range(40)) + " }"
    assert "aliases" in gql(live_server, aliases)["errors"][0]["message"].lower()


def test_get_queries_and_http_status(live_server: str) -> None:
    response = httpx.get(
        live_server + "/graphql", params={"query": '{ rfc(number: 9420) { title } }'}, timeout=HTTP_TIMEOUT_S
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    assert "Messaging Layer Security" in response.json()["data"]["rfc"]["title"]
    bad_body = httpx.post(
        live_server + "/graphql",
        content=b"{not json",
        headers={"content-type": "application/json"},
        timeout=HTTP_TIMEOUT_S,
    )
    assert bad_body.status_code == 400
    new_media = httpx.post(live_server + "/graphql", json={"query": "{"},
                           headers={"accept": "application/graphql-response+json"}, timeout=HTTP_TIMEOUT_S)
    assert new_media.status_code == 400 and "data" not in new_media.json()
    assert new_media.headers["content-type"].startswith("application/graphql-response+json")
    put = httpx.put(live_server + "/graphql", json={"query": "{ areas { acronym } }"}, timeout=HTTP_TIMEOUT_S)
    assert put.status_code == 405


def test_schema_is_documented_and_introspectable(live_server: str) -> None:
    schema = ok(live_server, """{ __schema { types { name kind description fields { name description } } } }""")["__schema"]
    ours = [t for t in schema["types"] if not t["name"].startswith("__") and t["kind"] in ("OBJECT", "INTERFACE", "ENUM", "INPUT_OBJECT")]
    names = {t["name"] for t in ours}
    assert {"Node", "Area", "Group", "Person", "Role", "Document", "Protocol", "Provenance", "Path", "DocumentConnection"} <= names
    undocumented = [t["name"] for t in ours if not t["description"]]
    undocumented += [f"{t['name']}.{f['name']}" for t in ours for f in t["fields"] or () if not f["description"]]
    assert undocumented == []


def test_explorer_examples_run(live_server: str) -> None:
    for name, query in EXAMPLES.items():
        body = gql(live_server, query)
        assert "errors" not in body, (name, body.get("errors"))
        assert any(body["data"].values()), name


def test_unexpected_errors_are_masked() -> None:
    from graphql import GraphQLError

    from ietfkg.schema.errors import NotFound

    assert should_mask(GraphQLError("boom", original_error=KeyError("secret")))
    assert not should_mask(GraphQLError("gone", original_error=NotFound("gone")))
    assert not should_mask(GraphQLError("Syntax Error"))


def test_readme_graphql_examples_run(live_server: str) -> None:
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    queries = re.findall(r"/graphql --data-urlencode 'query=(.*?)'", readme, flags=re.DOTALL)
    assert len(queries) >= 6
    for query in queries:
        response = httpx.get(live_server + "/graphql", params={"query": query}, timeout=60)
        assert response.status_code == 200
        body = response.json()
        assert "errors" not in body, (query, body.get("errors"))
        assert all(value not in (None, [], {}) for value in body["data"].values()), query


def test_sub_series_both_ways(live_server: str) -> None:
    rfc = ok(live_server, "{ rfc(number: 2119) { subSeries { __typename name series number documents { number } } } }")["rfc"]
    bcp14 = next(s for s in rfc["subSeries"] if s["name"] == "BCP 14")
    assert (bcp14["__typename"], bcp14["series"], bcp14["number"]) == ("SubSeries", "BCP", 14)
    assert {2119, 8174} <= {d["number"] for d in bcp14["documents"]}


def test_request_time_budget_is_enforced() -> None:
    import anyio

    from ietfkg.api.graphql.loaders import RequestStore
    from ietfkg.api.store import AsyncStore
    from ietfkg.graph.oxigraph_backend import OxigraphBackend
    from ietfkg.schema.errors import QueryTimeout

    async def run() -> None:
        store = AsyncStore(OxigraphBackend.open(None), timeout_s=10, threads=2, max_rows=10)
        fresh = RequestStore(store, budget_s=10)
        assert (await fresh.select("SELECT (1 AS ?one) {}")).rows[0][0].value == "1"
        spent = RequestStore(store, budget_s=0)
        with pytest.raises(QueryTimeout):
            await spent.select("SELECT (1 AS ?one) {}")
        assert (fresh.queries, spent.queries) == (1, 1)

    anyio.run(run)
