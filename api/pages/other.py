"""The page of any other entity (a membership, a source graph): its statements once each, labelled."""

from __future__ import annotations

from typing import Any

from ietfkg.api.pages.links import Value
from ietfkg.api.pages.page import Page, text
from ietfkg.graph.exports import curie

TEMPLATE = "other.html"
TITLES = ("title", "name", "label")


async def context(page: Page) -> dict[str, Any] | None:
    types = await page.rows("page_types")
    statements = await page.terms("page_statements")
    rows: dict[str, list[Value]] = {}
    for _, p, plabel, o, olabel in statements.rows:
        rows.setdefault(text(plabel) or curie(p.value), []).append(page.link.value(o, olabel))
    title = next((values[0].text for label in TITLES for values in [rows.get(label)] if values), None)
    return {
        "title": title or page.key,
        "types": [r["label"] or curie(r["class"]) for r in types.rows],
        "statements": list(rows.items()),
        "truncated": statements.truncated,
    }
