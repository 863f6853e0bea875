"""The offline GraphQL explorer: GraphiQL served from api/static/vendor, driven by headless Chromium."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.browser import RERUN_RENDERER_CRASH, launch, text_once_shown
from tests.timeouts import HTTP_TIMEOUT_S


def test_explorer_page_is_offline(live_server: str) -> None:
    page = httpx.get(live_server + "/graphql", headers={"accept": "text/html"}, timeout=HTTP_TIMEOUT_S)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert "/static/vendor/graphiql/graphiql.min.js" in sources
    assert all(s.startswith("/static/vendor/") for s in sources), sources
    for src in sources:
        asset = httpx.get(live_server + src, timeout=HTTP_TIMEOUT_S)
        assert asset.status_code == 200 and len(asset.content) > 1000, src
    assert "query SecurityArea" in page.text and "query Path" in page.text and "query TimeTravel" in page.text


@pytest.mark.browser
@RERUN_RENDERER_CRASH
def test_explorer_runs_a_query_in_chromium(live_server: str) -> None:
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page()
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server) else None)
            page.goto(live_server + "/graphql", wait_until="load")
            page.wait_for_selector(".graphiql-execute-button", timeout=30_000)
            text_once_shown(page, ".graphiql-query-editor", "SecurityArea", 30_000)
            page.click(".graphiql-execute-button")
            result = text_once_shown(page, ".result-window", "Security Area", 60_000)
        finally:
            browser.close()
    assert '"workingGroups"' in result and '"acronym"' in result
    assert outside == []
