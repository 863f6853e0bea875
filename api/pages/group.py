"""The page of a group: what it is, where it sits, who leads it, what it produced."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from ietfkg.api.pages.page import Page
from ietfkg.api.pages.roles import holdings
from ietfkg.schema.vocab import IETF

TEMPLATE = "group.html"


async def context(page: Page) -> dict[str, Any] | None:
    summary = (await page.rows("page_group")).first()
    if not summary:
        return None
    parents = await page.rows("page_group_parents")
    children = await page.rows("page_group_children")
    roles = await holdings(page)
    docs = await page.rows("page_documents_by", link=IETF.producedBy)
    protocols = await page.rows("page_group_protocols")
    return {
        "title": summary["name"] or summary["acronym"] or page.key,
        "group": summary,
        "parents": [page.named(r["parent"], r["name"] or r["acronym"]) for r in parents.rows],
        "children": [{**r, "value": page.named(r["child"], r["acronym"] or r["name"])} for r in children.rows],
        "current": [h for h in roles if h.current],
        "past": [h for h in roles if not h.current],
        "docs_by_year": [
            (year, [{**r, "value": page.named(r["doc"], r["notation"])} for r in rows])
            for year, rows in groupby(docs.rows, key=lambda r: r["year"] or "year unknown")
        ],
        "docs_count": len(docs.rows),
        "docs_truncated": docs.truncated,
        "protocols": [page.named(r["protocol"], r["acronym"] or r["name"]) for r in protocols.rows],
    }
