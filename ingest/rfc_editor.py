"""RFC Editor per-RFC JSON (``/rfc/rfcNNNN.json``) -> ``RfcRecord`` (pure).

The upstream objects are mostly clean, but the bundled snapshot (9,506 RFCs) shows
a few habits this parser undoes, so that ``None`` means absent and values compare:

* text fields carry stray whitespace (``"Not Issued "``, ``" draft-ietf-pim-dm-new-v2-05"``,
  abstracts of ``"  "``, titles wrapped with ``"\\r\\n"`` or tabs); everything is stripped, titles
  and authors are put on one line, and empty means ``None``;
* relation lists mix ``"RFC5246"``, ``" RFC5246"`` and pre-RFC ids (``"NIC 7104"``,
  ``"IEN 116"``, ``"RTR 3"``); only RFC numbers are kept;
* ``pub_date`` is ``"August 2018"``, ``"1 April 2011"`` (April 1st RFCs), ``"November -0001"``
  or null; and ``"January 1970"`` (the Unix epoch) is a placeholder on NOT ISSUED numbers and
  on thirteen real RFCs 8694-8998. It is trusted only for the genuine 1970 RFCs (below 100);
* the author list sometimes splits a suffix off into its own entry (``["P. Nesser", "II"]``,
  ``["J. Hilgeman", "Chair"]``); the suffix is joined back (``"P. Nesser, II"``) so that
  every entry names one author.

``published`` is ``"YYYY-MM"`` for every RFC, the granularity the RFC Editor states; the day
of the April 1st RFCs is dropped to keep one precision across the series.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ietfkg.ingest.records import RfcRecord, SourceInfo
from ietfkg.schema.errors import ParseError

SOURCE = "rfc-editor"

INFO = SourceInfo(
    name=SOURCE,
    title="RFC Editor per-RFC JSON (rfcNNNN.json)",
    origin="github.com/altf4arnold/rfc (copies of https://www.rfc-editor.org/rfc/rfcNNNN.json)",
    snapshot_date="2024-01-06",
    files=("ingest/snapshot/rfc-editor/rfc-json.tar.gz",),
    description="9,506 RFC numbers, RFC 1 to RFC 9552: titles, authors, status, WG, dates and relations.",
)

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("january", "february", "march", "april", "may", "june", "july",
         "august", "september", "october", "november", "december"),
        start=1,
    )
}
_PUB_DATE = re.compile(r"^(?:(\d{1,2}) )?([A-Za-z]+) (\d{4})$")
_RFC_REF = re.compile(r"^RFC ?0*(\d+)$")
_DOC_ID = re.compile(r"^RFC0*(\d+)$")
_SERIES_REF = re.compile(r"^(BCP|STD|FYI) ?0*(\d+)$")
# Entries the upstream split off the preceding author ("P. Nesser, II" -> "P. Nesser", "II").
_SPLIT_SUFFIXES = frozenset({"II", "III", "IV", "Jr.", "Sr.", "Ed.", "Chair", "WG Chair"})


def parse_rfc(doc: Mapping[str, Any], locator: str) -> RfcRecord:
    """One RFC Editor JSON object as an ``RfcRecord``; ``locator`` names it in errors.

    >>> r = parse_rfc({"doc_id": "RFC8446", "title": "The TLS Protocol", "pub_date": "August 2018",
    ...                "obsoletes": ["RFC5246", " RFC6961", "NIC 7104"]}, "rfc8446.json")
    >>> r.number, r.published, r.obsoletes, r.evidence
    (8446, '2018-08', (5246, 6961), ('https://www.rfc-editor.org/rfc/rfc8446.json',))
    """
    if not isinstance(doc, Mapping):
        raise ParseError(SOURCE, locator, f"expected a JSON object, got {type(doc).__name__}")
    number = _number(doc, locator)
    title = _one_line(_text(doc, "title", locator))
    if title is None:
        raise ParseError(SOURCE, locator, "missing title")
    status = _text(doc, "status", locator)
    pub_date = _text(doc, "pub_date", locator)
    return RfcRecord(
        number=number,
        title=title,
        authors=_authors(_one_line(name) for name in _strings(doc, "authors", locator)),
        status=status,
        pub_status=_text(doc, "pub_status", locator),
        source=_text(doc, "source", locator),
        draft=_text(doc, "draft", locator),
        published=None if status == "NOT ISSUED" else published_month(pub_date, number),
        keywords=_strings(doc, "keywords", locator),
        obsoletes=_rfc_numbers(doc, "obsoletes", locator),
        obsoleted_by=_rfc_numbers(doc, "obsoleted_by", locator),
        updates=_rfc_numbers(doc, "updates", locator),
        updated_by=_rfc_numbers(doc, "updated_by", locator),
        doi=_text(doc, "doi", locator),
        abstract=_abstract(_text(doc, "abstract", locator)),
        page_count=_page_count(doc, locator),
        errata_url=_text(doc, "errata_url", locator),
        see_also_series=_series_refs(doc, "see_also", locator),
        evidence=(rfc_json_url(number),),
    )


def rfc_json_url(number: int) -> str:
    """The RFC Editor URL the record was read from (its evidence).

    >>> rfc_json_url(8446)
    'https://www.rfc-editor.org/rfc/rfc8446.json'
    """
    return f"https://www.rfc-editor.org/rfc/rfc{number}.json"


def published_month(pub_date: str | None, number: int) -> str | None:
    """``"August 2018"`` / ``"1 April 2011"`` -> ``"YYYY-MM"``; placeholders and junk -> None.

    ``number`` is needed because "January 1970" is both a real date (RFC 28) and the
    epoch placeholder the RFC Editor shows for RFCs whose date it lost (RFC 8703).

    >>> published_month("1 April 2011", 5984), published_month("November -0001", 3500)
    ('2011-04', None)
    >>> published_month("January 1970", 28), published_month("January 1970", 8703)
    ('1970-01', None)
    """
    match = _PUB_DATE.match(pub_date or "")
    if match is None:
        return None
    month = _MONTHS.get(match.group(2).lower())
    year = int(match.group(3))
    if month is None or ((year, month) == (1970, 1) and number >= 100):
        return None
    return f"{year:04d}-{month:02d}"


# -- field helpers ---------------------------------------------------------------
def _number(doc: Mapping[str, Any], locator: str) -> int:
    doc_id = doc.get("doc_id")
    if not isinstance(doc_id, str):
        raise ParseError(SOURCE, locator, f"missing or non-string doc_id: {doc_id!r}")
    match = _DOC_ID.match(doc_id.strip())
    if match is None:
        raise ParseError(SOURCE, locator, f"doc_id is not RFCnnnn: {doc_id!r}")
    return int(match.group(1))


def _text(doc: Mapping[str, Any], key: str, locator: str) -> str | None:
    value = doc.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ParseError(SOURCE, locator, f"{key} is {type(value).__name__}, expected a string")
    return value.strip() or None


def _strings(doc: Mapping[str, Any], key: str, locator: str) -> tuple[str, ...]:
    value = doc.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ParseError(SOURCE, locator, f"{key} is not a list of strings")
    return tuple(item.strip() for item in value if item.strip())


def _one_line(text: str | None) -> str | None:
    """Collapse the line breaks, tabs and double spaces that upstream wrapping left in titles."""
    return None if text is None else " ".join(text.split())


def _authors(names: Iterable[str | None]) -> tuple[str, ...]:
    """Rejoin suffixes that the upstream split into their own entry."""
    authors: list[str] = []
    for name in names:
        if not name:
            continue
        if name in _SPLIT_SUFFIXES and authors:
            authors[-1] = f"{authors[-1]}, {name}"
        else:
            authors.append(name)
    return tuple(authors)


def _rfc_numbers(doc: Mapping[str, Any], key: str, locator: str) -> tuple[int, ...]:
    numbers = []
    for ref in _strings(doc, key, locator):
        match = _RFC_REF.match(ref)
        if match is not None:  # NIC / IEN / RTR ids predate the RFC series: not RFCs
            numbers.append(int(match.group(1)))
    return tuple(dict.fromkeys(numbers))


def _series_refs(doc: Mapping[str, Any], key: str, locator: str) -> tuple[tuple[str, int], ...]:
    """The BCP/STD/FYI entries of a ``see_also`` list (``"STD0007"`` -> ``("STD", 7)``); RFC refs are skipped."""
    refs = (_SERIES_REF.match(ref) for ref in _strings(doc, key, locator))
    return tuple(dict.fromkeys((m.group(1), int(m.group(2))) for m in refs if m is not None))


def _abstract(text: str | None) -> str | None:
    return None if text is None else text.replace("\r\n", "\n")


def _page_count(doc: Mapping[str, Any], locator: str) -> int | None:
    value = doc.get("page_count")
    if value is None or isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, str) and not value.strip():
        return None
    raise ParseError(SOURCE, locator, f"page_count is not a number: {value!r}")
