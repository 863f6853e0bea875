"""Relaton sub-series parser: the real BCP/STD/FYI YAML, plus hand-made edge cases."""

from __future__ import annotations

import tarfile
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

import ietfkg.ingest as ingest_pkg
from ietfkg.ingest.records import SubSeriesRecord
from ietfkg.ingest.relaton_subseries import SOURCE, parse_subseries
from ietfkg.schema.errors import ParseError

TARBALL = Path(ingest_pkg.__file__).parent / "snapshot" / "relaton-rfcsubseries" / "rfcsubseries-yaml.tar.gz"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def real_docs() -> dict[str, Any]:
    """Every decoded data/XXX0000.yaml of the snapshot, by file stem ("BCP0014")."""
    docs: dict[str, Any] = {}
    with tarfile.open(TARBALL) as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".yaml"):
                handle = tar.extractfile(member)
                assert handle is not None
                docs[Path(member.name).stem] = yaml.load(handle, Loader=_LOADER)
    return docs


def real(stem: str) -> SubSeriesRecord:
    return parse_subseries(real_docs()[stem], f"data/{stem}.yaml")


def test_bcp14_is_rfc2119_and_rfc8174() -> None:
    assert real("BCP0014") == SubSeriesRecord(
        series="BCP",
        number=14,
        title="Best Current Practice 14",
        rfcs=(2119, 8174),
        evidence=("https://www.rfc-editor.org/info/bcp14",),
    )


def test_std7_ignores_relations_nested_inside_the_included_rfc() -> None:
    # RFC 9293's own bibitem lists what it obsoletes/updates (RFC 1011, 1122, 5961...);
    # only the top-level "includes" says what STD 7 is.
    std7 = real("STD0007")
    assert (std7.series, std7.number, std7.rfcs) == ("STD", 7, (9293,))
    assert std7.evidence == ("https://www.rfc-editor.org/info/std7",)


def test_std3_and_fyi2() -> None:
    assert real("STD0003").rfcs == (1122, 1123)
    fyi2 = real("FYI0002")
    assert (fyi2.series, fyi2.number, fyi2.rfcs) == ("FYI", 2, (1470,))


def test_whole_snapshot_parses() -> None:
    records = [real(stem) for stem in real_docs()]
    assert Counter(r.series for r in records) == {"BCP": 231, "STD": 89, "FYI": 36}
    assert all(r.rfcs for r in records)
    info = "https://www.rfc-editor.org/info/"
    assert all(r.evidence == (f"{info}{r.series.lower()}{r.number}",) for r in records)
    assert max(len(r.rfcs) for r in records) == 8


# -- hand-made edge cases ----------------------------------------------------------
def doc(**fields: Any) -> dict[str, Any]:
    return {"docnumber": "BCP0099", **fields}


def test_bibitem_id_is_used_when_docnumber_is_missing_and_non_rfcs_dropped() -> None:
    relations = [
        {"type": "includes", "bibitem": {"id": "RFC0793"}},
        {"type": "includes", "bibitem": {"id": "I-D.ietf-foo-bar"}},
        {"type": "includes", "bibitem": {"docnumber": "RFC9293", "id": "RFC9293"}},
        {"type": "includes", "bibitem": {"docnumber": "RFC9293"}},
        {"type": "obsoletes", "bibitem": {"docnumber": "RFC1"}},
    ]
    assert parse_subseries(doc(relation=relations), "x.yaml").rfcs == (793, 9293)


def test_missing_title_relations_and_links_are_absent() -> None:
    assert parse_subseries(doc(), "x.yaml") == SubSeriesRecord("BCP", 99)


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"docnumber": "RFC2119"},
        {"docnumber": 14},
        doc(relation={"type": "includes"}),
        doc(relation=[{"type": "includes"}]),
        doc(link="https://www.rfc-editor.org/info/bcp99"),
    ],
)
def test_bad_input_raises_parse_error(bad: dict[str, Any]) -> None:
    with pytest.raises(ParseError) as caught:
        parse_subseries(bad, "data/BCP0099.yaml")
    assert (caught.value.source, caught.value.key) == (SOURCE, "data/BCP0099.yaml")
