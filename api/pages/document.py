"""The page of a document (an RFC or a sub-series entry such as BCP 14)."""

from __future__ import annotations

from typing import Any

from ietfkg.api.pages.page import Page
from ietfkg.schema.vocab import DCTERMS, IETF, rfc_editor_text

TEMPLATE = "document.html"

# (predicate, outgoing) -> how the page reads the link
RELATIONS = {
    (IETF.obsoletes.value, "true"): "Obsoletes",
    (IETF.obsoletes.value, "false"): "Obsoleted by",
    (IETF.updates.value, "true"): "Updates",
    (IETF.updates.value, "false"): "Updated by",
    (DCTERMS.isPartOf.value, "true"): "Part of",
    (DCTERMS.isPartOf.value, "false"): "Contains",
}
PROTOCOL_LINKS = {IETF.definesProtocol.value: "Defines", IETF.mentionsProtocol.value: "Mentions"}


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
