"""ietf-power-map parser: the real ietf_data.json, plus hand-made edge cases."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

import ietfkg.ingest as ingest_pkg
from ietfkg.ingest.power_map import REPOSITORY, SNAPSHOT_DATE, SOURCE, parse_power_map
from ietfkg.ingest.records import GroupRecord, PersonRecord, RoleRecord
from ietfkg.schema.errors import ParseError

DATA = Path(ingest_pkg.__file__).parent / "snapshot" / "ietf-power-map" / "ietf_data.json"
LOCATOR = "ietf-power-map/ietf_data.json"


@cache
def real() -> tuple[list, list[ParseError]]:
    errors: list[ParseError] = []
    records = list(parse_power_map(json.loads(DATA.read_text()), LOCATOR, errors.append))
    return records, errors


def of(kind: type) -> list:
    return [r for r in real()[0] if isinstance(r, kind)]


def small_doc() -> dict:
    return {
        "persons": {
            "105099": {"name": "Éric Vyncke", "photo": None, "bio": ""},
            "1": {"name": "Ada Example", "photo": "https://example.org/a.jpg"},
        },
        "groups": {"1052": {"acronym": "int", "name": "Internet Area", "type": "area"}},
        "roles": [
            {"person_id": "105099", "role": "ad", "group_id": "1052", "org": "AREA"},
            {"person_id": "999", "role": "chair", "group_id": "1052", "org": "AREA"},
            {"person_id": "1", "role": "chair", "group_id": "77", "org": "IETF-WG"},
            {"person_id": "1", "role": "chair", "group_id": "1052"},
        ],
    }


# -- real data -----------------------------------------------------------------
def test_real_counts_match_the_file_stats_and_nothing_is_skipped():
    records, errors = real()
    assert errors == []
    assert (len(of(PersonRecord)), len(of(GroupRecord)), len(of(RoleRecord))) == (263, 159, 372)
    assert [type(r) for r in records[:1]] == [PersonRecord] and isinstance(records[-1], RoleRecord)


def test_real_security_ads_as_of_march_2026():
    sec_ads = sorted(r.person for r in of(RoleRecord) if r.group == "sec" and r.role == "ad")
    assert sec_ads == ["Deb Cooley", "Paul Wouters"]


def test_real_roman_danyliw_roles_with_ids_dates_and_labels():
    roles = {(r.group, r.role, r.label) for r in of(RoleRecord) if r.person_id == 105815}
    assert roles == {
        ("iesg", "chair", "chair (IESG)"),
        ("iesg", "ad", "ad (IESG)"),
        ("gen", "ad", "ad (AREA)"),
        ("iab", "member", "member (IAB)"),
    }
    role = next(r for r in of(RoleRecord) if r.person_id == 105815 and r.group == "gen")
    assert (role.person, role.start, role.end, role.observed, role.basis) == (
        "Roman Danyliw",
        SNAPSHOT_DATE,
        SNAPSHOT_DATE,
        (SNAPSHOT_DATE,),
        "observed",
    )
    assert role.evidence[0] == REPOSITORY and role.evidence[1].startswith(LOCATOR + "#roles/")


def test_real_groups_and_people_keep_datatracker_ids():
    groups = {g.acronym: g for g in of(GroupRecord)}
    assert (groups["sec"].datatracker_id, groups["sec"].type, groups["sec"].name) == (
        1260,
        "area",
        "Security Area",
    )
    assert (groups["iesg"].type, groups["iab"].datatracker_id, groups["cfrg"].type) == ("ietf", 7, "rg")
    assert {g.type for g in groups.values()} == {"wg", "rg", "area", "ietf"}
    people = {p.datatracker_id: p for p in of(PersonRecord)}
    assert people[105815].name == "Roman Danyliw"
    assert people[101641].photo is None  # no photo upstream: None, never ""
    assert people[10064].evidence == (REPOSITORY, f"{LOCATOR}#persons/10064")


def test_real_role_slugs():
    assert {r.role for r in of(RoleRecord)} == {
        "chair",
        "ad",
        "member",
        "liaison",
        "liaison_coordinator",
        "delegate",
        "exofficio",
    }


# -- hand-made cases -------------------------------------------------------------
def test_roles_with_unknown_ids_are_reported_and_skipped():
    errors: list[ParseError] = []
    records = list(parse_power_map(small_doc(), "f.json", errors.append))
    roles = [r for r in records if isinstance(r, RoleRecord)]
    assert [(r.person, r.group, r.person_id) for r in roles] == [
        ("Éric Vyncke", "int", 105099),
        ("Ada Example", "int", 1),
    ]
    assert roles[1].label == "chair"  # no org given
    assert [(e.source, e.key) for e in errors] == [(SOURCE, "f.json#roles/1"), (SOURCE, "f.json#roles/2")]
    assert "unknown person_id '999'" in errors[0].reason and "unknown group_id '77'" in errors[1].reason


def test_strict_mode_raises_the_first_bad_entry():
    with pytest.raises(ParseError, match="unknown person_id"):
        list(parse_power_map(small_doc(), "f.json"))


def test_a_person_without_a_name_is_skipped_and_so_are_their_roles():
    doc = small_doc()
    doc["persons"]["105099"] = {"name": "  ", "photo": None}
    errors: list[ParseError] = []
    records = list(parse_power_map(doc, "f.json", errors.append))
    assert [e.key for e in errors][:2] == ["f.json#persons/105099", "f.json#roles/0"]
    assert not any(isinstance(r, PersonRecord) and r.datatracker_id == 105099 for r in records)


@pytest.mark.parametrize(
    ("kind", "key", "entry", "reason"),
    [
        ("persons", "105099", ["Éric Vyncke"], "person entry is not an object"),
        ("groups", "1052", "int", "group entry is not an object"),
        ("groups", "1052", {"name": "Internet Area"}, "group has no acronym"),
    ],
)
def test_malformed_person_and_group_entries_are_reported_with_their_key(kind, key, entry, reason):
    doc = small_doc()
    doc[kind][key] = entry
    errors: list[ParseError] = []
    list(parse_power_map(doc, "f.json", errors.append))
    assert (errors[0].key, errors[0].reason) == (f"f.json#{kind}/{key}", reason)


@pytest.mark.parametrize("bad_id", ["abc", "", None, "12x"])
def test_non_numeric_ids_are_parse_errors(bad_id):
    doc = small_doc()
    doc["roles"] = [{"person_id": bad_id, "role": "ad", "group_id": "1052"}]
    errors: list[ParseError] = []
    list(parse_power_map(doc, "f.json", errors.append))
    assert len(errors) == 1 and "not a Datatracker id" in errors[0].reason


@pytest.mark.parametrize("doc", [[], {"persons": {}}, {"persons": {}, "groups": {}, "roles": {}}])
def test_a_document_of_the_wrong_shape_raises(doc):
    with pytest.raises(ParseError):
        list(parse_power_map(doc, "f.json", on_error=lambda e: None))
