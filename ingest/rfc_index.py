"""The RFC Editor's full index ``rfc-index.xml`` -> ``RfcRecord`` with wg/area/stream (pure).

Why this source: one document lists every RFC with what the per-RFC JSON lacks
or states only as a name: the producing WG's *acronym* (``wg_acronym``), its
``area`` and the publication ``stream``. The per-RFC JSON (``rfc_editor.parse_rfc``)
adds the WG name (``source``) and ``pub_status``; ``merge`` joins the two.

Shape (namespace ``https://www.rfc-editor.org/rfc-index``): ``<rfc-index>`` holds
``<rfc-entry>`` elements with ``doc-id`` (``RFC8446``), ``title``, ``author/name``,
``date/month`` + ``date/year``, ``keywords/kw``, ``abstract/p``, ``draft``,
``obsoletes/doc-id``, ``obsoleted-by/doc-id``, ``updates/doc-id``,
``updated-by/doc-id``, ``see-also/doc-id``, ``current-status``, ``publication-status``, ``stream``,
``area``, ``wg_acronym``, ``errata-url``, ``doi``, ``page-count``. ``bcp-entry``,
``std-entry`` and ``rfc-not-issued-entry`` elements are not RFCs and are skipped.

Errors: a document that is not XML or has no ``rfc-index`` root raises
``ParseError``; a bad entry goes to ``on_error`` (or raises without one).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace

from ietfkg.ingest import rfc_editor
from ietfkg.ingest.parsing import OnError
from ietfkg.ingest.records import RfcRecord
from ietfkg.schema.errors import ParseError

SOURCE = rfc_editor.SOURCE
NS = "{https://www.rfc-editor.org/rfc-index}"
# wg_acronym values that name no working group.
_NO_WG = frozenset({"none", "non working group", "iesg", "iab", "irtf", "ise", "legacy"})


def parse_index(xml: bytes, locator: str, on_error: OnError | None = None) -> Iterator[RfcRecord]:
    """One ``RfcRecord`` per ``rfc-entry``; ``locator`` (the index URL) names errors and evidence."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise ParseError(SOURCE, locator, f"malformed XML: {exc}") from exc
    if root.tag not in (f"{NS}rfc-index", "rfc-index"):
        raise ParseError(SOURCE, locator, f"root element is {root.tag!r}, not rfc-index")
    ns = NS if root.tag.startswith(NS) else ""
    for index, entry in enumerate(root.iter(f"{ns}rfc-entry")):
        try:
            yield parse_entry(entry, ns, f"{locator}#{index}", locator)
        except ParseError as err:
            if on_error is None:
                raise
            on_error(err)


def parse_entry(entry: ET.Element, ns: str, where: str, index_url: str) -> RfcRecord:
    def qualified(path: str) -> str:
        return "/".join(ns + step for step in path.split("/"))

    def text(path: str) -> str | None:
        found = entry.find(qualified(path))
        value = " ".join("".join(found.itertext()).split()) if found is not None else ""
        return value or None

    def texts(path: str) -> list[str]:
        return [" ".join("".join(e.itertext()).split()) for e in entry.findall(qualified(path))]

    doc = {
        "doc_id": text("doc-id"),
        "title": text("title"),
        "authors": [a for a in texts("author/name") if a],
        "status": text("current-status"),
        "pub_status": text("publication-status"),
        "draft": text("draft"),
        "pub_date": " ".join(p for p in (text("date/month"), text("date/year")) if p) or None,
        "keywords": texts("keywords/kw"),
        "obsoletes": texts("obsoletes/doc-id"),
        "obsoleted_by": texts("obsoleted-by/doc-id"),
        "updates": texts("updates/doc-id"),
        "updated_by": texts("updated-by/doc-id"),
        "see_also": texts("see-also/doc-id"),
        "doi": text("doi"),
        "abstract": "\n\n".join(texts("abstract/p")) or None,
        "page_count": text("page-count"),
        "errata_url": text("errata-url"),
    }
    record = rfc_editor.parse_rfc(doc, where)
    wg = (text("wg_acronym") or "").lower()
    area = (text("area") or "").lower()
    return replace(
        record,
        wg=None if not wg or wg in _NO_WG else wg,
        area=area or None,
        stream=text("stream"),
        evidence=(index_url,),
    )


def merge(index: RfcRecord, json: RfcRecord | None) -> RfcRecord:
    """The index entry completed by the per-RFC JSON (WG name, pub_status, evidence).

    The index is newer for what changes after publication (status, obsoleted-by,
    updated-by, errata), so its values win; the JSON fills what the index lacks.

    >>> i = RfcRecord(8446, "The TLS Protocol Version 1.3", status="PROPOSED STANDARD", wg="tls")
    >>> j = RfcRecord(8446, "The TLS Protocol Version 1.3", source="Transport Layer Security",
    ...               evidence=("https://www.rfc-editor.org/rfc/rfc8446.json",))
    >>> m = merge(i, j)
    >>> m.wg, m.source, m.status, m.evidence
    ('tls', 'Transport Layer Security', 'PROPOSED STANDARD', ('https://www.rfc-editor.org/rfc/rfc8446.json',))
    """
    if json is None:
        return index
    return replace(
        index,
        authors=index.authors or json.authors,
        source=index.source or json.source,
        pub_status=index.pub_status or json.pub_status,
        published=index.published or json.published,
        abstract=index.abstract or json.abstract,
        keywords=index.keywords or json.keywords,
        obsoletes=tuple(dict.fromkeys([*index.obsoletes, *json.obsoletes])),
        updates=tuple(dict.fromkeys([*index.updates, *json.updates])),
        see_also_series=index.see_also_series or json.see_also_series,
        page_count=index.page_count if index.page_count is not None else json.page_count,
        doi=index.doi or json.doi,
        evidence=tuple(dict.fromkeys([*json.evidence, *index.evidence])),
    )
