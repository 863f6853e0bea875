"""Driving the SPARQL page's YASGUI in Chromium (tests/test_sparql_page.py, tests/test_sparql_limits.py)."""

from __future__ import annotations

from typing import Any

from tests.timeouts import HTTP_TIMEOUT_S

EDITOR = "document.querySelector('.tabPanel.active .yasqe .CodeMirror').CodeMirror"  # the open tab's YASQE
WAIT_MS = HTTP_TIMEOUT_S * 1000  # a safety stop for a page that never answers, not a timing assertion


def run_query(page: Any, query: str) -> None:
    """Put ``query`` into the open tab's editor, press its run button, wait until YASR drew the answer."""
    page.wait_for_selector(".yasqe .CodeMirror", timeout=WAIT_MS)
    page.evaluate(f"q => {EDITOR}.setValue(q)", query)
    # a function that returns nothing: evaluate would otherwise wait for the promise itself
    page.evaluate("() => { window.drawn = new Promise(done => ietfkgYasgui.getTab().getYasr().once('drawn', done)); }")
    page.click(".tabPanel.active .yasqe_queryButton")
    page.wait_for_function("window.drawn.then(() => true)", timeout=WAIT_MS)


def editor_text(page: Any) -> str:
    return page.evaluate(f"{EDITOR}.getValue()")  # type: ignore[no-any-return]


def table_rows(page: Any) -> list[list[str]]:
    """The cells of the result table's rows (the row number column left out)."""
    return page.evaluate(  # type: ignore[no-any-return]
        """Array.from(document.querySelectorAll('.tabPanel.active .yasr tbody tr')).map(
             tr => Array.from(tr.querySelectorAll('td')).slice(1).map(td => td.innerText.trim()))"""
    )
