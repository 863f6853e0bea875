"""Areas with acronyms and time, on real groups of the bundled snapshot.

The cases were found by reading the raw files: avtcore's RFCs of 2011-2014 carry the
" RAI" suffix in their RFC Editor ``source`` and avtcore met under ``art`` at IETF 108-115;
httpbis's RFCs carry " APP", core's " APP", lisp's " INT" (it met under ``rtg``); xmpp's
RFCs of 2004 carry " APP" and those of 2011-2014 " RAI". The expected dates are computed
from the raw JSON and agenda files here.
"""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest

import ietfkg.ingest as ingest_pkg
from ietfkg.graph.oxigraph_backend import OxigraphBackend
from ietfkg.ingest import areas
from ietfkg.schema.partial_dates import last_day
from ietfkg.ingest.records import AreaLinkRecord, AttributionRecord, GroupRecord, ParentSighting, Relation, RfcRecord
from tests.test_rfc_editor import real_docs

SNAPSHOT = Path(ingest_pkg.__file__).parent / "snapshot"


def _query(snapshot_build, sparql: str) -> list[tuple[str, ...]]:
    backend = OxigraphBackend.open(snapshot_build.store)
    return [tuple(c.value if c is not None else "" for c in row) for row in backend.select(sparql).rows]


def _links(snapshot_build, wg: str) -> dict[tuple[str, str], tuple[str, str]]:
    rows = _query(snapshot_build, f"""
        SELECT ?area ?basis ?first ?last WHERE {{
          ?l a ietf:AreaLink ; ietf:group/skos:notation '{wg}' ; ietf:area/skos:notation ?area ;
             ietf:areaBasis ?basis ; ietf:firstSeen ?first ; ietf:lastSeen ?last }}""")
    return {(area, basis): (first, last) for area, basis, first, last in rows}


def _suffixed_months(draft_group: str, suffix: str) -> list[str]:
    """Publication months ("2011-06") of the raw RFCs from the group's drafts whose source ends in the suffix."""
    months = {"January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7,
              "August": 8, "September": 9, "October": 10, "November": 11, "December": 12}
    found = []
    for doc in real_docs().values():
        if (doc.get("draft") or "").strip().startswith(f"draft-ietf-{draft_group}-") and \
                (doc.get("source") or "").strip().endswith(" " + suffix):
            month, year = doc["pub_date"].split()[-2:]
            found.append(f"{year}-{months[month]:02d}")
    return sorted(found)


def _agenda_days(acronym: str, parent: str) -> list[str]:
    days = []
    for path in sorted((SNAPSHOT / "datatracker").glob("agenda_*.json.gz")):
        ((_, items),) = json.loads(gzip.decompress(path.read_bytes())).items()
        days += [i["start"][:10] for i in items if isinstance(i, dict) and (i.get("group") or {}).get("acronym") == acronym
                 and i["group"].get("parent") == parent and i.get("start")]
    return sorted(days)


# -- a WG that moved from RAI to ART ---------------------------------------------------------
def test_avtcore_was_in_rai_by_its_rfcs_and_in_art_by_the_agendas(snapshot_build) -> None:
    months, days = _suffixed_months("avtcore", "RAI"), _agenda_days("avtcore", "art")
    assert months and days
    links = _links(snapshot_build, "avtcore")
    assert links[("rai", "rfc-source-suffix")] == (f"{months[0]}-01", str(last_day(months[-1])))
    assert links[("art", "agenda-parent")] == (days[0], days[-1])


WHICH_AREA_ON = """
SELECT ?area ?basis WHERE {{
  ?link a ietf:AreaLink ; ietf:group/skos:notation '{wg}' ; ietf:area/skos:notation ?area ;
        ietf:areaBasis ?basis ; ietf:firstSeen ?first ; ietf:lastSeen ?last .
  FILTER (STR(?first) <= '{day}' && STR(?last) >= '{day}')
}}"""


@pytest.mark.parametrize(("wg", "day", "area"), [
    ("avtcore", "2012-06-01", "rai"), ("avtcore", "2021-03-08", "art"),
    ("xmpp", "2004-09-15", "app"), ("xmpp", "2012-06-15", "rai"),
])
def test_which_area_a_wg_was_in_depends_on_the_date(snapshot_build, wg: str, day: str, area: str) -> None:
    assert {a for a, _ in _query(snapshot_build, WHICH_AREA_ON.format(wg=wg, day=day))} == {area}


@pytest.mark.parametrize(("wg", "suffix", "area"), [("httpbis", "APP", "app"), ("core", "APP", "app"), ("lisp", "INT", "int")])
def test_rfc_suffixes_give_real_wgs_their_earlier_area(snapshot_build, wg: str, suffix: str, area: str) -> None:
    months = _suffixed_months(wg, suffix)
    assert months, (wg, suffix)
    first, last = _links(snapshot_build, wg)[(area, "rfc-source-suffix")]
    assert (first[:7], last[:7]) == (months[0], months[-1])


# -- every area under its acronym ---------------------------------------------------------------
def test_areas_are_acronyms_not_slugs(snapshot_build) -> None:
    acronyms = {a for (a,) in _query(snapshot_build, "SELECT ?acr WHERE { ?a a ietf:Area ; skos:notation ?acr }")}
    assert {"app", "rai", "art", "int", "tsv", "sec", "ops", "rtg", "gen"} <= acronyms
    assert not [a for a in acronyms if "-" in a]  # no "applications-area"
    # the roll call of 2006-02-16 seats Ted Hardie for the "Applications Area": now app
    line = "Ted Hardie (Qualcomm, Inc.)/ Applications Area"
    roll = [json.loads(x) for x in (SNAPSHOT / "iesg-minutes" / "roll-calls.jsonl").read_text().splitlines() if x.strip()]
    assert line in next(r for r in roll if r["date"] == "2006-02-16")["attendees"]
    rows = _query(snapshot_build, """SELECT ?name WHERE { ?m org:organization/skos:notation 'app' ; org:role ietf:role-ad ;
        org:member/foaf:name ?name ; ietf:observedOn '2006-02-16'^^xsd:date }""")
    assert ("Ted Hardie",) in rows


def test_area_names_cite_their_evidence() -> None:
    import yaml

    doc = yaml.safe_load((Path(ingest_pkg.__file__).parent / "curated.yaml").read_text("utf-8"))
    entries = {e["acronym"]: e for e in doc["area_names"]}
    assert set(entries) == {"app", "rai"}
    assert all(e["quote"] and e["evidence"][0].startswith("http") for e in entries.values())
    assert "(RAI)" in entries["rai"]["quote"]


# -- coverage in `ietfkg stats` -------------------------------------------------------------------
def test_stats_report_area_coverage(cli, snapshot_build) -> None:
    out = cli("stats").stdout
    wgs_with = _query(snapshot_build, """SELECT (STR(COUNT(DISTINCT ?wg)) AS ?n) WHERE { ?wg a ietf:WorkingGroup .
        { ?wg org:subOrganizationOf ?a } UNION { ?wg ietf:inArea ?a } ?a a ietf:Area }""")[0][0]
    line = next(x for x in out.splitlines() if "working groups" in x)
    assert "area coverage" in out and f" {int(wgs_with):,} " in line
    # the RFC-suffix and agenda evidence give more WGs an area than the agendas' parents alone
    parents_only = _query(snapshot_build, """SELECT (STR(COUNT(DISTINCT ?wg)) AS ?n) WHERE { ?wg a ietf:WorkingGroup .
        GRAPH ?g { ?wg org:subOrganizationOf ?a } ?g ietf:sourceName 'datatracker-agenda' . ?a a ietf:Area }""")[0][0]
    assert int(wgs_with) > int(parents_only)


# -- the stage on small hand-made records -----------------------------------------------------------
def test_links_span_first_to_last_sighting_and_parent_the_latest_area() -> None:
    groups = [GroupRecord("app", type="area"), GroupRecord("art", type="area"), GroupRecord("x", type="wg")]
    sightings = [ParentSighting("x", "art", "2021-03-08", ("https://a.example/1",)),
                 ParentSighting("x", "art", "2020-07-30", ("https://a.example/2",)),
                 ParentSighting("x", "irtf", "2020-07-30")]  # not an area
    rfcs = [RfcRecord(1, "t", source="X Group APP", published="2012-02"), RfcRecord(2, "t", source="X Group APP", published="2010-05")]
    out = list(areas.derive(groups, sightings, rfcs, [AttributionRecord(1, "IETF", "s", "x", "source-name"),
                                                        AttributionRecord(2, "IETF", "s", "x", "source-name")], {}, {}))
    links = {(r.area, r.basis): (r.first, r.last) for r in out if isinstance(r, AreaLinkRecord)}
    assert links == {("art", "agenda-parent"): (date(2020, 7, 30), date(2021, 3, 8)),
                     ("app", "rfc-source-suffix"): (date(2010, 5, 1), date(2012, 2, 29))}
    assert [r for r in out if isinstance(r, Relation)] == [
        Relation(("group", "x"), "subOrganizationOf", ("group", "art"), ("https://a.example/2",))]
