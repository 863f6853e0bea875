"""Every HTML page the app serves shows hostile data as text, never as markup.

One server on a store made of the hand-made hostile fixtures (labels, names,
titles and source descriptions that are HTML and script). Each page is checked
two ways: no hostile value appears raw, and the entity's own hostile values do
appear, escaped (so the check cannot pass by showing nothing).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from markupsafe import escape
from pyoxigraph import Literal, RdfFormat, parse

from ietfkg.api.settings import Settings
from tests.conftest import FIXTURES, fixture_store, serve_app

BASE = "https://ietf-kg.example/"
HOSTILE = [FIXTURES / name for name in ("hostile.trig", "viz_script_names.trig", "hostile_sources.trig")]
MARKUP = [  # markup that must never reach a page as markup
    re.compile(r"<(?:img|iframe|svg|b|marquee|i)\b[^>]*(?:\bon\w+=|src=x|>many|>2022|>bold)", re.IGNORECASE),
    re.compile(r"<script>[^<]*(?:alert\(|__xss)", re.IGNORECASE),
    re.compile(r"<iframe\b", re.IGNORECASE),
    re.compile(r"""href=["']?\s*javascript:""", re.IGNORECASE),
]
ENTITIES = [
    "group/evil", "person/mallory", "role/curated/evil/chair/mallory/2024-01-01", "group/x-script",
    "person/x-img", "doc/rfc99999", "role/curated/x-script/chair/x-img/2020-01-01", "group/sec", "graph/curated",
]


def hostile_values() -> set[str]:
    """Every literal of the fixtures that holds markup."""
    values = set()
    for path in HOSTILE:
        for quad in parse(path=str(path), format=RdfFormat.TRIG):
            if isinstance(quad.object, Literal) and "<" in quad.object.value:
                values.add(quad.object.value)
    return values


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = fixture_store(tmp_path_factory.mktemp("xss"), *HOSTILE)
    with serve_app(Settings(store=str(root), backend="oxigraph", base=BASE)) as url:
        yield url


def html_page(url: str) -> str:
    response = httpx.get(url, headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html"), url
    return response.text


def assert_no_markup(page: str, where: str) -> None:
    for value in hostile_values():
        assert value not in page, f"{value!r} unescaped on {where}"
    for pattern in MARKUP:
        assert not pattern.search(page), f"{pattern.search(page).group(0)!r} on {where}"


@pytest.mark.parametrize("path", ENTITIES)
def test_entity_pages_escape_hostile_values(hostile_server: str, path: str) -> None:
    page = html_page(f"{hostile_server}/{path}")
    assert_no_markup(page, path)
    own = {
        q.object.value
        for file in HOSTILE
        for q in parse(path=str(file), format=RdfFormat.TRIG)
        if q.subject.value == BASE + path and isinstance(q.object, Literal) and "<" in q.object.value
    }
    for value in own:
        assert str(escape(value)) in page, f"{value!r} not shown (escaped) on {path}"


def test_home_page_escapes_source_descriptions(hostile_server: str) -> None:
    page = html_page(hostile_server + "/")
    assert_no_markup(page, "/")
    for value in ('<svg onload="window.__xss=5">', "Curated</td><script>window.__xss=6</script>",
                  "<marquee>2022</marquee>", "<i>many</i>"):
        assert str(escape(value)) in page
    assert f'<a href="{hostile_server}/graph/curated">' in page  # the source links to its graph's page


@pytest.mark.parametrize("path", ["/sparql", "/graphql", "/viz"])
def test_tool_pages_carry_no_hostile_markup(hostile_server: str, path: str) -> None:
    assert_no_markup(html_page(hostile_server + path), path)


def test_viz_data_is_json_and_drawn_as_text(hostile_server: str) -> None:
    # the viz page draws labels from GraphQL's JSON (never HTML), and its script never parses strings as HTML
    query = '{ node(id: "group/x-script") { ... on Group { acronym name } } }'
    response = httpx.post(hostile_server + "/graphql", json={"query": query}, timeout=30)
    assert response.headers["content-type"] == "application/json"
    assert response.json()["data"]["node"]["acronym"] == "<script>window.__xss=1</script>"
    script = (Path(__file__).parent.parent / "api" / "static" / "viz" / "viz.js").read_text()
    assert "textContent" in script
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", script)


def test_reflected_input_is_never_html(hostile_server: str) -> None:
    # what a request says comes back as text: escaped in a browser's HTML error page, JSON for an API client
    for url in (f"{hostile_server}/group/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                f"{hostile_server}/sparql?format=json&query=%3Cscript%3Ealert(1)%3C%2Fscript%3E"):
        response = httpx.get(url, headers={"Accept": "text/html"}, timeout=30)
        assert response.status_code in (400, 404) and response.headers["content-type"].startswith("text/html")
        assert "<script>alert" not in response.text
        api = httpx.get(url, headers={"Accept": "application/json"}, timeout=30)
        assert api.status_code == response.status_code and api.headers["content-type"] == "application/json"
        if "<script>alert(1)" in api.json()["error"]["message"]:  # reflected: shown escaped to the browser
            assert "&lt;script&gt;alert(1)" in response.text
    # a browser's /sparql?query= link opens the query page, whose script puts the query into the
    # editor as text: the server's HTML never carries it
    hostile = f"{hostile_server}/sparql?query=%3Cscript%3Ealert(1)%3C%2Fscript%3E"
    shared = httpx.get(hostile, headers={"Accept": "text/html"}, timeout=30)
    assert shared.status_code == 200 and 'id="yasgui"' in shared.text and "alert(1)" not in shared.text
    api = httpx.get(hostile, timeout=30)
    assert api.status_code == 400 and api.headers["content-type"] == "application/json"
