"""graph/area_timeline.py on a hand-made store (tests/fixtures/area_timeline.trig): the rules of the
map through time, including what the bundled snapshot lacks so far (meetings, possible seat bounds)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import RdfFormat

from ietfkg.graph import area_timeline as t
from ietfkg.graph.oxigraph_backend import InMemoryOxigraphBackend
from ietfkg.schema.errors import RequestError
from ietfkg.schema.vocab import DEFAULT_BASE

FIXTURE = Path(__file__).parent / "fixtures" / "area_timeline.trig"
G, P = DEFAULT_BASE + "group/", DEFAULT_BASE + "person/"


@pytest.fixture(scope="module")
def timeline() -> t.Timeline:
    backend = InMemoryOxigraphBackend.open(None)
    backend.store.load(path=str(FIXTURE), format=RdfFormat.TRIG)
    return t.timeline(backend, DEFAULT_BASE)


def drawn(timeline: t.Timeline, start: str, end: str | None = None) -> dict[str, dict]:
    return {n["id"]: n for n in t.snapshot(timeline, t.Span(start, end or start))["nodes"]}


def test_a_day_between_sightings(timeline: t.Timeline):
    nodes = drawn(timeline, "2020-05-01")
    assert {i for i, n in nodes.items() if n["kind"] == "wg"} == {G + "wg1", G + "wg2"}
    assert nodes[G + "wg1"]["area"] == G + "bbb" and nodes[G + "wg1"]["basis"] == "rfc-source-suffix"
    assert nodes[P + "one"]["certainty"] == "certain" and nodes[P + "two"]["area"] == G + "bbb"
    assert nodes[G + "prog"]["area"] == G + "iab" and nodes[G + "prog"]["basis"] == "opened-closed"


def test_a_session_wins_over_an_rfc_label_on_its_day(timeline: t.Timeline):
    nodes = drawn(timeline, "2021-03-10")
    assert nodes[G + "wg1"]["area"] == G + "aaa" and nodes[G + "wg1"]["basis"] == "agenda-parent"
    assert G + "wg2" not in nodes  # last seen 2020-06-30


def test_possible_seat_bounds(timeline: t.Timeline):
    """Past the certain end, within the possible one: drawn as possible, with the possible span."""
    one = drawn(timeline, "2021-05-01")[P + "one"]
    assert (one["certainty"], one["start"], one["end"]) == ("possible", "2020-01-02", "2021-06-30")
    assert P + "one" not in drawn(timeline, "2021-07-01")


def test_a_closed_month_counts_to_its_last_day(timeline: t.Timeline):
    assert G + "prog" in drawn(timeline, "2021-02-28") and G + "prog" not in drawn(timeline, "2021-03-01")
    assert G + "iab" not in drawn(timeline, "2021-03-01")  # an area or body with nothing in it then is left out


def test_at_a_meeting(timeline: t.Timeline):
    span = t.meeting_span(timeline, 110)
    assert span == t.Span("2021-03-06", "2021-03-12")
    assert G + "wg1" in drawn(timeline, "2021-03-06", "2021-03-12")
    with pytest.raises(RequestError, match="no IETF 99 in the graph"):
        t.meeting_span(timeline, 99)


@pytest.mark.parametrize("text", ["2021-02-30", "yesterday", "2021/03/01", ""])
def test_bad_days(text: str):
    with pytest.raises(RequestError, match="not a date"):
        t.parse_day(text)
