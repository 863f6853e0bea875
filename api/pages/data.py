"""The "data" view of an entity: every statement in and out, with the named graph it comes from."""

from __future__ import annotations

from typing import Any

from pyoxigraph import Triple

from ietfkg.api.pages.page import Page
from ietfkg.graph import exports
from ietfkg.graph.backends import Rows

TEMPLATE = "data.html"
MAX_LINKS_IN = 2000
MAX_LINKS_OUT = 5000


async def statements(page: Page) -> tuple[Rows, Rows]:
    """The statements about the entity and those pointing at it."""
    return await page.terms("entity_out", MAX_LINKS_OUT), await page.terms("entity_in", MAX_LINKS_IN)


def triples(page: Page, out: Rows, into: Rows) -> list[Triple]:
    found = {Triple(page.iri, r[1], r[2]) for r in out.rows} | {Triple(r[1], r[2], page.iri) for r in into.rows}
    return sorted(found, key=str)


def context(page: Page, out: Rows, into: Rows) -> dict[str, Any]:
    value = page.link.value
    return {
        "out": [(value(r[1]), value(r[2], r[4]), value(r[3])) for r in out.rows],
        "out_truncated": out.truncated,
        "into": [(value(r[1], r[4]), value(r[2]), value(r[3])) for r in into.rows],
        "into_truncated": into.truncated,
        "max_in": MAX_LINKS_IN,
        "max_out": MAX_LINKS_OUT,
        "formats": [(f.name, f.media_type) for f in exports.FORMATS if f.kind == "rdf" and f.holds_triples],
    }
