"""The page of a protocol: its name, the RFCs that define and mention it, the groups behind it."""

from __future__ import annotations

from typing import Any

from ietfkg.api.pages.page import Page
from ietfkg.schema.vocabulary_table import BY_PREDICATE

TEMPLATE = "protocol.html"


async def context(page: Page) -> dict[str, Any] | None:
    protocol = (await page.rows("page_protocol")).first()
    if not protocol:
        return None
    rfcs = await page.rows("page_protocol_rfcs")
    groups = await page.rows("page_protocol_groups")
    by_link: dict[str, list] = {}
    for r in rfcs.rows:
        label = BY_PREDICATE[r["link"]].heading(False)
        by_link.setdefault(label, []).append({**r, "value": page.named(r["doc"], r["notation"])})
    return {
        "title": protocol["acronym"] or protocol["name"] or page.key,
        "protocol": protocol,
        "rfcs": list(by_link.items()),
        "rfcs_truncated": rfcs.truncated,
        "groups": [page.named(r["group"], r["name"] or r["acronym"]) for r in groups.rows],
    }
