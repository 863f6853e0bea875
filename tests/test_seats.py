"""Who held a seat on a date, through the faces: GraphQL and the README's SPARQL pattern.

The expected holders are read straight off the raw roll calls in the test
(``held_on_from_raw``: the two records around the date), never from the graph.
"""

from __future__ import annotations

import re
import shlex
from datetime import date
from pathlib import Path

import pytest

from ietfkg.graph.oxigraph_backend import OxigraphBackend
from ietfkg.ingest.power_map import SNAPSHOT_DATE
from ietfkg.schema.vocab import fold
from tests.test_graphql_api import ok
from tests.test_iesg_roll_calls import held_on_from_raw, raw

README = Path(__file__).parent.parent / "README.md"
DAY = date(2017, 6, 1)

ROLES_ON = """query($at: Date!, $group: String!) { roles(group: $group, role: "ad", at: $at, first: 100) {
  nodes { person { name } held(at: $at) start end possibleStart possibleEnd
          bounds { edge date basis seenOn line evidence } } } }"""


def _readme_seat_query() -> str:
    """The README's "who held this seat on D" SPARQL (the block filtering on ietf:possibleStart)."""
    for block in re.findall(r"```sh\n(.*?)```", README.read_text("utf-8"), flags=re.DOTALL):
        if "ietf:possibleStart ?possibleStart" in block:
            return shlex.split(block)[2]
    raise AssertionError("README has no 'who held this seat on D' query")


def _by_held(rows: list[tuple[str, str]]) -> tuple[set[str], set[str]]:
    return ({fold(n) for n, h in rows if h.lower() == "certain"}, {fold(n) for n, h in rows if h.lower() == "possible"})


def test_security_ads_on_2017_06_01_graphql_matches_the_raw_roll_calls(live_server: str) -> None:
    expected = held_on_from_raw(DAY, "Security Area")
    roles = ok(live_server, ROLES_ON, {"at": DAY.isoformat(), "group": "sec"})["roles"]["nodes"]
    assert _by_held([(r["person"]["name"], r["held"]) for r in roles]) == expected
    assert expected[1], "the raw roll calls give possible holders on this date"
    for role in roles:
        bounds = {b["edge"]: b for b in role["bounds"]}
        assert (bounds["start"]["date"], bounds["end"]["date"]) == (role["start"], role["end"])
        assert (bounds["possible-start"]["date"], bounds["possible-end"]["date"]) == (
            role["possibleStart"], role["possibleEnd"])
        assert role["possibleStart"] <= DAY.isoformat() <= role["possibleEnd"]
        for bound in bounds.values():
            record = raw()[date.fromisoformat(bound["seenOn"])]
            assert bound["evidence"] == [record["url"]]
            assert bound["line"] is None or bound["line"] in record["attendees"] + record["regrets"]


@pytest.mark.parametrize(("day", "group", "area"), [
    ("2013-01-01", "rtg", "Routing Area"), ("2020-06-01", "sec", "Security Area"),
])
def test_graphql_held_filter_splits_certain_from_possible(live_server: str, day: str, group: str, area: str) -> None:
    certain, possible = held_on_from_raw(date.fromisoformat(day), area)
    query = """query($at: Date!, $group: String!, $held: Held) {
      roles(group: $group, role: "ad", at: $at, held: $held) { nodes { person { name } } } }"""
    for held, expected in (("CERTAIN", certain), ("POSSIBLE", possible)):
        nodes = ok(live_server, query, {"at": day, "group": group, "held": held})["roles"]["nodes"]
        assert {fold(n["person"]["name"]) for n in nodes} == expected, held


def test_readme_sparql_pattern_matches_the_raw_roll_calls(snapshot_build) -> None:
    query = _readme_seat_query()
    assert "'2017-06-01'" in query and "'sec'" in query
    rows = [(r[0].value, r[1].value) for r in OxigraphBackend.open(snapshot_build.store).select(query).rows]
    assert _by_held(rows) == held_on_from_raw(DAY, "Security Area")


def test_wg_chairs_are_seen_on_the_power_map_day_only(live_server: str) -> None:
    query = """{ group(acronym: "tls") { leadership(role: "chair") {
      person { name } start end possibleStart possibleEnd bounds { edge date basis } } } }"""
    chairs = ok(live_server, query)["group"]["leadership"]
    day = SNAPSHOT_DATE.isoformat()
    assert chairs
    for chair in chairs:
        assert (chair["start"], chair["end"], chair["possibleStart"], chair["possibleEnd"]) == (day,) * 4
        assert {(b["edge"], b["date"], b["basis"]) for b in chair["bounds"]} == {
            (edge, day, "snapshot") for edge in ("start", "end", "possible-start", "possible-end")}
