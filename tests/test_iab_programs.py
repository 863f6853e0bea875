"""IAB programs parser: the real programs.jsonl, plus hand-made edge cases."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

import pytest

import ietfkg.ingest as ingest_pkg
from ietfkg.ingest.iab_programs import SOURCE, parse_programs, program_acronym, role_slug
from ietfkg.ingest.records import GroupRecord, PersonRecord, RoleRecord
from ietfkg.schema.errors import ParseError

DATA = Path(ingest_pkg.__file__).parent / "snapshot" / "iab-programs" / "programs.jsonl"


@cache
def real() -> list:
    records = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
    return list(parse_programs(records))  # strict: the real file must parse cleanly


def groups() -> dict[str, GroupRecord]:
    return {g.acronym: g for g in real() if isinstance(g, GroupRecord)}


def leads(acronym: str) -> list[RoleRecord]:
    return [r for r in real() if isinstance(r, RoleRecord) and r.group == acronym]


def program(**fields) -> dict:
    base = {"name": "Test Program", "sources": [{"url": "https://example.org/p", "says": "x"}]}
    return {**base, **fields}


# -- real data -----------------------------------------------------------------
def test_real_group_keys():
    assert list(groups()) == [
        "model-t",
        "edm",
        "e-impact",
        "rfcefdp",
        "stackevo",
        "iabipevolprogram",
        "name-resolution-program",
        "privsec",
        "iana-evolution",
        "iproc",
        "liaison-oversight-program",
        "internationalization-program",
        "rfcedprog",
        "plenary-planning-program",
        "iab-isoc",
        "iab-iana",
        "iab-ieee",
    ]


def test_real_types_parent_and_kind():
    assert {a for a, g in groups().items() if g.type == "iabasg"} == {"rfcedprog"}
    assert {g.type for g in groups().values()} == {"program", "iabasg"}
    assert {g.parent for g in groups().values()} == {"iab"}
    assert groups()["rfcedprog"].kind == "administrative support group"


def test_real_model_t_fields_and_evidence():
    model_t = groups()["model-t"]
    assert (
        model_t.name,
        model_t.state,
        model_t.state_as_of,
        model_t.opened,
        model_t.closed,
        model_t.kind,
    ) == (
        "Internet Threat Model",
        "concluded",
        "2022-09-14",
        "2020",
        "2022-09-14",
        "technical program",
    )
    assert len(model_t.evidence) == 5
    assert "https://datatracker.ietf.org/group/model-t/about/" in model_t.evidence


def test_real_printed_acronyms_are_kept_in_aka():
    assert groups()["edm"].aka == ("EDM",)
    assert groups()["iproc"].aka == ("IPROC",)
    assert groups()["e-impact"].aka == ("E-Impact", "EIMPACT")
    assert groups()["iab-isoc"].aka == ()  # the name already is the printed label
    assert groups()["stackevo"].state_as_of == "2019-09-10" and groups()["privsec"].state_as_of is None


def test_real_lead_roles_are_normalised_and_labels_kept():
    assert [(r.person, r.role, r.label) for r in leads("rfcefdp")] == [
        ("Eliot Lear", "chair", "program chair"),
        ("Wes Hardaker", "liaison", "IAB liaison"),
        ("Jared Mauch", "liaison", "IAB liaison"),
    ]
    assert [r.role for r in leads("iab-ieee")] == ["lead", "lead"]  # "lead (IEEE liaison manager)"
    assert [(r.person, r.role) for r in leads("iproc")] == [("Andrew Sullivan", "chair")]
    assert {r.role for r in real() if isinstance(r, RoleRecord)} == {"lead", "chair", "liaison"}


def test_real_lead_dates_are_stated_only_when_full():
    (pauly,) = leads("edm")
    assert (pauly.start, pauly.end, pauly.basis, pauly.observed) == (
        date(2020, 9, 16),
        date(2020, 9, 16),
        "stated",
        (),
    )
    assert all(r.start is None and r.end is None for r in leads("model-t"))
    assert pauly.evidence == ("https://web.archive.org./web/20200916024515/https://www.iab.org",)


def test_real_first_name_only_leads_stay_as_printed():
    people = [p.name for p in real() if isinstance(p, PersonRecord)]
    assert {"Suresh", "Jari", "Alvaro", "Olaf"} <= set(people)
    assert [r.person for r in leads("e-impact")] == ["Suresh", "Jari"]
    assert len(people) == 21 and people.count("Russ Housley") == 1


# -- hand-made cases -------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("lead", "lead"),
        ("co-lead (ISOC); only the first name is printed", "lead"),
        ("IAB lead", "lead"),
        ("program chair", "chair"),
        ("IPROC chair (also IAB chair)", "chair"),
        ("IAB liaison", "liaison"),
        ("lead (IEEE-side liaison manager)", "lead"),
    ],
)
def test_role_slug(text, slug):
    assert role_slug(text) == slug


def test_unknown_role_text_raises():
    with pytest.raises(ParseError, match="names no lead"):
        role_slug("treasurer (liaison)")


def test_program_acronym():
    assert program_acronym("Model-T", True, "x") == "model-t"
    assert program_acronym("IAB-IEEE", False, "x") == "iab-ieee"
    assert program_acronym(None, None, "Programme Über Alles") == "programme-ueber-alles"


def test_bad_records_are_reported_and_skipped():
    records = [
        program(name=None),
        program(leads=[{"name": "Ann", "role": "lead"}]),  # no url
        program(sources=[]),
        program(leads=[{"name": "Ann", "role": "treasurer", "url": "https://example.org/l"}]),
        program(name="Good", acronym="GOOD", acronym_in_datatracker=False),
    ]
    errors: list[ParseError] = []
    out = list(parse_programs(records, errors.append))
    assert len(errors) == 4 and {e.source for e in errors} == {SOURCE}
    assert [g.acronym for g in out] == ["good"]
    with pytest.raises(ParseError):
        list(parse_programs(records))


def test_partial_as_of_and_non_ascii_names():
    records = [
        program(
            leads=[
                {
                    "name": "Mirja Kühlewind",
                    "role": "lead",
                    "as_of": "2020-09",
                    "url": "https://example.org/a",
                },
                {
                    "name": "Mirja Kuehlewind",
                    "role": "chair",
                    "as_of": "2021-01-02",
                    "url": "https://example.org/b",
                },
            ]
        )
    ]
    out = list(parse_programs(records))
    people = [p for p in out if isinstance(p, PersonRecord)]
    assert [(p.name, p.evidence) for p in people] == [
        ("Mirja Kühlewind", ("https://example.org/a", "https://example.org/b"))
    ]
    assert [r.start for r in out if isinstance(r, RoleRecord)] == [None, date(2021, 1, 2)]


def test_invalid_full_date_raises():
    with pytest.raises(ParseError, match="not a valid date"):
        list(
            parse_programs(
                [program(leads=[{"name": "A", "role": "lead", "as_of": "2021-02-30", "url": "u"}])]
            )
        )
