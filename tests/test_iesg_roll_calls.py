"""IESG roll-call parser: the 31 real telechats, plus hand-made edge cases."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

import pytest

import ietfkg.ingest as ingest_pkg
from ietfkg.ingest.iesg_roll_calls import (
    SOURCE,
    RollCallLine,
    Seat,
    area_acronym,
    parse_line,
    parse_roll_calls,
    seats_of,
)
from ietfkg.ingest.records import GroupRecord, PersonRecord, RoleRecord
from ietfkg.schema.errors import ParseError

DATA = Path(ingest_pkg.__file__).parent / "snapshot" / "iesg-minutes" / "roll-calls.jsonl"

# What the caller builds from the other sources' group records (power-map, agendas).
AREAS = {
    "security area": "sec",
    "transport area": "tsv",
    "applications and real-time area": "art",
    "web and internet transport": "wit",
    "general area": "gen",
    "internet area": "int",
    "routing area": "rtg",
    "operations and management area": "ops",
}


@cache
def real() -> tuple[list, list[ParseError]]:
    errors: list[ParseError] = []
    lines = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
    return list(parse_roll_calls(lines, AREAS, errors.append)), errors


def roles(group: str, role: str = "ad") -> list[tuple[str, date | None, date | None]]:
    return [
        (r.person, r.start, r.end)
        for r in real()[0]
        if isinstance(r, RoleRecord) and r.group == group and r.role == role
    ]


def telechat(day: str, attendees: list[str], regrets: list[str] | None = None, **extra) -> dict:
    return {
        "url": f"https://minutes.example/{day}",
        "date": day,
        "attendees": attendees,
        "regrets": regrets or [],
        **extra,
    }


# -- parse_line ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Roman Danyliw (CERT/SEI) / Security Area",
            RollCallLine("Roman Danyliw", "CERT/SEI", "Security Area"),
        ),
        (
            "Alexey Melnikov / Applications and Real-Time Area",
            RollCallLine("Alexey Melnikov", None, "Applications and Real-Time Area"),
        ),
        (
            "Martin Duke / F5 Networks Inc / Transport Area",
            RollCallLine("Martin Duke", "F5 Networks Inc", "Transport Area"),
        ),
        ("Paul Wouters (Aiven) /  Security Area", RollCallLine("Paul Wouters", "Aiven", "Security Area")),
        (
            "Ted Hardie (Qualcomm, Inc.)/ Applications Area",
            RollCallLine("Ted Hardie", "Qualcomm, Inc.", "Applications Area"),
        ),
        (
            "Spencer Dawkins (Huawei (USA)) / Scribe",
            RollCallLine("Spencer Dawkins", "Huawei (USA)", "Scribe"),
        ),
        (
            "Dave Meyer (Cisco/University of Oregon) / IAB Liaison",
            RollCallLine("Dave Meyer", "Cisco/University of Oregon", "IAB Liaison"),
        ),
        (
            "Zaheduzzaman (Zahed) Sarker (Ericsson) / Transport Area",
            RollCallLine("Zaheduzzaman (Zahed) Sarker", "Ericsson", "Transport Area"),
        ),
        (
            "Jeff Tantsura (Apstra) / IAB Liaison (WebEx only, not audio)",
            RollCallLine("Jeff Tantsura", "Apstra", "IAB Liaison", "WebEx only, not audio"),
        ),
        ("Éric Vyncke (Cisco) / Internet Area", RollCallLine("Éric Vyncke", "Cisco", "Internet Area")),
    ],
)
def test_parse_line_variants(line, expected):
    assert parse_line(line) == expected


def test_blank_line_is_none():
    assert parse_line("   ") is None


@pytest.mark.parametrize(
    "line", ["Greg Wood", "Warren Kum", "A / B / C / D", "Name (Affil / Role", " / Security Area"]
)
def test_malformed_lines_raise(line):
    with pytest.raises(ParseError) as caught:
        parse_line(line)
    assert caught.value.source == SOURCE


# -- seats ---------------------------------------------------------------------
def test_ietf_chair_is_chair_of_ietf_and_ad_of_general_area():
    assert [(s.group, s.role) for s in seats_of("IETF Chair, General Area", AREAS)] == [
        ("ietf", "chair"),
        ("gen", "ad"),
    ]


@pytest.mark.parametrize("text", ["incoming Security Area", "Incoming Operations and Management Area"])
def test_incoming_is_not_a_seat(text):
    assert seats_of(text, AREAS) == ()


@pytest.mark.parametrize(
    ("text", "seats"),
    [
        ("IAB Chair", [("iab", "chair")]),
        ("IAB Liaison", [("iesg", "liaison")]),
        ("IANA liaison", [("iesg", "liaison")]),
        ("RFC Series Editor", [("iesg", "liaison")]),
        ("IETF Secretariat, Narrative Scribe", [("iesg", "secretariat"), ("iesg", "scribe")]),
        ("Interim LLC Executive Director", [("iesg", "executive-director")]),
        ("IAD", [("iesg", "iad")]),
        ("Web and Internet Transport Area", [("wit", "ad")]),
    ],
)
def test_seat_table(text, seats):
    assert [(s.group, s.role) for s in seats_of(text, AREAS)] == seats


def test_liaison_kinds_stay_apart():
    assert (
        seats_of("IANA liaison", AREAS)[0].kind == seats_of("IANA Liaison", AREAS)[0].kind == "iana-liaison"
    )
    assert seats_of("IAB Liaison", AREAS)[0].kind == "iab-liaison"


def test_unknown_areas_get_slug_acronyms_never_guesses():
    assert seats_of("Applications Area", AREAS) == (
        Seat("applications-area", "ad", "ad", area_name="Applications Area", new_area=True),
    )
    full = "real-time-applications-and-infrastructure-area"
    assert seats_of("Real-time App. and Infra. Area", AREAS)[0].group == full
    assert seats_of("Real-time Applications and Infrastructure Area", AREAS)[0].group == full
    assert area_acronym("Transport Area", {}) == "transport-area"


@pytest.mark.parametrize("text", ["Operations and Ma", "Observer", "IETF Chair, Dictator"])
def test_unknown_role_text_raises(text):
    with pytest.raises(ParseError, match="unknown role text"):
        seats_of(text, AREAS)


# -- real data -----------------------------------------------------------------
def test_real_file_parses_without_errors():
    records, errors = real()
    assert errors == []  # the cut-off last line of 2025-02-06 is dropped silently
    assert len([r for r in records if isinstance(r, RoleRecord)]) == 151


def test_real_security_ad_intervals():
    assert sorted(roles("sec"), key=lambda r: (r[1], r[0])) == [
        ("Russ Housley", date(2006, 2, 16), date(2007, 3, 8)),
        ("Sam Hartman", date(2006, 2, 16), date(2007, 3, 8)),
        ("Sean Turner", date(2011, 5, 26), date(2011, 5, 26)),
        ("Stephen Farrell", date(2011, 5, 26), date(2017, 3, 16)),
        ("Kathleen Moriarty", date(2015, 4, 23), date(2017, 3, 16)),
        ("Benjamin Kaduk", date(2018, 11, 21), date(2022, 3, 3)),
        ("Eric Rescorla", date(2018, 11, 21), date(2018, 12, 20)),
        ("Roman Danyliw", date(2019, 5, 30), date(2024, 3, 7)),
        ("Paul Wouters", date(2022, 6, 2), date(2025, 4, 17)),
        ("Deb Cooley", date(2025, 2, 6), date(2025, 4, 17)),
    ]


def test_real_incoming_ads_are_not_seated():
    people = {p for p, _, _ in roles("sec")}
    assert "Tim Polk" not in people  # only ever "Incoming Security Area" (2007); 2008 marks carry no role
    wouters = next(r for r in real()[0] if isinstance(r, RoleRecord) and r.person == "Paul Wouters")
    assert date(2022, 2, 3) not in wouters.observed and date(2022, 3, 3) not in wouters.observed


def test_real_regrets_count_as_holding_the_seat():
    wouters = next(r for r in real()[0] if isinstance(r, RoleRecord) and r.person == "Paul Wouters")
    assert date(2025, 4, 3) in wouters.observed  # listed under REGRETS that day
    assert ("Warren Kumari", date(2018, 11, 21), date(2024, 3, 7)) in roles("ops")  # 2024-03-07: regrets


def test_real_interval_broken_by_full_roll_call_without_the_person():
    # Alexa Morris sat as secretariat in 2016, 2018 and 2021; the full roll calls between leave her out.
    assert [(s, e) for p, s, e in roles("iesg", "secretariat") if p == "Alexa Morris"] == [
        (date(2016, 12, 1), date(2016, 12, 1)),
        (date(2018, 12, 20), date(2018, 12, 20)),
        (date(2021, 8, 26), date(2021, 8, 26)),
    ]
    assert [(s, e) for p, s, e in roles("art") if p == "Barry Leiba"] == [
        (date(2015, 10, 1), date(2015, 10, 1)),
        (date(2019, 5, 30), date(2020, 9, 24)),
    ]


def test_real_2008_mark_records_neither_seat_nor_break():
    assert ("Jari Arkko", date(2007, 3, 8), date(2011, 5, 26)) in roles("int")


def test_real_truncated_record_keeps_its_complete_lines():
    danyliw = {
        (r.group, r.role): r for r in real()[0] if isinstance(r, RoleRecord) and r.person == "Roman Danyliw"
    }
    assert set(danyliw) == {("sec", "ad"), ("ietf", "chair"), ("gen", "ad")}
    assert danyliw[("ietf", "chair")].observed == (date(2025, 2, 6), date(2025, 4, 3), date(2025, 4, 17))
    assert danyliw[("gen", "ad")].label == "IETF Chair, General Area"
    assert not any(
        isinstance(r, RoleRecord) and r.person == "Warren Kumari" and date(2025, 2, 6) in r.observed
        for r in real()[0]
    )


def test_real_unknown_areas_become_area_groups_with_minutes_evidence():
    groups = {g.acronym: g for g in real()[0] if isinstance(g, GroupRecord)}
    assert set(groups) == {"applications-area", "real-time-applications-and-infrastructure-area"}
    rai = groups["real-time-applications-and-infrastructure-area"]
    assert (rai.name, rai.type) == ("Real-time Applications and Infrastructure Area", "area")
    assert rai.evidence[0] == "http://ftp.de.freesbie.org/ripe.net/mirrors/iesg/iesg.2007-03-08"
    assert ("Cullen Jennings", date(2007, 3, 8), date(2007, 3, 8)) in roles(rai.acronym)


def test_real_people_are_matched_on_folded_names():
    people = [p for p in real()[0] if isinstance(p, PersonRecord)]
    assert len(people) == 115
    vyncke = [p for p in people if "Vyncke" in p.name]
    assert [p.name for p in vyncke] == ["Eric Vyncke"]  # 11 x "Eric", 9 x "Éric"
    assert ("Eric Vyncke", date(2019, 5, 30), date(2025, 4, 17)) in roles("int")
    assert all(p.datatracker_id is None and p.evidence for p in people)


def test_real_roles_cite_one_minutes_url_per_sighting():
    for role in (r for r in real()[0] if isinstance(r, RoleRecord)):
        assert role.basis == "observed" and role.start == role.observed[0] and role.end == role.observed[-1]
        assert len(role.evidence) == len(role.observed)
        assert all(url.startswith("http") for url in role.evidence)


def test_real_role_slugs():
    slugs = {r.role for r in real()[0] if isinstance(r, RoleRecord)}
    assert slugs == {"ad", "chair", "liaison", "secretariat", "scribe", "executive-director", "iad"}


# -- hand-made cases -------------------------------------------------------------
def sec_intervals(records: list[dict]) -> list[tuple[date, date]]:
    return [
        (r.start, r.end)
        for r in parse_roll_calls(records, AREAS)
        if isinstance(r, RoleRecord) and r.group == "sec"
    ]


ADA = "Ada Lovelace (Analytical) / Security Area"
BOB = "Bob Example (Ex) / Routing Area"


def test_full_roll_call_without_the_person_breaks_the_interval():
    records = [
        telechat("2020-01-01", [ADA, BOB]),
        telechat("2020-02-01", [BOB]),
        telechat("2020-03-01", [ADA, BOB]),
    ]
    assert sec_intervals(records) == [
        (date(2020, 1, 1), date(2020, 1, 1)),
        (date(2020, 3, 1), date(2020, 3, 1)),
    ]


def test_regrets_truncation_and_marks_do_not_break_it():
    records = [
        telechat("2020-01-01", [ADA, BOB]),
        telechat("2020-02-01", [BOB], [ADA]),  # regrets: still seated
        telechat("2020-03-01", [BOB], truncated=True),  # partial list
        telechat("2020-04-01", [], roll_call_marks=["Ada Lovelace---y"]),  # no roles
        telechat("2020-05-01", [ADA]),
    ]
    assert sec_intervals(records) == [(date(2020, 1, 1), date(2020, 5, 1))]


def test_incoming_line_breaks_an_interval_like_absence():
    records = [
        telechat("2020-01-01", [ADA]),
        telechat("2020-02-01", ["Ada Lovelace / incoming Security Area"]),
    ]
    assert sec_intervals(records) == [(date(2020, 1, 1), date(2020, 1, 1))]


def test_non_ascii_spellings_are_one_person_and_one_interval():
    records = [
        telechat("2020-01-01", ["Éric Vyncke (Cisco) / Security Area"]),
        telechat("2020-02-01", ["Eric  Vyncke (Cisco) / Security Area"]),
        telechat("2020-03-01", ["Éric Vyncke (Cisco) / Security Area"]),
    ]
    out = list(parse_roll_calls(records, AREAS))
    assert [p.name for p in out if isinstance(p, PersonRecord)] == ["Éric Vyncke"]
    (role,) = [r for r in out if isinstance(r, RoleRecord)]
    assert (role.person, role.start, role.end, len(role.observed)) == (
        "Éric Vyncke",
        date(2020, 1, 1),
        date(2020, 3, 1),
        3,
    )


def test_bad_lines_and_records_are_reported_and_skipped():
    records = [
        telechat("2020-01-01", [ADA, "Greg Wood", "Carol (X) / Chief Vibes Officer"]),
        {"url": "https://minutes.example/undated", "attendees": [ADA]},
        {"date": "2020-03-01", "attendees": [ADA]},
        telechat("2020-04-01", [ADA]),
    ]
    errors: list[ParseError] = []
    out = list(parse_roll_calls(records, AREAS, errors.append))
    assert len(errors) == 4
    assert {e.source for e in errors} == {SOURCE}
    assert [(r.start, r.end) for r in out if isinstance(r, RoleRecord)] == [
        (date(2020, 1, 1), date(2020, 4, 1))
    ]
    with pytest.raises(ParseError):
        list(parse_roll_calls(records, AREAS))  # strict


def test_cut_off_last_line_of_truncated_record_is_dropped_silently():
    records = [telechat("2020-01-01", [ADA], ["Bob Example (Ex) / Routing Ar"], truncated=True)]
    errors: list[ParseError] = []
    out = list(parse_roll_calls(records, AREAS, errors.append))
    assert errors == []
    assert [r.person for r in out if isinstance(r, RoleRecord)] == ["Ada Lovelace"]
