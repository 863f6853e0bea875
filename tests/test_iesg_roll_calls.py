"""IESG roll-call parser: the 31 real telechats, plus hand-made edge cases."""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest

import ietfkg.ingest as ingest_pkg
from ietfkg.ingest.iesg_roll_calls import (
    SOURCE,
    RollCallLine,
    Seat,
    area_acronym,
    is_incoming,
    parse_line,
    parse_roll_calls,
    seats_of,
)
from ietfkg.ingest.records import GroupRecord, PersonRecord, RoleRecord
from ietfkg.schema.errors import ParseError
from ietfkg.schema.vocab import fold

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
def test_incoming_names_the_seat_to_come(text):
    assert is_incoming(text)
    assert [s.role for s in seats_of(text, AREAS)] == ["ad"]
    assert not is_incoming("Security Area")


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


# -- real data: rules checked against raw roll-call lines -------------------------------------
@cache
def raw() -> dict[date, dict]:
    return {date.fromisoformat(r["date"]): r for r in map(json.loads, DATA.read_text().splitlines())}


def raw_lines(day: date, *sections: str) -> list[str]:
    return [line for section in sections or ("attendees", "regrets") for line in raw()[day].get(section, [])]


def names_on(day: date, name: str) -> bool:
    """Whether any line of that day's record names the person (roles or 2008 marks)."""
    return any(fold(line).startswith(fold(name)) for line in raw_lines(day, "attendees", "regrets", "roll_call_marks"))


def next_record_without(name: str, after: date) -> date:
    """The first complete record after ``after`` whose lines do not name the person at all."""
    return next(d for d in sorted(raw()) if d > after and not raw()[d].get("truncated") and not names_on(d, name))


def tenures(person: str, group: str, role: str = "ad") -> list[RoleRecord]:
    return [
        r for r in real()[0]
        if isinstance(r, RoleRecord) and fold(r.person) == fold(person) and (r.group, r.role) == (group, role)
    ]


def bounds(record: RoleRecord) -> dict[str, tuple[date, str, date, str | None]]:
    return {b.edge: (b.day, b.basis, b.seen_on, b.line) for b in record.bounds}


ONE_DAY = timedelta(days=1)


def test_real_file_parses_without_errors():
    records, errors = real()
    assert errors == []  # the cut-off last line of 2025-02-06 is matched by prefix, nothing is lost


@pytest.mark.parametrize(
    ("incoming", "group", "marks"),
    [
        ("Chris Newman (Sun Microsystems) / Incoming Applications Area", "applications-area",
         ("Chris Newman---y", "Chris Newman---")),
        ("Dave Ward / Incoming Routing Area", "rtg", ("Dave Ward---y", "Dave Ward---y")),
        ("Tim Polk (NIST) / Incoming Security Area", "sec", ("Tim Polk---y", "Tim Polk---y")),
    ],
)
def test_incoming_line_bounds_the_start_and_2008_marks_seat_them(incoming, group, marks):
    seated, first, second = date(2007, 3, 8), date(2008, 5, 8), date(2008, 7, 3)
    assert incoming in raw_lines(seated, "attendees")
    assert marks[0] in raw_lines(first, "roll_call_marks") and marks[1] in raw_lines(second, "roll_call_marks")
    name = incoming.split(" (")[0].split(" / ")[0]
    (tenure,) = tenures(name, group)
    gone = next_record_without(name, second)
    assert bounds(tenure) == {
        "possible-start": (seated + ONE_DAY, "incoming", seated, incoming),
        "start": (first, "mark", first, marks[0]),
        "end": (second, "mark", second, marks[1]),
        "possible-end": (gone - ONE_DAY, "absent", gone, None),
    }


def test_regrets_line_is_a_sighting_and_bounds_the_end():
    day, line = date(2011, 5, 26), "Dan Romascanu (Avaya) / Operations and Management Area"
    assert line in raw_lines(day, "regrets")
    (tenure,) = [t for t in tenures("Dan Romascanu", "ops") if t.end == day]
    gone = next_record_without("Dan Romascanu", day)
    assert bounds(tenure)["end"] == (day, "regrets", day, line)
    assert bounds(tenure)["possible-end"] == (gone - ONE_DAY, "absent", gone, None)
    assert "Dan Romascanu---Regrets" in raw_lines(date(2008, 5, 8), "roll_call_marks")
    assert date(2008, 5, 8) in tenure.observed  # the 2008 mark between 2007 and this regrets line


def test_incoming_regrets_line_bounds_the_start():
    day, line = date(2022, 3, 3), "Paul Wouters (Aiven) / incoming Security Area"
    assert line in raw_lines(day, "regrets")
    (tenure,) = tenures("Paul Wouters", "sec")
    seated = min(d for d in raw() if d > day and fold("Paul Wouters") in raw_holders(d, "Security Area"))
    assert bounds(tenure)["possible-start"] == (day + ONE_DAY, "incoming", day, line)
    assert bounds(tenure)["start"][:2] == (seated, "present")
    last = max(raw())
    assert bounds(tenure)["possible-end"] == (last, "source-range", last, None)


def test_cut_off_area_text_is_matched_by_unique_prefix():
    day = date(2025, 2, 6)
    record = raw()[day]
    line = record["regrets"][-1]
    assert record["truncated"] and line == "Warren Kumari (Google) / Operations and Ma"
    (tenure,) = [t for t in tenures("Warren Kumari", "ops") if t.end == day]
    gone = next_record_without("Warren Kumari", day)
    assert bounds(tenure)["end"] == (day, "cut-off-text", day, line)
    assert bounds(tenure)["possible-end"] == (gone - ONE_DAY, "absent", gone, None)
    assert tenure.label == "Operations and Management Area"


def test_mark_between_two_different_seats_names_no_seat():
    before, after = date(2007, 3, 8), date(2011, 5, 26)
    assert "Russ Housley (Vigil Security, LLC) / Security Area" in raw_lines(before)
    chair = "Russ Housley (Vigil Security, LLC) / IETF Chair, General Area"
    assert chair in raw_lines(after) and "Russ Housley---Regrets" in raw_lines(date(2008, 5, 8), "roll_call_marks")
    (sec,) = tenures("Russ Housley", "sec")
    assert bounds(sec)["end"][:2] == (before, "present")
    assert bounds(sec)["possible-end"] == (after - ONE_DAY, "other-seat", after, chair)
    (ietf,) = tenures("Russ Housley", "ietf", "chair")
    assert bounds(ietf)["possible-start"][:3] == (before + ONE_DAY, "other-seat", before)
    assert not any(date(2008, 5, 8) in t.observed for t in real()[0] if isinstance(t, RoleRecord)
                   and fold(t.person) == fold("Russ Housley"))


def test_mark_of_someone_no_roll_call_seats_is_kept_on_the_person_only():
    assert "Pasi Eronen---y" in raw_lines(date(2008, 5, 8), "roll_call_marks")
    assert not any(names_on(d, "Pasi Eronen") for d in raw() if d.year != 2008)
    (person,) = [p for p in real()[0] if isinstance(p, PersonRecord) and p.name == "Pasi Eronen"]
    assert person.evidence == (raw()[date(2008, 5, 8)]["url"], raw()[date(2008, 7, 3)]["url"])
    assert not tenures("Pasi Eronen", "sec")


def test_first_record_is_the_possible_start_of_seats_seen_there():
    first = min(raw())
    line = "Russ Housley (Vigil Security, LLC) / Security Area"
    assert line in raw_lines(first)
    (sec,) = tenures("Russ Housley", "sec")
    assert bounds(sec)["start"] == (first, "present", first, line)
    assert bounds(sec)["possible-start"] == (first, "source-range", first, None)


def test_every_role_line_is_a_sighting_and_every_bound_line_is_a_raw_line():
    records = [r for r in real()[0] if isinstance(r, RoleRecord)]
    seen = {(fold(r.person), d) for r in records for d in r.observed}
    for day in raw():
        for line in raw_lines(day):
            parsed = parse_line(line)
            if parsed and not is_incoming(parsed.role):
                assert (fold(parsed.name), day) in seen, (day, line)
    for record in records:
        b = {bound.edge: bound for bound in record.bounds}
        assert b["possible-start"].day <= b["start"].day == record.start <= record.end == b["end"].day
        assert record.end <= b["possible-end"].day
        for bound in record.bounds:
            assert bound.evidence == raw()[bound.seen_on]["url"]
            assert bound.line is None or bound.line in raw_lines(bound.seen_on, "attendees", "regrets", "roll_call_marks")


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


def test_real_2008_marks_carry_a_seat_through():
    assert "Jari Arkko---late" in raw_lines(date(2008, 7, 3), "roll_call_marks")
    (arkko,) = [r for r in tenures("Jari Arkko", "int") if r.start == date(2007, 3, 8)]
    assert arkko.end == date(2011, 5, 26) and date(2008, 7, 3) in arkko.observed


def test_real_truncated_record_keeps_its_complete_lines():
    danyliw = {
        (r.group, r.role): r for r in real()[0] if isinstance(r, RoleRecord) and r.person == "Roman Danyliw"
    }
    assert set(danyliw) == {("sec", "ad"), ("ietf", "chair"), ("gen", "ad")}
    assert danyliw[("ietf", "chair")].observed == (date(2025, 2, 6), date(2025, 4, 3), date(2025, 4, 17))
    assert danyliw[("gen", "ad")].label == "IETF Chair, General Area"


def test_real_unknown_areas_become_area_groups_with_minutes_evidence():
    groups = {g.acronym: g for g in real()[0] if isinstance(g, GroupRecord)}
    assert set(groups) == {"applications-area", "real-time-applications-and-infrastructure-area"}
    rai = groups["real-time-applications-and-infrastructure-area"]
    assert (rai.name, rai.type) == ("Real-time Applications and Infrastructure Area", "area")
    assert rai.evidence[0] == "http://ftp.de.freesbie.org/ripe.net/mirrors/iesg/iesg.2007-03-08"
    assert ("Cullen Jennings", date(2007, 3, 8), date(2008, 7, 3)) in roles(rai.acronym)  # 2008: marks


def test_real_people_are_matched_on_folded_names():
    people = [p for p in real()[0] if isinstance(p, PersonRecord)]
    printed = {fold(p.name) for d in raw() for p in map(parse_line, raw_lines(d)) if p}
    printed |= {fold(line.split("---")[0]) for d in raw() for line in raw_lines(d, "roll_call_marks")}
    assert {fold(p.name) for p in people} == printed  # everyone named on a seat line or a 2008 mark
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


def raw_holders(day: date, area: str) -> set[str]:
    """Folded names on that day's lines whose role text is the area (not "incoming")."""
    return {
        fold(p.name) for p in map(parse_line, raw_lines(day)) if p and fold(p.role) == fold(area)
    }


def held_on_from_raw(day: date, area: str) -> tuple[set[str], set[str]]:
    """(certain, possible) holders of an area seat on ``day``, read off the two records around it.

    Both must be complete lists with roles (asserted): then a person listed in the seat in
    both held it throughout; listed in one, possibly; in neither, not (both leave them out).
    """
    before = max(d for d in raw() if d <= day)
    after = min(d for d in raw() if d >= day)
    for d in (before, after):
        assert raw()[d]["attendees"] and not raw()[d].get("truncated")
    certain = raw_holders(before, area) & raw_holders(after, area)
    return certain, (raw_holders(before, area) | raw_holders(after, area)) - certain


def held_on_from_records(day: date, group: str) -> tuple[set[str], set[str]]:
    certain, possible = set(), set()
    for r in real()[0]:
        if isinstance(r, RoleRecord) and (r.group, r.role) == (group, "ad"):
            b = {bound.edge: bound.day for bound in r.bounds}
            if r.start <= day <= r.end:
                certain.add(fold(r.person))
            elif b["possible-start"] <= day <= b["possible-end"]:
                possible.add(fold(r.person))
    return certain, possible


@pytest.mark.parametrize("day", ["2006-06-01", "2013-01-01", "2017-06-01", "2019-07-01", "2020-06-01", "2023-01-01"])
@pytest.mark.parametrize(("area", "group"), [("Security Area", "sec"), ("Routing Area", "rtg")])
def test_who_held_the_seat_on_a_date_matches_the_raw_roll_calls(day, area, group):
    when = date.fromisoformat(day)
    assert held_on_from_records(when, group) == held_on_from_raw(when, area)


def test_security_ads_on_2017_06_01_are_possible_only():
    certain, possible = held_on_from_raw(date(2017, 6, 1), "Security Area")
    assert not certain and len(possible) >= 2  # the roll calls of 2017-03-16 and 2018-11-21 share no Security AD


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


def test_possible_bounds_rest_on_the_roll_calls_around_each_tenure():
    records = [
        telechat("2020-01-01", [BOB]),
        telechat("2020-02-01", [BOB, "Ada Lovelace (Analytical) / incoming Security Area"]),
        telechat("2020-03-01", [ADA, BOB]),
        telechat("2020-04-01", [BOB, "Ada Lovelace (Analytical) / IAB Chair"]),
        telechat("2020-05-01", [ADA], truncated=True),
    ]
    first, second = [r for r in parse_roll_calls(records, AREAS) if isinstance(r, RoleRecord) and r.group == "sec"]
    assert bounds(first) == {
        "possible-start": (date(2020, 2, 2), "incoming", date(2020, 2, 1), records[1]["attendees"][1]),
        "start": (date(2020, 3, 1), "present", date(2020, 3, 1), ADA),
        "end": (date(2020, 3, 1), "present", date(2020, 3, 1), ADA),
        "possible-end": (date(2020, 3, 31), "other-seat", date(2020, 4, 1), records[3]["attendees"][1]),
    }
    assert bounds(second)["possible-start"][:2] == (date(2020, 4, 2), "other-seat")
    assert bounds(second)["possible-end"] == (date(2020, 5, 1), "source-range", date(2020, 5, 1), None)


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
