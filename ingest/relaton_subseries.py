"""Relaton sub-series YAML (``data/BCP0014.yaml`` ...) -> ``SubSeriesRecord`` (pure).

A BCP, STD or FYI number is a stable name for a changing set of RFCs (BCP 14 is
RFC 2119 + RFC 8174). Relaton states that set as ``relation`` entries of type
``includes``; other relation types (none occur in the 2024-04 snapshot) are ignored
because they do not say which RFCs *are* the entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ietfkg.ingest.records import SourceInfo, SubSeriesRecord
from ietfkg.schema.errors import ParseError

SOURCE = "relaton-subseries"

INFO = SourceInfo(
    name=SOURCE,
    title="RFC sub-series (BCP, STD, FYI) in Relaton YAML",
    origin="github.com/relaton/relaton-data-rfcsubseries",
    snapshot_date="2024-04-01",
    files=("ingest/snapshot/relaton-rfcsubseries/rfcsubseries-yaml.tar.gz",),
    description="356 entries (231 BCP, 89 STD, 36 FYI) and the RFCs each includes.",
)

_DOCNUMBER = re.compile(r"^(BCP|STD|FYI) ?0*(\d+)$")
_RFC_ID = re.compile(r"^RFC ?0*(\d+)$")


def parse_subseries(doc: Mapping[str, Any], locator: str) -> SubSeriesRecord:
    """One relaton sub-series document as a ``SubSeriesRecord``; ``locator`` names it in errors.

    >>> parse_subseries({"docnumber": "BCP0014", "title": [{"content": "Best Current Practice 14"}],
    ...                  "link": [{"type": "src", "content": "https://www.rfc-editor.org/info/bcp14"}],
    ...                  "relation": [{"type": "includes", "bibitem": {"docnumber": "RFC2119"}},
    ...                               {"type": "includes", "bibitem": {"id": "RFC8174"}}]}, "BCP0014.yaml")
    SubSeriesRecord(series='BCP', number=14, title='Best Current Practice 14', rfcs=(2119, 8174), \
evidence=('https://www.rfc-editor.org/info/bcp14',))
    """
    if not isinstance(doc, Mapping):
        raise ParseError(SOURCE, locator, f"expected a mapping, got {type(doc).__name__}")
    series, number = _series_number(doc, locator)
    return SubSeriesRecord(
        series=series,
        number=number,
        title=_title(doc, locator),
        rfcs=_included_rfcs(doc, locator),
        evidence=_src_links(doc, locator),
    )


def _series_number(doc: Mapping[str, Any], locator: str) -> tuple[str, int]:
    docnumber = doc.get("docnumber")
    match = _DOCNUMBER.match(docnumber.strip()) if isinstance(docnumber, str) else None
    if match is None:
        raise ParseError(SOURCE, locator, f"docnumber is not BCP/STD/FYI nnnn: {docnumber!r}")
    return match.group(1), int(match.group(2))


def _title(doc: Mapping[str, Any], locator: str) -> str | None:
    titles = _list(doc, "title", locator)
    content = titles[0].get("content") if titles and isinstance(titles[0], Mapping) else None
    return (content.strip() or None) if isinstance(content, str) else None


def _included_rfcs(doc: Mapping[str, Any], locator: str) -> tuple[int, ...]:
    numbers: list[int] = []
    for relation in _list(doc, "relation", locator):
        if not isinstance(relation, Mapping) or relation.get("type") != "includes":
            continue
        bibitem = relation.get("bibitem")
        if not isinstance(bibitem, Mapping):
            raise ParseError(SOURCE, locator, "an includes relation has no bibitem")
        number = _rfc_number(bibitem.get("docnumber")) or _rfc_number(bibitem.get("id"))
        if number is not None:
            numbers.append(number)
    return tuple(dict.fromkeys(numbers))


def _rfc_number(value: Any) -> int | None:
    match = _RFC_ID.match(value.strip()) if isinstance(value, str) else None
    return int(match.group(1)) if match else None


def _src_links(doc: Mapping[str, Any], locator: str) -> tuple[str, ...]:
    return tuple(
        link["content"].strip()
        for link in _list(doc, "link", locator)
        if isinstance(link, Mapping) and link.get("type") == "src" and isinstance(link.get("content"), str)
    )


def _list(doc: Mapping[str, Any], key: str, locator: str) -> list[Any]:
    value = doc.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ParseError(SOURCE, locator, f"{key} is {type(value).__name__}, expected a list")
    return value
