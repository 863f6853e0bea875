"""`ietfkg build --source live` and `ietfkg update` against a real local stand-in of the upstreams."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import tests.test_acceptance as acceptance
from tests.conftest import run_cli
from tests.live_upstream import Upstream, serve_upstream

FAST_HTTP = {
    "IETFKG_HTTP_RATE_PER_S": "0",
    "IETFKG_HTTP_BACKOFF_BASE_S": "0.01",
    "IETFKG_HTTP_BACKOFF_MAX_S": "0.05",
    "IETFKG_HTTP_MAX_TRIES": "3",
    "IETFKG_HTTP_PAGE_LIMIT": "5",
    "IETFKG_HTTP_FRESH_S": "0",
}

Select = Callable[[str], list[dict[str, str]]]


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    with serve_upstream() as server:
        yield server


@pytest.fixture(scope="module")
def store(upstream: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("live-store")


def ietfkg(store: Path, upstream: Upstream, *args: str, check: bool = True):
    return run_cli(*args, "--store", str(store), env=FAST_HTTP, check=check)


def live(store: Path, upstream: Upstream, command: str, *extra: str, check: bool = True):
    head = ("build", "--source", "live") if command == "build" else ("update",)
    return ietfkg(store, upstream, *head, "-q", "--base-url", upstream.url, *extra, check=check)


def selector(store: Path, upstream: Upstream) -> Select:
    def select(query: str) -> list[dict[str, str]]:
        out = json.loads(ietfkg(store, upstream, "query", "--format", "json", query).stdout)
        return [{k: v["value"] for k, v in row.items()} for row in out["results"]["bindings"]]

    return select


def current_build(store: Path) -> Path:
    return (store / "current").resolve()


@pytest.fixture(scope="module")
def built(store: Path, upstream: Upstream) -> str:
    upstream.state = "base"
    return live(store, upstream, "build").stderr


def test_live_build_passes_shacl_and_reports(built: str) -> None:
    assert "SHACL: conforms" in built
    assert "new RFCs (14)" in built and "Casey Fixture (chair, fixwg)" in built


def test_live_build_passes_the_acceptance_queries(built: str, store: Path, upstream: Upstream) -> None:
    select = selector(store, upstream)
    acceptance.test_security_area_and_its_wgs(select)
    for year, expected in (
        (2015, {"Stephen Farrell", "Kathleen Moriarty"}),
        (2022, {"Roman Danyliw", "Paul Wouters"}),
    ):
        acceptance.test_security_ads_by_year(select, year, expected)
    acceptance.test_security_ads_2026_match_the_role_file(select)
    acceptance.test_research_groups_under_irtf(select)
    acceptance.test_rfc8446_in_tls_obsoletes_5246(select)
    acceptance.test_provenance_of_the_facts(select)
    for number, protocol, wg in ((8555, "ACME", "acme"), (8446, "TLS", "tls")):
        acceptance.test_rfc_protocol_wg_triangle(select, number, protocol, wg)


def test_live_facts_carry_live_provenance(built: str, store: Path, upstream: Upstream) -> None:
    select = selector(store, upstream)
    rows = select("""
        SELECT ?origin ?synced ?evidence WHERE {
          GRAPH ?g { ?tls skos:notation "tls" ; org:subOrganizationOf ?sec ; prov:wasDerivedFrom ?evidence }
          ?g ietf:sourceName "datatracker" ; ietf:origin ?origin ; ietf:lastSynced ?synced .
        }""")
    assert len(rows) == 1 and rows[0]["origin"] == f"{upstream.url}/api/v1/"
    assert rows[0]["evidence"] == f"{upstream.url}/api/v1/group/group/1326/"
    rows = select("""
        SELECT ?start ?end ?basis WHERE {
          GRAPH ?g { ?m org:member/foaf:name "Casey Fixture" ; org:role ietf:role-chair ; ietf:dateBasis ?basis ;
                        ietf:startDate ?start ; ietf:endDate ?end }
          ?g ietf:sourceName "datatracker" . FILTER (?basis = "stated")
        }""")
    assert [r["start"] for r in rows] == ["2019-03-20"]
    stats = ietfkg(store, upstream, "stats").stdout
    assert "last sync of datatracker:" in stats and "last sync of rfc-editor:" in stats


def test_document_group_fills_a_missing_wg_acronym(built: str, store: Path, upstream: Upstream) -> None:
    # the fixture index has no <wg_acronym> for RFC 2246; its Datatracker document names tls
    rows = selector(store, upstream)("""
        SELECT ?wg ?evidence WHERE {
          ?rfc ietf:rfcNumber 2246 . ?group skos:notation ?wg .
          GRAPH ?g { ?rfc ietf:producedBy ?group ; ietf:attributionBasis "rfc-index" ; prov:wasDerivedFrom ?evidence }
        }""")
    assert {r["wg"] for r in rows} == {"tls"}
    assert f"{upstream.url}/api/v1/doc/document/rfc2246/" in {r["evidence"] for r in rows}


def test_failed_update_leaves_the_graph_serving(built: str, store: Path, upstream: Upstream) -> None:
    before = current_build(store)
    upstream.faults[("/api/v1/group/role/", 0)] = [("status", 500, {})] * 3
    failed = live(store, upstream, "update", check=False)
    upstream.faults.clear()
    assert (
        failed.returncode == 1
        and "/api/v1/group/role/" in failed.stderr
        and "gave up after 3 tries" in failed.stderr
    )
    assert current_build(store) == before


def test_malformed_page_fails_the_build_under_strict(built: str, store: Path, upstream: Upstream) -> None:
    before = current_build(store)
    upstream.faults[("/api/v1/group/group/", 5)] = [("body", b"<html>Bad gateway</html>", "text/html")]
    strict = live(store, upstream, "build", "--strict", check=False)
    upstream.faults.clear()
    assert strict.returncode != 0 and "strict" in strict.stderr
    assert "offset=5" in strict.stderr and "HTML page" in strict.stderr
    assert current_build(store) == before


def test_update_adds_an_rfc_and_changes_a_chair(built: str, store: Path, upstream: Upstream) -> None:
    upstream.state = "update"
    upstream.log.clear()
    out = live(store, upstream, "update").stderr
    assert "new RFCs (1): RFC 9420" in out
    assert "roles started (1): Robin Placeholder (chair, fixwg)" in out
    assert "roles ended (1): Casey Fixture (chair, fixwg)" in out
    # incremental: groups asked for changes since the last sync; unchanged documents revalidated (304)
    groups = upstream.requests_to("/api/v1/group/group/")
    assert groups and all("time__gte=" in query for _, query, _ in groups)
    assert ("/rfc-index.xml", "", 200) in upstream.log
    select = selector(store, upstream)
    acceptance.test_rfc_protocol_wg_triangle(select, 9420, "MLS", "mls")
    rows = select("""
        SELECT ?start ?end WHERE {
          GRAPH ?g { ?m org:member/foaf:name "Casey Fixture" ; org:role ietf:role-chair ; ietf:dateBasis "stated" ;
                        ietf:startDate ?start ; ietf:endDate ?end }
        }""")
    # the change happened at the upstream's "now" (after the last sync): it ends the interval that day
    today = datetime.now(UTC).date().isoformat()
    assert [(r["start"], r["end"]) for r in rows] == [("2019-03-20", today)]


def test_per_rfc_json_is_fetched_once_and_a_missing_one_is_reported(
    upstream: Upstream, tmp_path: Path
) -> None:
    from ietfkg.graph.oxigraph_backend import OxigraphBackend
    from ietfkg.ingest.fetch.http_cache import HttpCache
    from ietfkg.ingest.fetch.http_client import HttpSettings, LiveClient
    from ietfkg.ingest.live import LiveConfig, live_sources
    from ietfkg.ingest.pipeline import QuietReporter, build
    from ietfkg.schema.vocab import DEFAULT_BASE

    upstream.state = "base"
    upstream.faults[("/rfc/rfc5077.json", 0)] = [("status", 404, {})]
    settings = HttpSettings(rate_per_s=0, backoff_base_s=0.01, max_tries=2, fresh_s=0)

    def run() -> tuple:
        config = LiveConfig.for_base(tmp_path / "cache", upstream.url, bundled_rfc_json=False)
        with LiveClient(settings, HttpCache(tmp_path / "cache" / "http")) as client:
            sources = live_sources(config, client, QuietReporter())
            return build(
                tmp_path / "store", DEFAULT_BASE, validate=False, sources=sources, synced=config.synced()
            )

    summary = run()
    rfc_errors = [e for r in summary.sources if r.info.name == "rfc-editor" for e in r.errors]
    assert [e.key for e in rfc_errors] == [f"{upstream.url}/rfc/rfc5077.json"]
    assert "404" in rfc_errors[0].reason
    backend = OxigraphBackend.open(summary.store)
    rows = backend.select("""
        SELECT ?label ?evidence WHERE { ?r ietf:rfcNumber 8446 ; ietf:sourceLabel ?label ; prov:wasDerivedFrom ?evidence }
    """).rows
    assert {r[0].value for r in rows} == {"Transport Layer Security"}  # only the per-RFC JSON has the WG name
    assert f"{upstream.url}/rfc/rfc8446.json" in {r[1].value for r in rows}
    # the index entry alone still makes the RFC
    assert backend.ask("ASK { ?r ietf:rfcNumber 5077 ; dcterms:title ?t }")
    del backend
    fetched = {path for path, _, status in upstream.log if path.startswith("/rfc/rfc") and status == 200}
    assert len(fetched) == 13  # 14 RFCs in the index, one missing
    upstream.log.clear()
    run()  # published RFCs do not change: the cached JSON is used without asking
    assert [
        path for path, _, _ in upstream.log if path.startswith("/rfc/rfc") and path != "/rfc/rfc5077.json"
    ] == []
