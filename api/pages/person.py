"""The page of a person: name, photo, roles over time, documents, groups, frequent co-authors."""

from __future__ import annotations

from typing import Any

from ietfkg.api.pages.page import Page
from ietfkg.api.pages.roles import holdings
from ietfkg.schema.vocab import DCTERMS

TEMPLATE = "person.html"
SHOWN_COAUTHORS = 12


async def context(page: Page) -> dict[str, Any] | None:
    summary = (await page.rows("page_person")).first()
    if not summary:
        return None
    names = [r["name"] for r in (await page.rows("page_person_names")).rows if r["name"] != summary["name"]]
    roles = await holdings(page)
    docs = await page.rows("page_documents_by", link=DCTERMS.creator)
    coauthors = await page.rows("page_coauthors", limit=SHOWN_COAUTHORS)
    groups = {h.group.href: h.group for h in roles if h.group is not None}
    photo = summary["photo"]
    return {
        "title": summary["name"] or page.key,
        "person": summary,
        "photo": photo if photo and photo.startswith("https://") else None,
        "names": names,
        "roles": roles,
        "groups": sorted(groups.values(), key=lambda v: v.text),
        "docs": [{**r, "value": page.named(r["doc"], r["notation"])} for r in docs.rows],
        "docs_truncated": docs.truncated,
        "coauthors": [(page.named(r["other"], r["name"]), r["shared"]) for r in coauthors.rows],
    }
