"""The SPARQL page is YASGUI, served from this host: queries run, result IRIs open entity pages,
downloads carry every row, a ``?query=`` link opens its query, errors are said plainly, and no
request leaves localhost (every request is recorded; any to another host is aborted and fails
the test). Over HTTP: the page loads local assets only, and the vendored bundle fetches nothing
from a CDN. The screenshot is the README's (docs/, with IETFKG_UPDATE_DOCS=1).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from ietfkg.api.http_server import MAX_URL_BYTES
from ietfkg.api.sparql.page import EXAMPLES, README_EXAMPLES, example_query
from ietfkg.graph.queries import load, with_prefixes
from ietfkg.schema.vocab import DEFAULT_BASE as BASE, ONTOLOGY_NS
from tests.browser import RERUN_RENDERER_CRASH, browser  # noqa: F401 - browser is a fixture
from tests.timeouts import HTTP_TIMEOUT_S
from tests.yasgui import EDITOR, WAIT_MS, editor_text, run_query, table_rows

ROOT = Path(__file__).parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
DOCS = ROOT / "docs"
BUNDLE = ROOT / "api" / "static" / "vendor" / "yasgui" / "yasgui.min.js"
CHAIRS = example_query("example_sec_wg_chairs")
SERVICE = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"  # refused: never fetched
ONE_RFC = "SELECT ?rfc ?title WHERE { ?rfc ietf:rfcNumber 8446 ; dcterms:title ?title }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


@pytest.fixture()
def page(browser, live_server: str) -> Iterator[Any]:  # noqa: F811
    """A fresh page whose every request is recorded; one to another host is aborted."""
    page = browser.new_page(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    page.requested = []
    page.on("request", lambda r: page.requested.append(r.url))
    page.route(lambda url: not url.startswith(live_server), lambda route: route.abort())
    yield page
    page.close()
    outside = [url for url in page.requested if not url.startswith(live_server)]
    assert outside == [], outside


def select_json(live_server: str, query: str) -> list[dict[str, Any]]:
    answer = httpx.post(live_server + "/sparql", data={"query": query}, timeout=HTTP_TIMEOUT_S)
    answer.raise_for_status()
    return answer.json()["results"]["bindings"]  # type: ignore[no-any-return]


pytestmark = [pytest.mark.browser]


@RERUN_RENDERER_CRASH
def test_a_query_runs_with_linked_iris_and_a_whole_csv(page, live_server: str) -> None:
    page.goto(live_server + "/sparql", wait_until="load")
    assert editor_text(page) == CHAIRS  # the first example is in the editor
    run_query(page, CHAIRS)
    expected = select_json(live_server, CHAIRS)
    rows = table_rows(page)
    assert len(rows) == len(expected) > 0
    assert [r[0] for r in rows] == [b["acronym"]["value"] for b in expected]
    # the chair's IRI links to the person's page, on this host
    links = page.eval_on_selector_all(
        ".tabPanel.active .yasr tbody a.entity", "as => as.map(a => [a.href, a.title, a.textContent])"
    )
    chairs = [b["chair"]["value"] for b in expected]
    assert [title for _, title, _ in links] == chairs
    assert all(href == live_server + "/person/" + title.rsplit("/", 1)[1] for href, title, _ in links)
    # shown short, in the entity namespace's display prefix, not as the whole IRI
    assert [text for _, _, text in links] == ["person:" + chair.rsplit("/", 1)[1] for chair in chairs]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "sparql-yasgui.png"
    page.set_viewport_size({"width": 1200, "height": 1300})  # the editor and the first rows
    page.screenshot(path=str(shot))
    if os.environ.get("IETFKG_UPDATE_DOCS"):
        shutil.copyfile(shot, DOCS / shot.name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1200
    # the CSV download: every row, the same as the table
    with page.expect_download(timeout=WAIT_MS) as download:
        page.click("#downloads a[data-format=csv]")
    with open(download.value.path(), encoding="utf-8", newline="") as f:
        saved = list(csv.DictReader(f))
    assert download.value.suggested_filename == "select-result.csv"
    assert [(r["acronym"], r["chair"]) for r in saved] == [(b["acronym"]["value"], b["chair"]["value"]) for b in expected]
    # a result IRI's link is the entity page of the person in that row
    person = httpx.get(links[0][0], headers={"Accept": "text/html"}, timeout=HTTP_TIMEOUT_S).text
    assert re.search(r"<h1[^>]*>\s*" + re.escape(rows[0][3]) + r"\s*</h1>", person), person[:500]


@RERUN_RENDERER_CRASH
def test_every_download_format_and_the_share_link_follow_the_query(page, live_server: str) -> None:
    page.goto(live_server + "/sparql", wait_until="load")
    run_query(page, ONE_RFC)
    formats = page.eval_on_selector_all("#downloads a", "as => as.map(a => [a.dataset.format, a.href])")
    assert [name for name, _ in formats] == ["json", "xml", "csv", "tsv"]
    for name, href in formats:
        answer = httpx.get(href, timeout=HTTP_TIMEOUT_S)
        assert answer.status_code == 200 and "attachment" in answer.headers["content-disposition"], name
        assert "8446" in answer.text, name
    share = page.get_attribute("#share-link", "href")
    assert share == live_server + "/sparql?" + urlencode({"query": ONE_RFC}).replace("+", "%20")
    assert page.inner_text("#share-link") == (live_server + "/sparql?query=" + ONE_RFC)[:97] + "…"  # readable
    # a query too long for a URL (the server answers 414) is downloaded by a POSTed form
    long = "# " + "x" * 70_000 + "\n" + ONE_RFC
    run_query(page, long)
    assert len(page.get_attribute("#downloads a[data-format=csv]", "href")) > MAX_URL_BYTES
    with page.expect_download(timeout=WAIT_MS) as download:
        page.click("#downloads a[data-format=csv]")
    with open(download.value.path(), encoding="utf-8", newline="") as f:
        assert [row["rfc"] for row in csv.DictReader(f)] == [b["rfc"]["value"] for b in select_json(live_server, ONE_RFC)]
    graph = example_query("example_tls_graph")
    run_query(page, graph)
    names = page.eval_on_selector_all("#downloads a", "as => as.map(a => a.dataset.format)")
    assert names == ["ttl", "nt", "jsonld", "xml"]
    # subjects and predicates read whole beside long literals; xsd:string literals read plainly
    triples = table_rows(page)
    assert all(s.startswith("doc:rfc") and "\n" not in s + p for s, p, _ in triples), triples[:3]
    titles = [o for _, p, o in triples if p == "dcterms:title"]
    assert titles and not any(o.startswith('"') or "xsd:string" in o for o in titles), titles[:3]
    assert page.evaluate("document.documentElement.scrollWidth") <= 1200  # a CONSTRUCT stays in the page


@RERUN_RENDERER_CRASH
def test_a_query_link_opens_the_page_on_its_query(page, live_server: str) -> None:
    page.goto(live_server + "/sparql?" + urlencode({"query": ONE_RFC}), wait_until="load")
    page.wait_for_selector(".tabPanel.active .yasr tbody a.entity", timeout=WAIT_MS)
    # the query, with PREFIX lines for the predeclared prefixes it uses, so YASQE marks no error
    prefix_lines, _, query = editor_text(page).rpartition("\n")
    assert query == ONE_RFC
    assert sorted(prefix_lines.splitlines()) == sorted(with_prefixes(ONE_RFC).splitlines()[:-1])
    assert page.query_selector_all(".parseErrorIcon") == []
    title = select_json(live_server, ONE_RFC)[0]["title"]["value"]
    assert title in table_rows(page)[0][1]
    assert page.get_attribute(".tabPanel.active .yasr tbody a.entity", "href") == live_server + "/doc/rfc8446"
    assert page.inner_text(".tabPanel.active .yasr tbody a.entity") == "doc:rfc8446"


@RERUN_RENDERER_CRASH
def test_graph_iris_show_prefixed_and_link_to_their_pages(page, live_server: str) -> None:
    page.goto(live_server + "/sparql", wait_until="load")
    run_query(page, GRAPHS)
    graphs = sorted(b["g"]["value"] for b in select_json(live_server, GRAPHS))
    links = page.eval_on_selector_all(
        ".tabPanel.active .yasr tbody a.entity", "as => as.map(a => [a.textContent, a.href, a.title])"
    )
    assert len(links) == len(graphs) > 1
    for (text, href, title), graph in zip(links, graphs):
        assert title == graph and graph.startswith(BASE + "graph/")
        assert text == "graph:" + graph.removeprefix(BASE + "graph/")
        assert href == live_server + "/" + graph.removeprefix(BASE)
    # a graph's page answers, and names the source
    source = httpx.get(links[0][1], headers={"Accept": "text/html"}, timeout=HTTP_TIMEOUT_S)
    assert source.status_code == 200 and links[0][0].removeprefix("graph:") in source.text


@RERUN_RENDERER_CRASH
def test_the_home_pages_examples_open_here(page, live_server: str) -> None:
    page.goto(live_server + "/", wait_until="load")
    page.click(f"ul.examples a:has-text('{EXAMPLES[1][1]}')")
    page.wait_for_selector(".tabPanel.active .yasr tbody tr", timeout=WAIT_MS)
    assert editor_text(page) == example_query(EXAMPLES[1][0])
    assert len(table_rows(page)) == len(select_json(live_server, example_query(EXAMPLES[1][0])))


@RERUN_RENDERER_CRASH
def test_an_error_is_said_plainly(page, live_server: str) -> None:
    page.goto(live_server + "/sparql", wait_until="load")
    run_query(page, SERVICE)
    failure = page.inner_text(".tabPanel.active .query-failure")
    refused = httpx.post(live_server + "/sparql", data={"query": SERVICE}, timeout=HTTP_TIMEOUT_S)
    error = refused.json()["error"]
    assert error["code"] in failure and error["message"] in failure and "{" not in failure.splitlines()[0]
    run_query(page, "SELECT ?x WHERE { ?x nope:thing 1 }")
    assert "nope" in page.inner_text(".tabPanel.active .query-failure")


def type_in_new_query(page, live_server: str, text: str) -> None:
    """Open the page, empty the editor and type ``text`` into it, key by key."""
    page.goto(live_server + "/sparql", wait_until="load")
    page.evaluate(f"{EDITOR}.setValue('')")
    page.click(".tabPanel.active .yasqe .CodeMirror")
    page.keyboard.type(text)


@RERUN_RENDERER_CRASH
def test_prefixes_complete_from_the_page(page, live_server: str) -> None:
    type_in_new_query(page, live_server, "SELECT * WHERE { ?p foaf:")
    page.wait_for_function(f"{EDITOR}.getValue().includes('PREFIX foaf:')", timeout=WAIT_MS)
    assert "PREFIX foaf: <http://xmlns.com/foaf/0.1/>" in editor_text(page)


@RERUN_RENDERER_CRASH
def test_a_pasted_query_gets_its_prefix_lines(page, live_server: str) -> None:
    pasted = 'SELECT * WHERE { ?area a ietf:Area ; skos:notation "sec" }'
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    type_in_new_query(page, live_server, "")
    page.evaluate("text => navigator.clipboard.writeText(text)", pasted)
    page.keyboard.press("Control+V")
    page.wait_for_function(f"{EDITOR}.getValue().endsWith({pasted!r})", timeout=WAIT_MS)
    prefix_lines, _, query = editor_text(page).rpartition("\n")
    assert sorted(prefix_lines.splitlines()) == sorted(with_prefixes(pasted).splitlines()[:-1])
    assert page.query_selector_all(".parseErrorIcon") == []
    run_query(page, editor_text(page))
    assert [row[0] for row in table_rows(page)] == ["group:sec"]


HINTS = ".CodeMirror-hints li"  # the open completion list's entries


def hints(page) -> list[str]:
    page.wait_for_selector(HINTS, timeout=WAIT_MS)
    return page.eval_on_selector_all(HINTS, "ls => ls.map(l => l.textContent)")  # type: ignore[no-any-return]


def pick_the_one_hint(page, typed: str) -> None:
    """Type ``typed``, wait until the list holds one entry and was made for the text as it now
    stands, and take it. (YASQE completes asynchronously: a list still showing from an earlier
    keystroke takes the Enter and is then replaced, and the pick is lost.)"""
    page.keyboard.type(typed)
    page.wait_for_function(
        f"""() => {{ const editor = {EDITOR}, shown = editor.state.completionActive, data = shown && shown.data;
                 const cursor = editor.getCursor();
                 return !!data && data.list.length === 1 && document.querySelectorAll('{HINTS}').length === 1
                        && cursor.line === data.to.line && cursor.ch === data.to.ch; }}""",
        timeout=WAIT_MS,
    )
    page.keyboard.press("Enter")


def store_terms(live_server: str, pattern: str) -> list[str]:
    """The ietf: terms in the store at ``?term`` of ``pattern``, as the endpoint answers them."""
    query = f"SELECT DISTINCT ?term WHERE {{ {pattern} FILTER(STRSTARTS(STR(?term), STR(ietf:))) }}"
    found = [b["term"]["value"] for b in select_json(live_server, query)]
    return sorted("ietf:" + iri.removeprefix(ONTOLOGY_NS) for iri in found)


@RERUN_RENDERER_CRASH
def test_classes_and_properties_complete_from_the_store(page, live_server: str) -> None:
    type_in_new_query(page, live_server, "SELECT * WHERE { ?rfc ietf:")
    properties = store_terms(live_server, "[] ?term []")
    assert "ietf:rfcNumber" in properties and hints(page) == properties[:100]  # YASQE shows 100 at most
    pick_the_one_hint(page, "rfcNu")
    page.keyboard.type(" 8446 ; a ietf:")
    classes = store_terms(live_server, "[] a ?term")
    assert "ietf:RFC" in classes and hints(page) == classes
    # the list closes, and Ctrl-Space opens it again
    page.keyboard.press("Escape")
    page.wait_for_selector(".CodeMirror-hints", state="detached", timeout=WAIT_MS)
    page.keyboard.press("Control+Space")
    assert hints(page) == classes
    pick_the_one_hint(page, "RF")
    page.keyboard.type(" }")
    query = editor_text(page)
    assert query.endswith("SELECT * WHERE { ?rfc ietf:rfcNumber 8446 ; a ietf:RFC }"), query
    run_query(page, query)
    assert len(table_rows(page)) == 1
    assert page.inner_text(".tabPanel.active .yasr tbody a.entity") == "doc:rfc8446"


def test_the_page_loads_local_assets_and_the_examples(live_server: str) -> None:
    html = httpx.get(live_server + "/sparql", headers={"Accept": "text/html"}, timeout=HTTP_TIMEOUT_S)
    assets = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html.text)
    assert len(assets) == 4 and all(a.startswith("/static/") for a in assets), assets
    for asset in assets:
        assert httpx.get(live_server + asset, timeout=HTTP_TIMEOUT_S).status_code == 200, asset
    for name, title in (*EXAMPLES, *README_EXAMPLES):
        assert f'data-example="{name}"' in html.text and title in html.text


def test_a_browsers_query_link_gets_the_page_and_a_client_gets_results(live_server: str) -> None:
    params = {"query": ONE_RFC}
    navigation = {"Accept": "text/html,*/*;q=0.8"}
    browser_like = httpx.get(live_server + "/sparql", params=params, headers=navigation, timeout=HTTP_TIMEOUT_S)
    assert browser_like.headers["content-type"].startswith("text/html") and "ietfkgYasgui" not in browser_like.text
    assert 'id="yasgui"' in browser_like.text
    client = httpx.get(live_server + "/sparql", params=params, timeout=HTTP_TIMEOUT_S)
    assert client.headers["content-type"].startswith("application/sparql-results+json")
    download = httpx.get(
        live_server + "/sparql", params={**params, "format": "csv"}, headers=navigation, timeout=HTTP_TIMEOUT_S
    )
    assert download.headers["content-type"].startswith("text/csv")


def test_the_bundle_fetches_from_no_cdn() -> None:
    """YASR's chart and pivot plugins load libraries from CDNs: the build served here has none,
    and the only other hosts YASGUI asks (prefix.cc, LOV, for completions) are replaced by the page."""
    bundle = BUNDLE.read_text("utf-8")
    for cdn in ("cdn.", "unpkg.com", "jsdelivr", "cdnjs", "googleapis", "gstatic", "cloudflare"):
        assert cdn not in bundle, cdn
    assert not re.search(r"""(?:fetch|addScript|addCSS)\(\s*["'`]https?:""", bundle)
    plugins = set(re.findall(r"registerPlugin\([\"'`](\w+)", bundle))
    assert "table" in plugins and plugins.isdisjoint({"chart", "pivot", "geo", "gchart"}), plugins
    page_script = (ROOT / "api" / "static" / "sparql" / "sparql.js").read_text("utf-8")
    assert "prefix.cc" in bundle and "lov.linkeddata.es" in bundle  # what the page must override
    assert 'Autocompleters.prefixes, {get: prefixLines}' in page_script
    # LOV's class and property completers are replaced by the store's terms, on the page
    assert 'storeTerms("class", settings.terms.classes)' in page_script
    assert 'storeTerms("property", settings.terms.properties)' in page_script


def test_the_readmes_questions_are_the_pages_examples() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("### Questions the graph answers", 1)[1].split("\n## ", 1)[0]
    asked = re.findall(r'\.venv/bin/ietfkg query "(.*?)"\n', section, flags=re.DOTALL)

    def words(text: str) -> str:
        return " ".join(word for line in text.splitlines() if not line.startswith("#") for word in line.split())

    offered = {words(load(name)) for name, _ in README_EXAMPLES}
    assert len(asked) == len(README_EXAMPLES) and {words(q) for q in asked} == offered
