"""Meetings, sessions, Internet-Drafts and historical sub-series membership, checked against the raw files.

Every expected count is computed here from the bundled files (the meetings list, the agendas, the
RFC JSON and the Relaton YAML), never written down; sample records are compared field by field
with the raw JSON.
"""

from __future__ import annotations

import gzip
import json
import re
import tarfile
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest

import ietfkg.ingest as ingest_pkg
from ietfkg.graph.oxigraph_backend import OxigraphBackend
from ietfkg.ingest.agenda_sessions import parse_sessions
from ietfkg.ingest.datatracker_meetings import parse_meetings
from ietfkg.schema.errors import ParseError
from tests.test_graphql_api import ok
from tests.test_rfc_editor import real_docs

DATATRACKER = Path(ingest_pkg.__file__).parent / "snapshot" / "datatracker"
RELATON = Path(ingest_pkg.__file__).parent / "snapshot" / "relaton-rfcsubseries" / "rfcsubseries-yaml.tar.gz"
DT = "https://datatracker.ietf.org"


# -- the raw files -------------------------------------------------------------------------------
@cache
def raw_meetings() -> list[dict[str, Any]]:
    return json.loads(gzip.decompress((DATATRACKER / "meetings.json.gz").read_bytes()))["objects"]


@cache
def raw_sessions() -> list[tuple[int, dict[str, Any]]]:
    """(meeting number, session item) of every agenda, for every session item that names a group."""
    found = []
    for path in sorted(DATATRACKER.glob("agenda_*.json.gz")):
        ((number, items),) = json.loads(gzip.decompress(path.read_bytes())).items()
        found += [(int(number), i) for i in items if i.get("objtype") == "session" and i.get("group")]
    return found


def raw_session(session_id: int) -> tuple[int, dict[str, Any]]:
    (found,) = [(n, s) for n, s in raw_sessions() if s["session_id"] == session_id]
    return found


@cache
def raw_current_members() -> dict[str, set[int]]:
    """Relaton entry ("STD0007") -> the numbers of the RFCs its top-level ``includes`` relations name (9293)."""
    members: dict[str, set[int]] = {}
    with tarfile.open(RELATON) as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".yaml"):
                text = tar.extractfile(member).read().decode()  # type: ignore[union-attr]
                # top-level relations only: an included RFC's own relations are indented deeper
                found = re.findall(r"^- type: includes\n  bibitem:\n    id: RFC ?(\d+)", text, re.M)
                members[Path(member.name).stem] = {int(n) for n in found}
    return members


def _seconds(hms: str) -> int:
    h, m, s = (int(x) for x in hms.split(":"))
    return h * 3600 + m * 60 + s


def _duration_seconds(xsd: str) -> int:
    match = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?", xsd)
    assert match, xsd
    h, m, s = (int(x or 0) for x in match.groups())
    return h * 3600 + m * 60 + s


def _query(snapshot_build, sparql: str) -> list[tuple[str, ...]]:
    backend = OxigraphBackend.open(snapshot_build.store)
    return [tuple(c.value if c is not None else "" for c in row) for row in backend.select(sparql).rows]


def _count(snapshot_build, sparql: str) -> int:
    ((n,),) = _query(snapshot_build, sparql)
    return int(n)


# -- counts equal to the bundled files ---------------------------------------------------------------
def test_meeting_count_is_the_meetings_list_plus_agenda_only_meetings(snapshot_build) -> None:
    listed = {int(m["number"]) for m in raw_meetings()}
    on_agendas = {n for n, _ in raw_sessions()}
    assert _count(snapshot_build, "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a ietf:Meeting }") == len(listed | on_agendas)
    assert _count(snapshot_build, "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a ietf:Meeting ; ietf:city ?c }") == len(listed)


def test_session_counts_per_meeting_equal_the_agendas(snapshot_build) -> None:
    expected: dict[str, int] = {}
    for number, _ in raw_sessions():
        expected[str(number)] = expected.get(str(number), 0) + 1
    rows = _query(snapshot_build, """
        SELECT ?n (COUNT(DISTINCT ?s) AS ?sessions) WHERE { ?s a ietf:Session ; ietf:atMeeting/ietf:meetingNumber ?n }
        GROUP BY ?n""")
    assert {n: int(count) for n, count in rows} == expected
    assert _count(snapshot_build, "SELECT (COUNT(?s) AS ?n) WHERE { ?s a ietf:Session }") == len(raw_sessions())


def test_bofs_per_meeting_equal_the_agendas_is_bof_flags(snapshot_build) -> None:
    expected: dict[str, set[str]] = {}
    for number, s in raw_sessions():
        if s["is_bof"] is True:
            expected.setdefault(str(number), set()).add(s["group"]["acronym"])
    rows = _query(snapshot_build, """
        SELECT ?n ?g WHERE { ?s ietf:isBof true ; ietf:atMeeting/ietf:meetingNumber ?n ; ietf:sessionOf/skos:notation ?g }""")
    found: dict[str, set[str]] = {}
    for n, g in rows:
        found.setdefault(n, set()).add(g)
    assert found == expected and expected


def _raw_draft_names() -> set[str]:
    names = set()
    for doc in real_docs().values():
        draft = (doc.get("draft") or "").strip()
        if draft.startswith("draft-") and doc.get("status", "").strip() != "NOT ISSUED":
            names.add(re.sub(r"-\d\d$", "", draft))
    for _, session in raw_sessions():
        for slide in session.get("presentations") or []:
            for found in re.findall(r"(?<![a-z0-9])draft(?:-[a-z0-9]+)+", slide["title"]):
                parts = found.split("-")
                cut = next((i for i in range(3, len(parts)) if re.fullmatch(r"\d\d", parts[i])), len(parts))
                if cut >= 3:
                    names.add("-".join(parts[:cut]))
    return names


def test_draft_count_equals_the_names_in_rfc_json_and_slide_titles(snapshot_build) -> None:
    names = _raw_draft_names()
    found = {n for (n,) in _query(snapshot_build, "SELECT ?name WHERE { ?d a ietf:Draft ; skos:notation ?name }")}
    assert found == names
    rfc_drafts = {d["draft"].strip() for d in real_docs().values() if (d.get("draft") or "").strip().startswith("draft-")}
    assert _count(snapshot_build, "SELECT (COUNT(?d) AS ?n) WHERE { ?d ietf:becameRfc ?r }") == len(rfc_drafts)


def test_historical_subseries_membership_equals_see_also_minus_relaton(snapshot_build) -> None:
    current = raw_current_members()
    expected = set()
    for number, doc in real_docs().items():
        for ref in doc.get("see_also") or []:
            ref = ref.strip()
            if re.fullmatch(r"(BCP|STD|FYI)\d+", ref) and number not in current.get(ref, set()):
                expected.add((str(number), f"{ref[:3]} {int(ref[3:])}"))
    rows = _query(snapshot_build, "SELECT ?r ?e WHERE { ?x ietf:formerlyPartOf/skos:notation ?e ; ietf:rfcNumber ?r }")
    assert set(rows) == expected and ("793", "STD 7") in expected


# -- sample records, field by field --------------------------------------------------------------------
def test_rfc_793_was_std_7_and_rfc_9293_is(snapshot_build) -> None:
    assert "STD0007" in real_docs()[793]["see_also"] and raw_current_members()["STD0007"] == {9293}
    assert _query(snapshot_build, """
        SELECT ?former ?current WHERE { ?r ietf:rfcNumber 793 ; ietf:formerlyPartOf/skos:notation ?former
          OPTIONAL { ?r dcterms:isPartOf/skos:notation ?current } }""") == [("STD 7", "")]
    assert ("STD 7",) in _query(snapshot_build, "SELECT ?e WHERE { ?r ietf:rfcNumber 9293 ; dcterms:isPartOf/skos:notation ?e }")


@pytest.mark.parametrize("number", [115, 108, 97])
def test_a_meeting_matches_its_raw_record(snapshot_build, number: int) -> None:
    (raw,) = [m for m in raw_meetings() if m["number"] == str(number)]
    ((city, country, begins, ends, days, uri),) = _query(snapshot_build, f"""
        SELECT ?city ?country ?begins ?ends ?days ?uri WHERE {{ ?m ietf:meetingNumber {number} ; ietf:city ?city ;
          ietf:country ?country ; ietf:beginsOn ?begins ; ietf:endsOn ?ends ; ietf:days ?days ; prov:wasDerivedFrom ?uri }}""")
    first = date.fromisoformat(raw["date"])
    assert (city, country, begins, days) == (raw["city"], raw["country"], raw["date"], str(raw["days"]))
    assert ends == (first + timedelta(days=raw["days"] - 1)).isoformat()
    assert uri == DT + raw["resource_uri"]


def test_a_planned_meeting_date_after_the_snapshot_is_left_out_and_reported(snapshot_build) -> None:
    (raw,) = [m for m in raw_meetings() if m["number"] == "116"]
    assert raw["date"] > "2023-01-31"  # the list was copied before the meeting
    assert _query(snapshot_build, "SELECT ?d WHERE { ?m ietf:meetingNumber 116 ; ietf:beginsOn ?d }") == []
    assert _query(snapshot_build, "SELECT ?c WHERE { ?m ietf:meetingNumber 116 ; ietf:city ?c }") == [(raw["city"],)]
    late = [f for f in snapshot_build.findings if f.subject == ("meeting", "116")]
    assert {f.field for f in late} == {"start", "end"} and all(f.value for f in late)


@pytest.mark.parametrize("session_id", [30002, raw_sessions()[0][1]["session_id"], raw_sessions()[-1][1]["session_id"]])
def test_a_session_matches_its_raw_record(snapshot_build, session_id: int) -> None:
    number, raw = raw_session(session_id)
    ((meeting, group, start, duration, room, bof, status, uri),) = _query(snapshot_build, f"""
        SELECT ?meeting ?group ?start ?duration ?room ?bof ?status ?uri WHERE {{
          ?s a ietf:Session ; ietf:datatrackerId {session_id} ; ietf:atMeeting/ietf:meetingNumber ?meeting ;
             ietf:sessionOf/skos:notation ?group ; ietf:startTime ?start ; ietf:duration ?duration ; ietf:isBof ?bof ;
             prov:wasDerivedFrom ?uri .
          OPTIONAL {{ ?s ietf:room ?room }} OPTIONAL {{ ?s ietf:sessionStatus ?status }} }}""")
    assert (meeting, group, start) == (str(number), raw["group"]["acronym"], raw["start"])
    assert _duration_seconds(duration) == _seconds(raw["duration"])
    assert (room, status, bof) == (raw.get("location") or "", raw["status"] or "", str(raw["is_bof"]).lower())
    assert uri == DT + raw["session_res_uri"]
    materials = {p: o for p, o in _query(snapshot_build, f"""
        SELECT ?p ?o WHERE {{ ?s ietf:datatrackerId {session_id} ; a ietf:Session ; ?p ?o .
          FILTER(?p IN (ietf:agenda, ietf:minutes)) }}""")}
    assert materials.get("https://ietf-kg.example/ns#agenda") == raw.get("agenda")
    assert materials.get("https://ietf-kg.example/ns#minutes") == raw.get("minutes")
    slides = _query(snapshot_build, f"""
        SELECT ?url ?name ?title ?rev WHERE {{ ?s ietf:datatrackerId {session_id} ; a ietf:Session ; ietf:slides ?url .
          ?url skos:notation ?name ; dcterms:title ?title ; ietf:revision ?rev }}""")
    expected = {
        (f"{DT}/meeting/{number}/materials/{p['name']}-{p['rev']}", p["name"], p["title"], p["rev"])
        for p in raw.get("presentations") or []
    }
    assert set(slides) == expected


def test_the_satp_bof_session_at_ietf_115(snapshot_build) -> None:
    number, raw = raw_session(30002)
    assert (number, raw["group"]["acronym"], raw["is_bof"]) == (115, "satp", True)


def test_a_draft_from_an_rfc_matches_the_raw_json(snapshot_build) -> None:
    raw = real_docs()[8446]["draft"].strip()
    name, revision = raw.rsplit("-", 1)
    rows = _query(snapshot_build, f"""
        SELECT ?rev ?group ?basis ?rfc WHERE {{ ?d a ietf:Draft ; skos:notation '{name}' ; ietf:lastRevision ?rev ;
          ietf:draftGroup/skos:notation ?group ; ietf:groupBasis ?basis ; ietf:becameRfc/ietf:rfcNumber ?rfc }}""")
    producer = _query(snapshot_build, "SELECT ?g WHERE { ?r ietf:rfcNumber 8446 ; ietf:producedBy/skos:notation ?g }")
    assert rows == [(revision, producer[0][0], "rfc-attribution", "8446")]


def _session_naming(title: str) -> dict[str, Any]:
    ((_, session),) = [(n, s) for n, s in raw_sessions() if any(title in p["title"] for p in s.get("presentations") or [])]
    return session


def test_a_draft_in_a_slide_title_and_an_rfc_keeps_the_highest_revision(snapshot_build) -> None:
    session = _session_naming("draft-ietf-dnsop-alt-tld-18")
    (rfc,) = [n for n, d in real_docs().items() if (d.get("draft") or "").startswith("draft-ietf-dnsop-alt-tld-")]
    revision = max("18", real_docs()[rfc]["draft"].strip().rsplit("-", 1)[1])
    rows = _query(snapshot_build, f"""
        SELECT ?rev ?basis ?rfc WHERE {{ ?s ietf:datatrackerId {session['session_id']} ; ietf:namesDraft ?d .
          ?d skos:notation 'draft-ietf-dnsop-alt-tld' ; ietf:lastRevision ?rev ; ietf:groupBasis ?basis ;
             ietf:becameRfc/ietf:rfcNumber ?rfc }}""")
    assert rows == [(revision, "rfc-attribution", str(rfc))]


def test_a_draft_only_a_slide_title_names_gets_its_group_from_its_name(snapshot_build) -> None:
    session = _session_naming("draft-ietf-stir-passport-rcd-23")
    assert not any((d.get("draft") or "").startswith("draft-ietf-stir-passport-rcd-") for d in real_docs().values())
    rows = _query(snapshot_build, f"""
        SELECT ?rev ?group ?basis WHERE {{ ?s ietf:datatrackerId {session['session_id']} ; ietf:namesDraft ?d .
          ?d skos:notation 'draft-ietf-stir-passport-rcd' ; ietf:lastRevision ?rev ;
             ietf:draftGroup/skos:notation ?group ; ietf:groupBasis ?basis }}""")
    assert rows == [("23", "stir", "draft-name")]


def test_an_individual_draft_presented_at_a_session_gets_no_group(snapshot_build) -> None:
    _session_naming("draft-bweeks-acme-device-attest")
    assert _query(snapshot_build, """
        SELECT ?g WHERE { ?d skos:notation 'draft-bweeks-acme-device-attest' ; a ietf:Draft OPTIONAL { ?d ietf:draftGroup ?g } }""") == [("",)]


# -- bad input gives clear errors -------------------------------------------------------------------------
def test_bad_meeting_and_session_records_are_named_in_clear_errors() -> None:
    errors: list[ParseError] = []
    meetings = list(parse_meetings({"objects": [{"number": "interim-2021"}, {"number": "110", "days": "seven"}]}, "m.json", errors.append))
    assert meetings == [] and ["number" in str(errors[0]), "days" in str(errors[1])] == [True, True]
    with pytest.raises(ParseError, match="list page"):
        list(parse_meetings([], "m.json"))
    item = {"objtype": "session", "group": {"acronym": "tls"}, "session_id": "x", "duration": "1:00:00"}
    with pytest.raises(ParseError, match="session_id"):
        list(parse_sessions({"115": [item]}, "agenda_115.json"))
    with pytest.raises(ParseError, match="duration"):
        list(parse_sessions({"115": [{**item, "session_id": 1, "duration": "an hour"}]}, "agenda_115.json"))


# -- GraphQL and the meeting page ----------------------------------------------------------------------------
def _met(number: int, bof: bool | None = None) -> set[str]:
    return {
        s["group"]["acronym"] for n, s in raw_sessions()
        if n == number and s["status"] != "canceled" and (bof is None or s["is_bof"] is bof)
    }


def test_graphql_which_groups_met_and_the_bofs(live_server: str) -> None:
    data = ok(live_server, """{ meeting(number: 115) { city country groups { acronym } bofs: groups(bof: true) { acronym }
        sessions(bof: true) { isBof group { acronym } } } }""")["meeting"]
    assert {g["acronym"] for g in data["groups"]} == _met(115)
    assert {g["acronym"] for g in data["bofs"]} == _met(115, bof=True)
    assert all(s["isBof"] for s in data["sessions"]) and data["sessions"]
    (raw,) = [m for m in raw_meetings() if m["number"] == "115"]
    assert (data["city"], data["country"]) == (raw["city"], raw["country"])


def test_graphql_when_did_tls_meet(live_server: str) -> None:
    sessions = ok(live_server, '{ group(acronym: "tls") { sessions { start room meeting { number } } } }')["group"]["sessions"]
    raw = sorted((s["start"], n) for n, s in raw_sessions() if s["group"]["acronym"] == "tls" and s["status"] != "canceled")
    assert [(s["start"], s["meeting"]["number"]) for s in sessions] == raw and raw


def test_graphql_drafts_and_former_subseries(live_server: str) -> None:
    data = ok(live_server, """{ draft(name: "draft-ietf-tls-tls13-28") { name lastRevision rfc { number } group { acronym } }
        rfc(number: 793) { formerSubSeries { name } subSeries { name } }
        r8446: rfc(number: 8446) { draft { name } } }""")
    assert data["draft"] == {"name": "draft-ietf-tls-tls13", "lastRevision": "28", "rfc": {"number": 8446}, "group": {"acronym": "tls"}}
    assert data["rfc"] == {"formerSubSeries": [{"name": "STD 7"}], "subSeries": []}
    assert data["r8446"] == {"draft": {"name": "draft-ietf-tls-tls13"}}


def test_meeting_page_lists_its_sessions_and_bofs(live_server: str) -> None:
    page = httpx.get(live_server + "/meeting/115", timeout=60)
    assert page.status_code == 200
    (raw,) = [m for m in raw_meetings() if m["number"] == "115"]
    assert f"{raw['city']} ({raw['country']})" in page.text
    assert all(f">{acronym}</a>" in page.text for acronym in _met(115, bof=True))
    assert page.text.count('href="' + live_server + "/session/") >= len([1 for n, _ in raw_sessions() if n == 115])
