"""The page of a document (an RFC or a sub-series entry such as BCP 14)."""

from __future__ import annotations

from typing import Any

from ietfkg.api.pages.page import Page
from ietfkg.schema.vocab import rfc_editor_text
from ietfkg.schema.vocabulary_table import RELATION

TEMPLATE = "document.html"

# (predicate, outgoing) -> how the page reads the link, in the vocabulary table's order
RELATIONS = {
    (r.predicate.value, flag): r.heading(flag == "true")
    for r in (RELATION["obsoletes"], RELATION["updates"], RELATION["isPartOf"])
    for flag in ("true", "false")
}
PROTOCOL_LINKS = {r.predicate.value: r.heading(True) for r in (RELATION["definesProtocol"], RELATION["mentionsProtocol"])}


async def context(page: Page) -> dict[str, Any] | None:
    doc = (await page.rows("page_rfc")).first()
    if not doc:
        return None
    authors = await page.rows("page_rfc_people")
    relations = await page.rows("page_rfc_relations")
    protocols = await page.rows("page_rfc_protocols")
    linked: dict[str, list] = {}
    for r in relations.rows:
        label = RELATIONS[(r["relation"], r["outgoing"])]
        linked.setdefault(label, []).append({**r, "value": page.named(r["other"], r["notation"])})
    uses: dict[str, list] = {}
    for r in protocols.rows:
        uses.setdefault(PROTOCOL_LINKS[r["link"]], []).append(page.named(r["protocol"], r["acronym"] or r["name"]))
    number = doc["number"]
    return {
        "title": doc["notation"] or page.key,
        "doc": doc,
        "group": page.named(doc["group"], doc["groupName"]),
        "area": page.named(doc["area"], doc["areaName"]),
        "authors": [{**r, "value": page.named(r["person"], r["name"])} for r in authors.rows],
        "relations": [(label, linked[label]) for label in dict.fromkeys(RELATIONS.values()) if label in linked],
        "protocols": list(uses.items()),
        "rfc_editor": rfc_editor_text(int(number)) if number and number.isdecimal() else None,
    }
