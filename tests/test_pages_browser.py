"""Entity pages in headless Chromium: what a person reads on each page kind.

Opens a group, an area, a person, an RFC and a protocol as a browser would and checks the
rendered text (names, titles, dates; no IRIs or ontology terms; no line twice), that the
sources stay folded until asked for, and that nothing is fetched from another host except a
person's photo, which the power-map data links at www.ietf.org (read from the store here).
Screenshots go to tests/artifacts/; with IETFKG_UPDATE_DOCS=1 they replace the README's in docs/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser import RERUN_RENDERER_CRASH, browser  # noqa: F401 - browser is a fixture

pytestmark = [pytest.mark.browser, RERUN_RENDERER_CRASH]

ARTIFACTS = Path(__file__).parent / "artifacts"
DOCS = Path(__file__).parent.parent / "docs"

# path -> lines a reader finds there, each exactly once (checked against the sources' records:
# IESG roll calls for the AD tenure, the RFC Editor's JSON for RFC 8446)
PAGES = {
    "group/tls": ["Transport Layer Security", "Security Area", "RFC 8446 — The Transport Layer Security (TLS) Protocol Version 1.3"],
    "group/sec": ["Kathleen Moriarty — Area Director, from 2015-04-23 to 2017-03-16"],
    "person/104851": ["Security Area — Area Director, from 2015-04-23 to 2017-03-16", "RFC 8996 — Deprecating TLS 1.0 and TLS 1.1"],
    "doc/rfc8446": ["Published 2018-08", "Eric Rescorla", "RFC 5246 — The Transport Layer Security (TLS) Protocol Version 1.2"],
    "protocol/tls": ["Defined by (4)", "RFC 2246 — The TLS Protocol Version 1.0"],
}


@pytest.fixture(scope="module")
def photos(store_root: Path) -> set[str]:
    from ietfkg.graph.oxigraph_backend import OxigraphBackend
    from ietfkg.graph.store_dir import StoreDir

    backend = OxigraphBackend.open(StoreDir(store_root).current())
    return {row[0].value for row in backend.select("SELECT DISTINCT ?img WHERE { ?p foaf:img ?img }").rows}


@pytest.mark.parametrize("path", list(PAGES))
def test_page_reads_as_a_summary(browser, live_server: str, photos: set[str], path: str) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server) else None)
    # nothing may reach another host: aborted, and only a source's photo is allowed to be asked for
    page.route(lambda url: not url.startswith(live_server), lambda route: route.abort())
    try:
        page.goto(f"{live_server}/{path}", wait_until="load")
        for summary in page.query_selector_all("article details:not([open]) > summary"):
            summary.click()  # unfold "Before (n)" as a reader would
        article = page.inner_text("article")
        lines = [line.strip() for line in article.splitlines() if line.strip()]
        for expected in PAGES[path]:
            assert sum(expected in line for line in lines) >= 1, (expected, article[:2000])
        assert "https://ietf-kg.example/" not in article and "ietf:" not in article and "org:" not in article
        repeated = {line for line in lines if lines.count(line) > 1 and len(line) > 20}
        assert not repeated, repeated
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / f"page-{path.replace('/', '-')}.png"
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(shot))
        if os.environ.get("IETFKG_UPDATE_DOCS") and path in ("group/sec", "doc/rfc8446"):
            shutil.copyfile(shot, DOCS / shot.name)
        assert not page.is_visible("details.sources ul.derived")  # provenance folded away
        page.click("details.sources summary")
        assert page.is_visible("details.sources")
        assert "Stated in the named graphs" in page.inner_text("details.sources")
        height = page.evaluate("document.documentElement.scrollHeight")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1200, width  # nothing pushes the page sideways
    finally:
        page.close()
    assert set(outside) <= photos, outside
    assert height > 0


def test_person_photo_is_an_image(browser, live_server: str, photos: set[str]) -> None:
    page = browser.new_page()
    page.route(lambda url: not url.startswith(live_server), lambda route: route.abort())
    try:
        page.goto(f"{live_server}/person/104851", wait_until="domcontentloaded")
        src = page.get_attribute("img.photo", "src")
        alt = page.get_attribute("img.photo", "alt")
    finally:
        page.close()
    assert src in photos and alt == "Photo of Kathleen Moriarty"
