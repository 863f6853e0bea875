"""Entity pages: every entity IRI dereferences, as HTML for people and RDF for machines."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pyoxigraph import NamedNode, RdfFormat, parse

from ietfkg.api.settings import Settings
from ietfkg.graph.backends import Backend
from ietfkg.graph.oxigraph_backend import OxigraphBackend
from ietfkg.graph.store_dir import StoreDir
from tests.conftest import FIXTURES, fixture_store, serve_app
from tests.timeouts import HTTP_TIMEOUT_S

BASE = "https://ietf-kg.example/"


@pytest.fixture(scope="module")
def direct(store_root: Path) -> Backend:
    return OxigraphBackend.open(StoreDir(store_root).current())


def statements(direct: Backend, iri: str) -> set[str]:
    """Statements about and pointing at an entity, straight from the store's source graphs."""
    node = NamedNode(iri)
    sources = {NamedNode(g) for g in direct.named_graphs()}  # not the default-graph bookkeeping
    about = {
        f"{node} {q.predicate} {q.object}"
        for q in direct.store.quads_for_pattern(node, None, None)
        if q.graph_name in sources
    }
    into = {
        f"{q.subject} {q.predicate} {node}"
        for q in direct.store.quads_for_pattern(None, None, node)
        if q.graph_name in sources
    }
    return about | into


@pytest.mark.parametrize(
    "path",
    [
        "group/tls",
        "doc/rfc8446",
        "person/eric-rescorla",
        "protocol/tls",
        "graph/rfc-editor",
        "doc/bcp14",
        "agent/international-organization-for-standardization",
    ],
)
@pytest.mark.parametrize(
    ("media", "native"),
    [
        ("text/turtle", RdfFormat.TURTLE),
        ("application/ld+json", RdfFormat.JSON_LD),
        ("application/n-triples", RdfFormat.N_TRIPLES),
    ],
)
def test_rdf_forms_hold_every_statement_in_and_out(live_server, direct, path, media, native) -> None:
    response = httpx.get(f"{live_server}/{path}", headers={"Accept": media}, timeout=HTTP_TIMEOUT_S)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    got = {f"{t.subject} {t.predicate} {t.object}" for t in parse(response.content, format=native)}
    assert got == statements(direct, BASE + path) and got


def text_of(page: str) -> str:
    """What a person reads: the page's text without tags, styles or scripts, spaces collapsed."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def browse(url: str) -> str:
    response = httpx.get(url, headers={"Accept": "text/html,*/*;q=0.8"}, timeout=HTTP_TIMEOUT_S)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html"), (
        response.text
    )
    return response.text


def test_group_data_view_lists_statements_with_graphs(live_server) -> None:
    page = browse(live_server + "/group/tls?view=data")
    assert "ietf:WorkingGroup" in page and "org:subOrganizationOf" in page
    assert f'<a href="{live_server}/group/sec">Security Area</a>' in page  # org:subOrganizationOf, labelled
    assert (
        f'href="{live_server}/graph/datatracker-agenda"' in page
        or f'href="{live_server}/graph/power-map"' in page
    )
    assert "Links in" in page and f'href="{live_server}/doc/rfc8446"' in page  # ietf:producedBy, inbound


def test_group_page_is_a_summary(live_server, direct) -> None:
    page = browse(live_server + "/group/tls")
    assert "<h1>Transport Layer Security</h1>" in page
    assert f'<a href="{live_server}/group/sec">Security Area</a>' in page  # its area, by name
    read = text_of(page)
    assert "Working Group" in read and "ietf:" not in read and "org:" not in read  # labels, not terms
    chairs = {
        r[0].value
        for r in direct.select(
            """SELECT DISTINCT ?name WHERE { ?m org:organization ?g ; org:role ietf:role-chair ; org:member ?p .
           ?g skos:notation "tls" . ?p foaf:name ?name }"""
        ).rows
    }
    assert chairs and all(f"{name} — Chair" in read for name in chairs)
    assert all(read.count(f"{name} — Chair") == 1 for name in chairs)  # one line a tenure
    titles = [
        r[0].value
        for r in direct.select(
            """SELECT ?t WHERE { ?d ietf:producedBy ?g ; dcterms:title ?t ; ietf:year 2018 . ?g skos:notation "tls" }"""
        ).rows
    ]
    assert titles and all(t in read for t in titles)  # documents by year, with titles
    assert 'href="/graphql"' in page and 'href="/viz?focus=https%3A//ietf-kg.example/group/tls"' in page
    assert 'href="?format=ttl"' in page and 'href="?view=data"' in page


def test_area_page_reads_ad_tenures(live_server) -> None:
    read = text_of(browse(live_server + "/group/sec"))
    # IESG roll calls list Kathleen Moriarty as Security AD from April 2015 to March 2017.
    assert "Kathleen Moriarty — Area Director, from 2015-04-23 to 2017-03-16" in read
    assert read.count("Kathleen Moriarty —") == 1
    assert "Groups in sec" in read and "tls Transport Layer Security" in read


def test_person_page(live_server, direct) -> None:
    page = browse(live_server + "/person/104851")
    read = text_of(page)
    assert "<h1>Kathleen Moriarty</h1>" in page
    (photo,) = [
        r[0].value
        for r in direct.select(
            "SELECT ?img WHERE { <https://ietf-kg.example/person/104851> foaf:img ?img }"
        ).rows
    ]
    assert f'<img class="photo" src="{photo}"' in page and photo not in read  # an image, not a URL as text
    assert "Security Area — Area Director, from 2015-04-23 to 2017-03-16" in read
    assert "RFC 8996 — Deprecating TLS 1.0 and TLS 1.1" in read
    assert "Frequent co-authors" in read


def test_rfc_page_reads_like_the_rfc_editor(live_server) -> None:
    page = httpx.get(live_server + "/doc/rfc8446", timeout=HTTP_TIMEOUT_S).text  # no Accept header: HTML
    read = text_of(page)
    assert "RFC 8446: The Transport Layer Security (TLS) Protocol Version 1.3" in read
    assert "Published 2018-08" in read and "proposed standard" in read and "Eric Rescorla" in read
    assert "Obsoletes RFC 5077" in read and "Updates RFC 5705" in read
    assert f'href="{live_server}/doc/rfc5246"' in page and f'href="{live_server}/group/tls"' in page
    assert 'href="https://www.rfc-editor.org/rfc/rfc8446.html"' in page
    old = text_of(httpx.get(live_server + "/doc/rfc5246", timeout=HTTP_TIMEOUT_S).text)
    assert "Obsoleted by RFC 8446" in old  # the chain, both ways


def test_rfc_page_shows_provenance_on_demand(live_server) -> None:
    page = httpx.get(live_server + "/doc/rfc8446", timeout=HTTP_TIMEOUT_S).text
    sources = page[page.index('<details class="sources">') :]
    assert re.search(r'href="https://[^"]*rfc8446[^"]*json"', sources)  # the upstream record, linked
    assert f'href="{live_server}/graph/rfc-editor"' in sources
    assert (
        "prov:wasDerivedFrom"
        in httpx.get(live_server + "/doc/rfc8446?view=data", timeout=HTTP_TIMEOUT_S).text
    )


def test_protocol_page(live_server) -> None:
    read = text_of(browse(live_server + "/protocol/tls"))
    assert "Transport Layer Security" in read and "Defined by (4)" in read
    assert "RFC 8446 — The Transport Layer Security (TLS) Protocol Version 1.3" in read


def test_unknown_entity_is_an_html_page_for_browsers(live_server) -> None:
    response = httpx.get(
        live_server + "/group/no-such-group",
        headers={"Accept": "text/html,*/*;q=0.8"},
        timeout=HTTP_TIMEOUT_S,
    )
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "no entity" in text_of(response.text) and "Not found" in response.text


def test_membership_key_with_slashes(live_server, direct) -> None:
    (row,) = direct.select(
        """SELECT ?m WHERE { ?m org:organization ?g ; org:role ietf:role-chair . ?g skos:notation "tls" }
           ORDER BY ?m LIMIT 1"""
    ).rows
    path = row[0].value.removeprefix(BASE)
    assert path.count("/") >= 4
    response = httpx.get(f"{live_server}/{path}", timeout=HTTP_TIMEOUT_S)
    assert response.status_code == 200 and "org:Membership" in response.text
    assert f'href="{live_server}/group/tls"' in response.text


@pytest.mark.parametrize("path", ["doc/rfc99999", "person/nobody-at-all", "group/no-such-group", "role/x/y"])
def test_unknown_entities_are_404(live_server, path) -> None:
    response = httpx.get(f"{live_server}/{path}", headers={"Accept": "text/turtle"}, timeout=HTTP_TIMEOUT_S)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_void_well_known(live_server, direct) -> None:
    response = httpx.get(live_server + "/.well-known/void", timeout=HTTP_TIMEOUT_S)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    triples = {
        (str(t.subject), str(t.predicate), str(t.object))
        for t in parse(response.content, format=RdfFormat.TURTLE)
    }
    dataset = f"<{BASE}dataset>"
    void = "http://rdfs.org/ns/void#"
    assert (dataset, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", f"<{void}Dataset>") in triples
    (total,) = [o for s, p, o in triples if s == dataset and p == f"<{void}triples>"]
    assert int(total.split('"')[1]) > 100_000
    assert any(p == f"<{void}classPartition>" for s, p, o in triples)
    assert any(
        p == "<http://www.w3.org/ns/prov#generatedAtTime>" for s, p, o in triples
    )  # dates of the sources
    assert any(p == "<https://ietf-kg.example/ns#snapshotDate>" for s, p, o in triples)
    jsonld = httpx.get(
        live_server + "/.well-known/void", headers={"Accept": "application/ld+json"}, timeout=HTTP_TIMEOUT_S
    )
    assert {str(t) for t in parse(jsonld.content, format=RdfFormat.JSON_LD)} == {
        str(t) for t in parse(response.content, format=RdfFormat.TURTLE)
    }
    nt = httpx.get(live_server + "/.well-known/void", params={"format": "nt"}, timeout=HTTP_TIMEOUT_S)
    assert nt.headers["content-type"] == "application/n-triples" and len(nt.text.splitlines()) == len(triples)


# -- hostile data ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A tiny store built from tests/fixtures/hostile.trig, served by the real app."""
    root = fixture_store(tmp_path_factory.mktemp("hostile"), FIXTURES / "hostile.trig")
    with serve_app(Settings(store=str(root), backend="oxigraph", base=BASE)) as url:
        yield url


def test_hostile_labels_are_escaped(hostile_server) -> None:
    page = httpx.get(hostile_server + "/group/evil", timeout=HTTP_TIMEOUT_S).text
    assert "<script>alert" not in page and "<img src=x" not in page and "<iframe" not in page
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;iframe" in page
    assert 'href="javascript:' not in page  # non-web IRIs are shown, never linked
    assert 'href="https://example.org/source?a=1&amp;b=%3C2%3E"' in page
    membership = httpx.get(
        hostile_server + "/role/curated/evil/chair/mallory/2024-01-01", timeout=HTTP_TIMEOUT_S
    ).text
    assert (
        f'<a href="{hostile_server}/person/mallory">Mallory &lt;b onmouseover=alert(2)&gt;</a>' in membership
    )
    person = httpx.get(hostile_server + "/person/mallory", timeout=HTTP_TIMEOUT_S).text
    assert "<b onmouseover" not in person and "&lt;b onmouseover=alert(2)&gt;" in person


def test_hostile_labels_in_rdf_round_trip(hostile_server) -> None:
    response = httpx.get(
        hostile_server + "/group/evil", headers={"Accept": "text/turtle"}, timeout=HTTP_TIMEOUT_S
    )
    labels = {
        t.object.value
        for t in parse(response.content, format=RdfFormat.TURTLE)
        if t.predicate.value.endswith("prefLabel")
    }
    assert labels == {"<script>alert('xss')</script>"}


def test_hostile_sparql_page_and_results(hostile_server) -> None:
    response = httpx.get(
        hostile_server + "/sparql",
        params={"query": "SELECT ?l WHERE { ?g skos:prefLabel ?l }", "format": "xml"},
        timeout=HTTP_TIMEOUT_S,
    )
    assert "&lt;script&gt;alert('xss')&lt;/script&gt;" in response.text and "<script>" not in response.text
