"""Datatracker agenda parser: the real IETF 108-115 agendas, plus hand-made edge cases."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

import pytest

import ietfkg.ingest as ingest_pkg
from ietfkg.ingest.datatracker_agenda import MEETINGS, SOURCE, merge_groups, parse_agenda
from ietfkg.ingest.records import GroupRecord
from ietfkg.schema.errors import ParseError

SNAPSHOT = Path(ingest_pkg.__file__).parent / "snapshot" / "datatracker"


@cache
def real_groups() -> dict[str, GroupRecord]:
    records: list[GroupRecord] = []
    for number in MEETINGS:
        path = SNAPSHOT / f"agenda_{number}.json.gz"
        if path.exists():  # IETF 114 is not bundled
            with gzip.open(path) as fh:
                records.extend(parse_agenda(json.load(fh), f"datatracker/{path.name}"))
    return {g.acronym: g for g in merge_groups(records)}


def session(group: dict | None, agenda: str | None = None, objtype: str = "session") -> dict:
    item: dict = {"objtype": objtype, "name": "x"}
    if group is not None:
        item["group"] = group
    if agenda:
        item["agenda"] = agenda
    return item


# -- real data -----------------------------------------------------------------
def test_real_agendas_give_the_171_groups_that_met_plus_parent_bodies():
    groups = real_groups()
    from_parents = {"gen", "int", "irtf", "iab"}  # named only as parents of sessions
    assert len(groups) == 171 + len(from_parents)
    assert {a: groups[a].datatracker_id for a in from_parents} == {
        "gen": 1008,
        "int": 1052,
        "irtf": 3,
        "iab": 7,
    }
    assert groups["gen"].name == "General Area" and groups["irtf"].name == "IRTF"


def test_real_security_groups():
    groups = real_groups()
    sec = groups["sec"]
    assert (sec.name, sec.type, sec.state, sec.datatracker_id) == ("Security Area", "area", "active", 1260)
    dispatch = groups["secdispatch"]
    assert (dispatch.name, dispatch.type, dispatch.parent) == ("Security Dispatch", "wg", "sec")
    assert "https://datatracker.ietf.org/meeting/108/materials/agenda-108-secdispatch-02" in dispatch.evidence
    assert (groups["saag"].type, groups["saag"].parent, groups["saag"].name) == (
        "ag",
        "sec",
        "Security Area Open Meeting",
    )
    for bof in ("satp", "jwp"):
        assert (groups[bof].state, groups[bof].parent, groups[bof].type) == ("bof", "sec", "wg")
    assert {groups[rg].parent for rg in ("cfrg", "pearg")} == {"irtf"}


def test_real_later_meetings_win_and_old_names_are_kept():
    groups = real_groups()
    assert groups["emailcore"].state == "active"  # bof at IETF 108
    assert groups["savnet"].parent == "rtg"  # int at IETF 113
    assert groups["tdd"].type == "team"  # adhoc before IETF 115
    assert groups["ntp"].name == "Network Time Protocols"
    assert groups["ntp"].aka == ("Network Time Protocol",)
    assert groups["secretariat"].aka == ("IETF Secretariat",)


def test_real_evidence_is_agenda_urls_in_meeting_order():
    evidence = real_groups()["emailcore"].evidence
    assert len(evidence) == 7
    assert [url.split("/")[4] for url in evidence] == ["108", "109", "110", "111", "112", "113", "115"]


def test_real_types_are_datatracker_slugs():
    types = {g.type for g in real_groups().values()}
    assert types == {
        "wg",
        "rg",
        "team",
        "area",
        "ag",
        "ietf",
        "rag",
        "program",
        "iabasg",
        "dir",
        "rfcedtyp",
        None,
    }


# -- hand-made cases -------------------------------------------------------------
def test_sessions_without_group_are_skipped_and_missing_agenda_cites_the_file():
    doc = {
        "120": [
            session(None),
            {"objtype": "location", "name": "Room 1"},
            session(
                {
                    "acronym": "tls",
                    "name": "Transport Layer Security",
                    "parent": "sec",
                    "state": "active",
                    "type": "wg",
                }
            ),
        ]
    }
    (tls,) = parse_agenda(doc, "agenda_120.json.gz")
    assert tls == GroupRecord(
        acronym="tls",
        name="Transport Layer Security",
        type="wg",
        state="active",
        parent="sec",
        evidence=("agenda_120.json.gz",),
    )


def test_two_sessions_of_one_group_give_one_record_with_both_agendas():
    group = {"acronym": "quic", "name": "QUIC", "type": "wg", "state": "active", "parent": "wit"}
    doc = {"120": [session(group, "https://a/1"), session(group, "https://a/2")]}
    (quic,) = parse_agenda(doc, "x")
    assert quic.evidence == ("https://a/1", "https://a/2")


def test_group_without_acronym_is_a_parse_error_that_can_be_skipped():
    doc = {"120": [session({"name": "Nameless"}), session({"acronym": "ok", "name": "Ok"})]}
    with pytest.raises(ParseError) as caught:
        list(parse_agenda(doc, "agenda_120.json.gz"))
    assert caught.value.source == SOURCE and "acronym" in caught.value.reason
    errors: list[ParseError] = []
    assert [g.acronym for g in parse_agenda(doc, "agenda_120.json.gz", errors.append)] == ["ok"]
    assert len(errors) == 1 and errors[0].key == "agenda_120.json.gz#0"


@pytest.mark.parametrize("doc", [[], {}, {"120": {}}, {"x": []}, {"1": [], "2": []}])
def test_a_document_of_the_wrong_shape_raises(doc):
    with pytest.raises(ParseError):
        list(parse_agenda(doc, "bad.json"))


def test_non_ascii_names_survive():
    doc = {"120": [session({"acronym": "i18n", "name": "Intérnationalisation Ünïcode"})]}
    assert next(parse_agenda(doc, "x")).name == "Intérnationalisation Ünïcode"


def test_merge_keeps_later_fields_unless_empty_and_sorts_by_acronym():
    old = GroupRecord(acronym="b", name="Old", type="wg", state="bof", parent="sec", evidence=("e1",))
    new = GroupRecord(acronym="b", name="New", state="active", evidence=("e2", "e1"))
    other = GroupRecord(acronym="a", evidence=("e3",))
    merged = merge_groups([old, other, new])
    assert [g.acronym for g in merged] == ["a", "b"]
    assert merged[1] == GroupRecord(
        acronym="b", name="New", type="wg", state="active", parent="sec", aka=("Old",), evidence=("e1", "e2")
    )
    assert merge_groups([new, old])[0].state == "bof"  # order decides: pass meetings oldest first
