"""The foundation's acceptance facts, asked through `ietfkg query` on the real snapshot."""

from __future__ import annotations

import json

import pytest

from ietfkg.ingest.fetch import local

ADS_IN_YEAR = """
SELECT DISTINCT ?name WHERE {
  ?area skos:notation "sec" .
  ?m org:organization ?area ; org:role ietf:role-ad ; org:member ?p ;
     ietf:startDate ?start ; ietf:endDate ?end .
  ?p foaf:name ?name .
  FILTER (STR(?start) <= "%(year)s-12-31" && STR(?end) >= "%(year)s-01-01")
}
"""


def names(rows: list[dict[str, str]], key: str = "name") -> set[str]:
    return {row[key] for row in rows}


def test_security_area_and_its_wgs(select) -> None:
    rows = select("""
        SELECT ?acr ?areaName WHERE {
          ?area skos:notation "sec" ; a ietf:Area ; skos:prefLabel ?areaName .
          ?wg org:subOrganizationOf ?area ; a ietf:WorkingGroup ; skos:notation ?acr .
        }""")
    assert {"tls", "acme", "mls", "lamps", "oauth", "secdispatch"} <= names(rows, "acr")
    assert names(rows, "areaName") == {"Security Area"}


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2015, {"Stephen Farrell", "Kathleen Moriarty"}),
        (2022, {"Roman Danyliw", "Paul Wouters"}),
    ],
)
def test_security_ads_by_year(select, year: int, expected: set[str]) -> None:
    assert expected <= names(select(ADS_IN_YEAR % {"year": year}))


def test_security_ads_2026_match_the_role_file(select) -> None:
    _, data = local.read_json("power-map", local.snapshot_dir() / "ietf-power-map" / "ietf_data.json")
    sec_id = next(gid for gid, g in data["groups"].items() if g["acronym"] == "sec")
    expected = {data["persons"][r["person_id"]]["name"] for r in data["roles"] if r["group_id"] == sec_id and r["role"] == "ad"}
    assert expected and expected == names(select(ADS_IN_YEAR % {"year": 2026}))


def test_research_groups_under_irtf(select) -> None:
    rows = select("""
        SELECT ?acr WHERE { ?rg a ietf:ResearchGroup ; org:subOrganizationOf/skos:notation "irtf" ; skos:notation ?acr }""")
    assert {"cfrg", "pearg"} <= names(rows, "acr")


def test_rfc8446_in_tls_obsoletes_5246(select) -> None:
    rows = select("""
        SELECT ?wg ?old WHERE { ?rfc ietf:rfcNumber 8446 ; ietf:producedBy/skos:notation ?wg ; ietf:obsoletes/ietf:rfcNumber ?old }""")
    assert names(rows, "wg") == {"tls"}
    assert {"5246", "5077", "6961"} == names(rows, "old")


@pytest.mark.parametrize(("number", "protocol", "wg"), [(8555, "ACME", "acme"), (9420, "MLS", "mls"), (8446, "TLS", "tls")])
def test_rfc_protocol_wg_triangle(select, number: int, protocol: str, wg: str) -> None:
    rows = select(f"""
        SELECT ?proto ?wg ?area WHERE {{
          ?rfc ietf:rfcNumber {number} ; ietf:definesProtocol ?p ; ietf:producedBy ?g .
          ?p skos:notation ?proto . ?g skos:notation ?wg ; org:subOrganizationOf/skos:notation ?area .
        }}""")
    assert {(r["proto"], r["wg"], r["area"]) for r in rows} == {(protocol, wg, "sec")}


def test_provenance_of_the_facts(select) -> None:
    rows = select("""
        SELECT ?source ?origin WHERE {
          GRAPH ?g { ?rfc ietf:rfcNumber 8446 ; ietf:obsoletes ?old }
          ?g ietf:sourceName ?source ; ietf:origin ?origin .
        }""")
    assert names(rows, "source") == {"rfc-editor"}
    rows = select("""
        SELECT ?source ?evidence WHERE {
          ?area skos:notation "sec" . ?p foaf:name "Stephen Farrell" .
          GRAPH ?g { ?m org:organization ?area ; org:member ?p ; org:role ietf:role-ad ; prov:wasDerivedFrom ?evidence }
          ?g ietf:sourceName ?source .
        }""")
    assert names(rows, "source") == {"iesg-roll-calls"}
    assert all("iesg" in row["evidence"].lower() for row in rows)
    rows = select("""
        SELECT ?source WHERE { GRAPH ?g { ?wg skos:notation "cfrg" ; ietf:collaboratesWith ?sec } ?g ietf:sourceName ?source }""")
    assert names(rows, "source") == {"curated"}


def test_query_formats(cli) -> None:
    ask = cli("query", "--format", "json", "ASK { ?s ietf:rfcNumber 8446 }").stdout
    assert json.loads(ask)["boolean"] is True
    csv_out = cli("query", "--format", "csv", "SELECT ?t WHERE { ?s ietf:rfcNumber 8446 ; dcterms:title ?t }").stdout
    assert csv_out.splitlines() == ["t", "The Transport Layer Security (TLS) Protocol Version 1.3"]
    ttl = cli("query", "--format", "ttl", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ietf:rfcNumber 8446 ; ?p ?o }").stdout
    assert "rfc8446" in ttl and "dcterms:title" in ttl
    bad = cli("query", "--format", "jsonld", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", check=False)
    assert bad.returncode == 2 and "unknown format" in bad.stderr and "Traceback" not in bad.stderr
