"""The home page and its search box: counts, entry points, example questions, accent-insensitive search."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from ietfkg.graph.oxigraph_backend import OxigraphBackend
from ietfkg.graph.store_dir import StoreDir
from tests.browser import RERUN_RENDERER_CRASH, browser, text_once_shown  # noqa: F401 - browser is a fixture
from tests.test_pages import text_of
from tests.timeouts import HTTP_TIMEOUT_S


@pytest.fixture(scope="module")
def direct(store_root: Path) -> OxigraphBackend:
    return OxigraphBackend.open(StoreDir(store_root).current())


def count(direct: OxigraphBackend, cls: str) -> int:
    (row,) = direct.select(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a {cls} }}").rows
    return int(row[0].value)


def test_home_counts_and_entry_points(live_server, direct) -> None:
    page = httpx.get(live_server + "/", headers={"Accept": "text/html"}, timeout=HTTP_TIMEOUT_S).text
    read = text_of(page)
    assert (
        f"{count(direct, 'ietf:RFC'):,} RFC" in read
        and f"{count(direct, 'ietf:WorkingGroup'):,} Working Group" in read
    )
    assert f'<a href="{live_server}/group/sec"><b>Security Area</b></a>' in page
    areas = [r[0].value for r in direct.select("SELECT ?n WHERE { ?a a ietf:Area ; skos:prefLabel ?n }").rows]
    assert areas and all(name in read for name in areas)
    (latest,) = direct.select("SELECT (MAX(?n) AS ?m) WHERE { ?r a ietf:RFC ; ietf:rfcNumber ?n }").rows
    assert f'href="{live_server}/doc/rfc{latest[0].value}"' in page  # latest RFCs, newest first
    sparql = re.findall(r'href="([^"]*/sparql\?query=[^"]+)"', page)
    graphql = re.findall(r'href="(/graphql#query=[^"]+)"', page)
    assert len(sparql) >= 3 and len(graphql) >= 3
    assert httpx.get(live_server + "/graphql", timeout=HTTP_TIMEOUT_S).status_code == 200


@pytest.mark.parametrize(
    ("q", "iri"),
    [
        ("tls", "group/tls"),
        ("Security Area", "group/sec"),
        ("8446", "doc/rfc8446"),
        ("RFC 8446", "doc/rfc8446"),
        ("Transport Layer Security (TLS) Protocol Version 1.3", "doc/rfc8446"),
        ("moriarty", "person/104851"),
    ],
)
def test_search_finds_by_acronym_name_number_title(live_server, q, iri) -> None:
    found = httpx.get(live_server + "/search", params={"q": q}, timeout=HTTP_TIMEOUT_S).json()
    assert found["results"] and found["results"][0]["href"] == f"{live_server}/{iri}", found["results"][:3]


def test_search_is_accent_insensitive(live_server, direct) -> None:
    accented = {
        r[0].value
        for r in direct.select('SELECT ?p WHERE { ?p foaf:name ?n FILTER(CONTAINS(?n, "Fältström")) }').rows
    }
    assert accented  # the RFC Editor prints "P. Fältström"
    for q in ("Faltstrom", "faltström", "FALTSTROM"):
        hrefs = {
            r["href"]
            for r in httpx.get(live_server + "/search", params={"q": q}, timeout=HTTP_TIMEOUT_S).json()[
                "results"
            ]
        }
        assert {
            live_server + "/" + iri.removeprefix("https://ietf-kg.example/") for iri in accented
        } <= hrefs, q


def test_search_page_for_browsers_and_limits(live_server) -> None:
    page = httpx.get(
        live_server + "/search",
        params={"q": "Fältström"},
        headers={"Accept": "text/html"},
        timeout=HTTP_TIMEOUT_S,
    )
    assert page.status_code == 200 and "Fältström" in text_of(page.text)
    long = httpx.get(live_server + "/search", params={"q": "x" * 500}, timeout=HTTP_TIMEOUT_S)
    assert long.status_code == 400 and "at most" in long.json()["error"]["message"]
    many = httpx.get(live_server + "/search", params={"q": "e"}, timeout=HTTP_TIMEOUT_S).json()
    assert many["truncated"] is True and len(many["results"]) == 50



def test_the_site_has_an_icon(live_server) -> None:
    """Every browser asks for /favicon.ico on every page; a 404 there is noise in every log."""
    answer = httpx.get(live_server + "/favicon.ico", timeout=HTTP_TIMEOUT_S)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("image/svg+xml")
    assert answer.text.lstrip().startswith("<svg")

@pytest.mark.browser
@RERUN_RENDERER_CRASH
def test_from_home_to_the_security_area_in_chromium(browser, live_server) -> None:  # noqa: F811
    page = browser.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server) else None)
    try:
        page.goto(live_server + "/", wait_until="load")
        page.fill(".search-home input[name=q]", "Faltstrom")
        page.press(".search-home input[name=q]", "Enter")
        page.wait_for_selector("ul.results li")
        assert "Fältström" in page.inner_text("ul.results")
        page.goto(live_server + "/", wait_until="load")
        page.click("text=Security Area >> nth=0")
        page.wait_for_selector("h1")
        title = page.inner_text("h1")
    finally:
        page.close()
    assert title == "Security Area" and outside == []


@pytest.mark.browser
@RERUN_RENDERER_CRASH
def test_example_question_opens_in_the_explorer(browser, live_server) -> None:  # noqa: F811
    page = browser.new_page()
    try:
        page.goto(live_server + "/", wait_until="load")
        page.click("ul.examples a:has-text('Time travel')")
        first_tab = text_once_shown(page, ".graphiql-query-editor", "securityADs", 30_000)
    finally:
        page.close()
    assert "query TimeTravel" in first_tab
