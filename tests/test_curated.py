"""Curated Security Area facts: every fact is checked against the seed page it quotes."""

from __future__ import annotations

import copy
import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest
import yaml

import ietfkg.ingest as ingest_pkg
from ietfkg.ingest.curated import SOURCE, parse_curated
from ietfkg.ingest.records import GroupRecord, PersonRecord, ProtocolRecord, Relation, RoleRecord
from ietfkg.schema.errors import ParseError

PACKAGE = Path(ingest_pkg.__file__).parent
REPO = PACKAGE.parent


@cache
def doc() -> dict:
    return yaml.safe_load((PACKAGE / "curated.yaml").read_text())


@cache
def records() -> list:
    return list(parse_curated(doc()))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def seed_text(source_key: str) -> str:
    return (REPO / doc()["sources"][source_key]["path"]).read_text()


def facts() -> list[tuple[str, dict]]:
    return [
        (section, fact)
        for section in ("groups", "persons", "roles", "protocols", "relations")
        for fact in doc()[section]
    ]


# -- the YAML against the seed pages -------------------------------------------------
def test_sources_point_at_the_bundled_seeds_with_their_dates():
    sources = doc()["sources"]
    for source in sources.values():
        path = REPO / source["path"]
        assert path.is_file()
        assert source["locator"] == "seed:" + path.name
    assert "date: 2022-11-14" in seed_text("seed-000")
    assert sources["seed-000"]["date"] == "2022-11-14" and sources["seed-001"]["date"] is None


def test_every_quote_occurs_in_its_seed_page():
    for section, fact in facts():
        assert squash(fact["quote"]) in squash(seed_text(fact["source"])), (section, fact["quote"])


def test_every_link_occurs_in_its_seed_page():
    for _, fact in facts():
        for link in fact.get("links", []):
            assert link in seed_text(fact["source"])


# -- records -------------------------------------------------------------------
def test_security_area_groups():
    groups = {g.acronym: g for g in records() if isinstance(g, GroupRecord)}
    assert set(groups) == {
        "sec",
        "secdispatch",
        "secdir",
        "saag",
        "irtf",
        "cfrg",
        "pearg",
        "crypto-review-panel",
        "iab",
        "model-t",
        "jwp",
        "satp",
        "mls",
    }
    assert (groups["secdir"].name, groups["secdir"].type, groups["secdir"].parent) == (
        "Security Area Directorate",
        "dir",
        "sec",
    )
    assert (groups["saag"].name, groups["saag"].type) == ("Security Area Advisory Group", "ag")
    assert {groups[a].parent for a in ("cfrg", "pearg")} == {"irtf"}
    assert (groups["crypto-review-panel"].parent, groups["model-t"].parent) == ("cfrg", "iab")
    assert [(groups[b].state, groups[b].parent) for b in ("jwp", "satp")] == [("bof", "sec"), ("bof", "sec")]
    assert groups["irtf"].name == "IRTF" and groups["secdispatch"].name is None  # the page gives no full name
    assert groups["cfrg"].evidence == (
        "seed:000_fa5a6677e119f677.txt",
        "https://datatracker.ietf.org/rg/cfrg/about/",
    )
    assert groups["mls"].evidence == ("seed:001_067f1976d3dd5d53.txt",)


def test_security_ads_observed_on_the_page_date():
    roles = [r for r in records() if isinstance(r, RoleRecord)]
    day = date(2022, 11, 14)
    assert [(r.person, r.group, r.role, r.start, r.end, r.observed, r.basis) for r in roles] == [
        ("Roman Danyliw", "sec", "ad", day, day, (day,), "observed"),
        ("Paul Wouters", "sec", "ad", day, day, (day,), "observed"),
    ]
    people = [p for p in records() if isinstance(p, PersonRecord)]
    assert [p.evidence[1] for p in people] == [
        "https://datatracker.ietf.org/person/Roman%20Danyliw",
        "https://datatracker.ietf.org/person/Paul%20Wouters",
    ]


def test_protocols_only_with_rfcs_the_page_gives():
    protocols = {p.acronym: p for p in records() if isinstance(p, ProtocolRecord)}
    assert protocols["ACME"].defined_by == (8555,)
    assert protocols["TLS"].defined_by == ()  # the page names no RFC for TLS 1.3
    assert protocols["TLS"].aka == ("TLS 1.3",)  # a version of TLS, not a protocol of its own
    assert protocols["MLS"].defined_by == ()


def test_relations():
    relations = {(r.subject, r.predicate, r.object) for r in records() if isinstance(r, Relation)}
    assert relations == {
        (("group", "cfrg"), "collaboratesWith", ("group", "sec")),
        (("group", "pearg"), "collaboratesWith", ("group", "sec")),
        (("group", "model-t"), "collaboratesWith", ("group", "sec")),
        (("protocol", "MLS"), "developedBy", ("group", "mls")),
    }


def test_every_record_cites_a_seed_first():
    assert all(r.evidence and r.evidence[0].startswith("seed:") for r in records())


# -- hand-made cases -------------------------------------------------------------
def broken(section: str, index: int, **changes) -> dict:
    bad = copy.deepcopy(doc())
    bad[section][index].update(changes)
    return bad


@pytest.mark.parametrize(
    ("section", "changes", "reason"),
    [
        ("groups", {"source": "seed-999"}, "unknown source"),
        ("groups", {"quote": ""}, "no quote"),
        ("groups", {"acronym": None}, "missing acronym"),
        ("groups", {"links": ["/group/secdir"]}, "absolute URLs"),
        ("roles", {"observed": "2022-11"}, "YYYY-MM-DD"),
        ("protocols", {"defined_by": ["8555"]}, "RFC numbers"),
        ("relations", {"predicate": "owns"}, "predicate"),
        ("relations", {"subject": ["wg", "cfrg"]}, "relation kind"),
    ],
)
def test_bad_facts_raise_or_are_skipped(section, changes, reason):
    bad = broken(section, 0, **changes)
    with pytest.raises(ParseError, match=reason):
        list(parse_curated(bad))
    errors: list[ParseError] = []
    assert len(list(parse_curated(bad, errors.append))) == len(records()) - 1
    assert len(errors) == 1 and errors[0].source == SOURCE


def test_unknown_section_or_missing_sources_raise():
    with pytest.raises(ParseError, match="unknown sections"):
        list(parse_curated({**doc(), "rumours": []}))
    with pytest.raises(ParseError, match="sources"):
        list(parse_curated({"groups": []}))


def test_yaml_dates_and_non_ascii_names_are_accepted():
    fixture = {
        "sources": {"s": {"locator": "seed:x.txt"}},
        "persons": [{"name": "Éric Vyncke", "source": "s", "quote": "q"}],
        "roles": [
            {
                "person": "Éric Vyncke",
                "group": "int",
                "role": "ad",
                "observed": date(2020, 1, 2),
                "source": "s",
                "quote": "q",
            }
        ],
    }
    person, role = parse_curated(fixture)
    assert person == PersonRecord(name="Éric Vyncke", evidence=("seed:x.txt",))
    assert role.observed == (date(2020, 1, 2),)
