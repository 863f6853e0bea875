"""Pure parsers of live ingest: Datatracker objects, role history, rfc-index.xml."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ietfkg.ingest import datatracker, rfc_index
from ietfkg.ingest.records import RoleRecord
from ietfkg.schema.errors import ParseError

LIVE = Path(__file__).parent / "fixtures" / "live"
ORIGIN = "https://datatracker.example"


def load(state: str, name: str) -> list[dict]:
    path = LIVE / state / f"{name}.json"
    text = (path if path.is_file() else LIVE / "base" / f"{name}.json").read_text()
    return json.loads(text.replace("{{now}}", "2026-06-01T09:00:00Z"))  # the server serves the request time


def persons() -> dict:
    return {o["resource_uri"]: datatracker.parse_person(o, ORIGIN) for o in load("base", "persons")}


def test_group_parent_state_type_and_evidence() -> None:
    groups = load("base", "groups")
    parents = {g["resource_uri"]: g["acronym"] for g in groups}
    tls = datatracker.parse_group(next(g for g in groups if g["acronym"] == "tls"), ORIGIN, parents)
    assert (tls.parent, tls.type, tls.state, tls.datatracker_id) == ("sec", "wg", "active", 1326)
    assert tls.evidence == (f"{ORIGIN}/api/v1/group/group/1326/",)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"state": "/api/v1/name/groupstatename/frozen/"}, "unknown group state 'frozen'"),
        ({"type": "wg"}, "grouptypename"),
        ({"acronym": ""}, "missing 'acronym'"),
        ({"time": "yesterday"}, "not a timestamp"),
    ],
)
def test_bad_group_objects_raise_with_the_url(change: dict, reason: str) -> None:
    obj = {**load("base", "groups")[5], **change}
    with pytest.raises(ParseError, match=reason) as info:
        datatracker.parse_group(obj, ORIGIN, {})
    assert info.value.key.startswith(ORIGIN + "/api/v1/group/group/")


def stated(state: str, as_of: date) -> list[RoleRecord]:
    errors: list[ParseError] = []
    out = list(
        datatracker.stated_roles(
            load(state, "groups"),
            load(state, "grouphistory"),
            load(state, "rolehistory"),
            load(state, "roles"),
            persons(),
            as_of,
            ORIGIN,
            errors.append,
        )
    )
    assert errors == []
    return out


def test_role_history_gives_stated_intervals() -> None:
    got = {(r.person, r.start, r.end, r.label) for r in stated("base", date(2026, 1, 1))}
    assert got == {
        ("Casey Fixture", date(2019, 3, 20), date(2026, 1, 1), "chair (Datatracker role history, ongoing)"),
        ("Jordan Sample", date(2021, 7, 1), date(2026, 1, 1), "chair (Datatracker role history, ongoing)"),
    }
    after = {(r.person, r.start, r.end) for r in stated("update", date(2026, 7, 1))}
    assert ("Casey Fixture", date(2019, 3, 20), date(2026, 6, 1)) in after  # ended by the change
    assert ("Robin Placeholder", date(2026, 6, 1), date(2026, 7, 1)) in after
    assert all(r.basis == "stated" for r in stated("update", date(2026, 7, 1)))


def test_stated_intervals_replace_overlapping_sightings_and_keep_both_evidence() -> None:
    seen = RoleRecord(
        "Casey Fixture",
        "fixwg",
        "chair",
        start=date(2020, 1, 1),
        end=date(2026, 9, 1),
        observed=(date(2020, 1, 1), date(2026, 9, 1)),
        evidence=("https://minutes.example/1",),
    )
    told = [r for r in stated("update", date(2026, 7, 1)) if r.person == "Casey Fixture"]
    merged = list(datatracker.merge_stated([seen], told))
    assert [(r.basis, r.start, r.end, r.observed) for r in merged] == [
        ("stated", date(2019, 3, 20), date(2026, 6, 1), (date(2020, 1, 1),)),
        ("observed", date(2026, 9, 1), date(2026, 9, 1), (date(2026, 9, 1),)),
    ]
    assert merged[0].evidence[0] == "https://minutes.example/1" and ORIGIN in merged[0].evidence[1]


def test_role_of_unknown_person_is_an_error() -> None:
    groups = {g["resource_uri"]: datatracker.parse_group(g, ORIGIN, {}) for g in load("base", "groups")}
    role = {**load("base", "roles")[0], "person": "/api/v1/person/person/1/"}
    with pytest.raises(ParseError, match="person not fetched"):
        datatracker.parse_role(role, ORIGIN, groups, persons(), date(2026, 1, 1))


def test_rfc_index_entries_carry_wg_area_stream() -> None:
    records = {
        r.number: r for r in rfc_index.parse_index((LIVE / "update" / "rfc-index.xml").read_bytes(), "idx")
    }
    rfc = records[8446]
    assert (rfc.wg, rfc.area, rfc.stream, rfc.published) == ("tls", "sec", "IETF", "2018-08")
    assert rfc.obsoletes == (5077, 5246, 6961) and rfc.authors == ("E. Rescorla",)
    assert records[5077].wg is None and records[9420].wg == "mls" and len(records) == 15


def test_rfc_index_rejects_html_and_reports_bad_entries() -> None:
    with pytest.raises(ParseError, match="malformed XML"):
        list(rfc_index.parse_index(b"<html><body>oops", "idx"))
    bad = (
        b'<rfc-index xmlns="https://www.rfc-editor.org/rfc-index"><rfc-entry><doc-id>RFCX</doc-id></rfc-entry>'
        b"<rfc-entry><doc-id>RFC1</doc-id><title>Host Software</title></rfc-entry></rfc-index>"
    )
    errors: list[ParseError] = []
    assert [r.number for r in rfc_index.parse_index(bad, "idx", errors.append)] == [1]
    assert len(errors) == 1 and "doc_id" in errors[0].reason
