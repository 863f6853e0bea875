"""RFC Editor JSON parser: real RFCs from the bundled tarball, plus hand-made edge cases."""

from __future__ import annotations

import json
import tarfile
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import ietfkg.ingest as ingest_pkg
from ietfkg.ingest.records import RfcRecord
from ietfkg.ingest.rfc_editor import (
    SOURCE,
    parse_rfc,
    published_month,
)
from ietfkg.schema.errors import ParseError

TARBALL = Path(ingest_pkg.__file__).parent / "snapshot" / "rfc-editor" / "rfc-json.tar.gz"


@cache
def real_docs() -> dict[int, dict[str, Any]]:
    """Every decoded rfcNNNN.json of the snapshot, by RFC number."""
    docs: dict[int, dict[str, Any]] = {}
    with tarfile.open(TARBALL) as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".json"):
                handle = tar.extractfile(member)
                assert handle is not None
                number = int(Path(member.name).stem.removeprefix("rfc"))
                docs[number] = json.load(handle)
    return docs


def issued_rfcs() -> int:
    """How many RFCs the raw JSON says were issued (the rest are NOT ISSUED numbers)."""
    return sum(str(doc.get("status")).strip() != "NOT ISSUED" for doc in real_docs().values())


def real(number: int) -> RfcRecord:
    return parse_rfc(real_docs()[number], f"json/rfc{number}.json")


# -- real records ------------------------------------------------------------------
def test_rfc8446_tls13() -> None:
    rfc = real(8446)
    assert rfc.number == 8446
    assert rfc.title == "The Transport Layer Security (TLS) Protocol Version 1.3"
    assert rfc.authors == ("E. Rescorla",)
    assert rfc.status == rfc.pub_status == "PROPOSED STANDARD"
    assert rfc.source == "Transport Layer Security"
    assert rfc.draft == "draft-ietf-tls-tls13-28"
    assert rfc.published == "2018-08"
    assert rfc.obsoletes == (5077, 5246, 6961)
    assert rfc.updates == (5705, 6066)
    assert rfc.obsoleted_by == rfc.updated_by == ()
    assert rfc.doi == "10.17487/RFC8446"
    assert rfc.page_count == 160
    assert rfc.errata_url == "https://www.rfc-editor.org/errata/rfc8446"
    assert "transport protocol layer" in rfc.keywords
    assert rfc.abstract is not None and rfc.abstract.startswith("This document specifies version 1.3")
    assert "\r" not in rfc.abstract
    assert rfc.evidence == ("https://www.rfc-editor.org/rfc/rfc8446.json",)


def test_not_issued_number_has_no_authors_date_or_pages() -> None:
    rfc = real(3500)  # authors [""], pub_date "November -0001", title "Not Issued "
    assert rfc.title == "Not Issued"
    assert rfc.status == "NOT ISSUED"
    assert rfc.authors == ()
    assert rfc.published is None
    assert rfc.page_count is None
    assert rfc.keywords == ()  # upstream [" "]
    assert rfc.draft is None  # upstream ""


def test_epoch_placeholder_date_is_dropped_but_real_1970_kept() -> None:
    assert real_docs()[8703]["pub_date"] == real_docs()[28]["pub_date"] == "January 1970"
    assert real(8703).published is None  # published 2020; the RFC Editor JSON lost the date
    assert real(28).published == "1970-01"


def test_april_first_date_with_day() -> None:
    assert real_docs()[5984]["pub_date"] == "1 April 2011"
    assert real(5984).published == "2011-04"


def test_split_suffix_is_joined_back_to_its_author() -> None:
    assert real_docs()[3796]["authors"] == ["P. Nesser", "II", "A. Bergstrom, Ed."]
    assert real(3796).authors == ("P. Nesser, II", "A. Bergstrom, Ed.")


def test_non_rfc_relations_are_dropped_and_spaces_tolerated() -> None:
    rfc = real(760)  # obsoletes ["IEN 123"], updated_by [" RFC0777"]
    assert rfc.obsoletes == ()
    assert rfc.obsoleted_by == (791,)
    assert rfc.updated_by == (777,)
    assert real(165).updated_by == ()  # ["NIC7101"]
    assert real(165).obsoletes == (145, 143, 123)


def test_leading_space_draft_and_tab_in_title() -> None:
    pim = real(3973)
    assert pim.draft == "draft-ietf-pim-dm-new-v2-05"
    assert real(9095).title.startswith("Extensible Provisioning Protocol (EPP) Domain Name")


def test_whole_snapshot_parses() -> None:
    records = [real(number) for number in real_docs()]
    assert len(records) == 9506
    assert min(r.number for r in records) == 1 and max(r.number for r in records) == 9552
    not_issued = sum(r.status == "NOT ISSUED" for r in records)
    assert not_issued == 187
    assert sum(r.published is None for r in records) == not_issued + 13  # the epoch placeholders
    sources = Counter(r.source for r in records)
    assert sources["IRTF"] == 37 and sources["IAB"] == 125 and sources["INDEPENDENT"] == 386
    assert all(r.title == r.title.strip() and "  " not in r.title for r in records)
    assert all(a and a not in ("II", "III", "Chair") for r in records for a in r.authors)


# -- hand-made edge cases ----------------------------------------------------------
def minimal(**fields: Any) -> dict[str, Any]:
    return {"doc_id": "RFC9999", "title": "An Example", **fields}


def test_minimal_record_defaults_to_absent() -> None:
    rfc = parse_rfc(minimal(), "x.json")
    assert rfc == RfcRecord(9999, "An Example", evidence=("https://www.rfc-editor.org/rfc/rfc9999.json",))


def test_empty_authors_and_non_ascii_names() -> None:
    assert parse_rfc(minimal(authors=[]), "x.json").authors == ()
    assert parse_rfc(minimal(authors=["", "  "]), "x.json").authors == ()
    names = ["M. Kühlewind", "É. Vyncke", "J. Žorž, Ed."]
    assert parse_rfc(minimal(authors=names), "x.json").authors == tuple(names)


@pytest.mark.parametrize(
    ("doc", "reason"),
    [
        ({"doc_id": "RFC1"}, "missing title"),
        ({"doc_id": "RFC1", "title": "   "}, "missing title"),
        ({"title": "No id"}, "doc_id"),
        ({"doc_id": "BCP14", "title": "Not an RFC"}, "doc_id"),
        ({"doc_id": 8446, "title": "Number, not string"}, "doc_id"),
        ({"doc_id": "RFC1", "title": ["a", "list"]}, "title"),
        (minimal(authors="E. Rescorla"), "authors"),
        (minimal(obsoletes=[5246]), "obsoletes"),
        (minimal(page_count="many"), "page_count"),
    ],
)
def test_bad_input_raises_parse_error_naming_the_locator(doc: dict[str, Any], reason: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_rfc(doc, "json/rfc1.json")
    assert caught.value.source == SOURCE
    assert caught.value.key == "json/rfc1.json"
    assert reason in caught.value.reason


def test_not_a_mapping_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_rfc(["RFC1"], "x.json")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("pub_date", "expected"),
    [
        ("March 2019", "2019-03"),
        ("1 April 1994", "1994-04"),
        ("november 2001", "2001-11"),
        ("November -0001", None),
        ("Smarch 2019", None),
        ("2019-03", None),
        ("", None),
        (None, None),
    ],
)
def test_published_month_forms(pub_date: str | None, expected: str | None) -> None:
    assert published_month(pub_date, 5000) == expected
