"""Source errors caught: the sanity rules on real records of the bundled snapshot.

Each case was found by reading the raw files: RFC 9419's ``pub_date`` is "July 2026" in the
RFC Editor JSON copied on 2024-01-06; thirteen issued RFCs (8694 ... 8998) carry the
"January 1970" placeholder; 187 numbers are NOT ISSUED; sources name some groups and
protocols differently (the seed page's "Messaging Layering Security" for MLS). The expected
values are computed from the raw JSON here, not copied from a build.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from pyoxigraph import RdfFormat, Store
from rich.console import Console

from ietfkg.api.summary import print_summary
from ietfkg.graph.oxigraph_backend import OxigraphBackend
from ietfkg.graph.validate import validate_sparql, validate_store
from ietfkg.ingest import datatracker_meetings, rfc_editor, source_checks
from ietfkg.ingest.corrections import parse_correction
from ietfkg.ingest.records import GroupRecord, ProtocolRecord, Record
from ietfkg.ingest.source_checks import ALT_LABEL, CORRECTED, LEFT_OUT, REPORTED, after
from tests.test_meetings import raw_meetings
from tests.test_rfc_editor import real_docs

RFC = "https://ietf-kg.example/doc/rfc"


def _issued(doc: dict) -> bool:
    return doc["status"].strip() != "NOT ISSUED"


def _query(snapshot_build, sparql: str) -> list[tuple[str, ...]]:
    backend = OxigraphBackend.open(snapshot_build.store)
    return [tuple(c.value if c is not None else "" for c in row) for row in backend.select(sparql).rows]


# -- no date after the snapshot --------------------------------------------------------
def test_rfc_9419_is_dated_after_the_snapshot_in_the_raw_file() -> None:
    assert real_docs()[9419]["pub_date"] == "July 2026"
    assert after("2026-07", rfc_editor.INFO.snapshot_date)
    # its neighbours in the same file are of July 2023, which the RFC's own text states
    assert {real_docs()[n]["pub_date"] for n in (9418, 9420)} == {"July 2023"}


def test_a_late_date_is_left_out_of_the_record() -> None:
    record = rfc_editor.parse_rfc(real_docs()[9419], "rfc9419.json")
    kept, findings = source_checks.without_late_dates([record], rfc_editor.INFO)
    assert kept[0].published is None and kept[0].title == record.title
    (finding,) = findings
    assert (finding.subject, finding.field, finding.value, finding.action) == (("rfc", "9419"), "published", "2026-07", LEFT_OUT)


def test_the_late_values_in_the_snapshot_are_rfc_9419_and_the_meetings_planned_after_the_list(snapshot_build) -> None:
    planned = [m["number"] for m in raw_meetings() if m["date"] > datatracker_meetings.INFO.snapshot_date]
    late = {(f.source, f.subject) for f in snapshot_build.findings if f.rule.startswith("date after")}
    assert late == {("rfc-editor", ("rfc", "9419"))} | {("datatracker-meetings", ("meeting", n)) for n in planned}


def test_rfc_9419_corrected_in_its_own_graph_with_evidence(snapshot_build) -> None:
    rows = _query(snapshot_build, f"""
        SELECT ?source ?issued WHERE {{ GRAPH ?g {{ <{RFC}9419> dcterms:issued ?issued }} ?g ietf:sourceName ?source }}""")
    assert rows == [("corrections", "2023-07")]  # not in rfc-editor's graph: it does not say so
    (row,) = _query(snapshot_build, f"""
        SELECT ?was ?now ?quote (GROUP_CONCAT(STR(?url); separator=' ') AS ?urls) WHERE {{
          ?c a ietf:Correction ; ietf:corrects <{RFC}9419> ; ietf:sourceValue ?was ; ietf:correctedValue ?now ;
             ietf:quote ?quote ; prov:wasDerivedFrom ?url }} GROUP BY ?was ?now ?quote""")
    assert row[:3] == (real_docs()[9419]["pub_date"], "2023-07", "July 2023")
    assert "https://www.rfc-editor.org/rfc/rfc9419.txt" in row[3].split()
    (finding,) = [f for f in snapshot_build.findings if f.subject == ("rfc", "9419") and f.field == "published"]
    assert finding.action == CORRECTED and "2023-07" in finding.detail


def test_a_correction_of_a_value_no_rule_left_out_is_an_error() -> None:
    correction = parse_correction({
        "subject": ["rfc", 8446], "field": "published", "source": "rfc-editor", "source_value": "August 2018",
        "value": "2018-08", "quote": "August 2018", "evidence": ["https://www.rfc-editor.org/rfc/rfc8446.txt"],
    }, "c")
    kept, findings, errors = source_checks.apply_corrections([correction], [])
    assert kept == [] and findings == [] and "nothing to correct" in str(errors[0])


# -- NOT ISSUED numbers ------------------------------------------------------------------
def test_not_issued_numbers_are_kept_apart_from_rfcs(snapshot_build) -> None:
    docs = real_docs()
    issued = sum(_issued(d) for d in docs.values())
    assert (issued, len(docs) - issued) == (9319, 187)
    counts = dict(_query(snapshot_build, """
        SELECT ?c (STR(COUNT(DISTINCT ?n)) AS ?k) WHERE { VALUES ?c { ietf:RFC ietf:UnissuedNumber ietf:Document }
          ?n a ?c ; ietf:rfcNumber ?x } GROUP BY ?c"""))
    assert counts == {"https://ietf-kg.example/ns#RFC": str(issued),
                      "https://ietf-kg.example/ns#UnissuedNumber": str(len(docs) - issued),
                      "https://ietf-kg.example/ns#Document": str(issued)}
    assert docs[3500]["status"] == "NOT ISSUED"
    (row,) = _query(snapshot_build, f"SELECT ?t WHERE {{ <{RFC}3500> a ?t }}")
    assert row == ("https://ietf-kg.example/ns#UnissuedNumber",)


# -- issued RFCs with no date -------------------------------------------------------------
def test_undated_issued_rfcs_are_reported(snapshot_build) -> None:
    placeholder = {n for n, d in real_docs().items() if _issued(d) and d["pub_date"] == "January 1970" and n >= 100}
    assert len(placeholder) == 13 and {8694, 8703, 8998} <= placeholder
    reported = {int(f.subject[1]) for f in snapshot_build.findings if f.action == REPORTED}
    assert reported == placeholder
    warned = {v.focus for v in snapshot_build.validation.violations if v.severity == "Warning"}
    assert warned == {f"{RFC}{n}" for n in placeholder}  # the SHACL warning shape agrees
    assert snapshot_build.validation.conforms


# -- one preferred label ------------------------------------------------------------------
def test_one_preferred_label_per_entity(snapshot_build) -> None:
    assert _query(snapshot_build, "SELECT ?s WHERE { ?s skos:prefLabel ?a, ?b FILTER (?a != ?b) } LIMIT 1") == []
    (row,) = _query(snapshot_build, """
        SELECT ?pref ?alt WHERE { ?p a ietf:Protocol ; skos:notation 'MLS' ; skos:prefLabel ?pref ; skos:altLabel ?alt }""")
    assert row == ("Messaging Layer Security", "Messaging Layering Security")  # the seed page's typo is an alias
    demoted = {(f.source, f.subject, f.value) for f in snapshot_build.findings if f.action == ALT_LABEL}
    assert ("curated", ("protocol", "MLS"), "Messaging Layering Security") in demoted


def test_the_newest_source_names_an_entity() -> None:
    old = GroupRecord(acronym="tsvwg", name="Transport Area Working Group")  # the agenda of 2020-2022
    new = GroupRecord(acronym="tsvwg", name="Transport and Services Working Group")  # the power map of 2026
    parsed: dict[str, list[Record]] = {"agenda": [old], "power": [new], "protocols": [ProtocolRecord("TLS", "x")]}
    infos = {name: replace(rfc_editor.INFO, name=name, snapshot_date=day)
             for name, day in (("agenda", "2023-01-31"), ("power", "2026-03-09"), ("protocols", "2024-01-06"))}
    (finding,) = source_checks.one_preferred_label(parsed, infos)
    assert parsed["agenda"][0].name is None and parsed["agenda"][0].aka == ("Transport Area Working Group",)
    assert parsed["power"][0] == new and finding.source == "agenda"


# -- the build summary lists every finding --------------------------------------------------
def test_the_build_summary_lists_each_finding_with_its_reason(snapshot_build) -> None:
    console = Console(record=True, width=400)
    print_summary(console, snapshot_build)
    text = console.export_text()
    assert f"source errors caught by the sanity rules: {len(snapshot_build.findings)}" in text
    assert "rfc 9419 published '2026-07': date after the source's snapshot date; corrected" in text
    assert "rfc 8703 published no value: issued RFC with no publication date; reported" in text


# -- the SHACL shapes ------------------------------------------------------------------------
BROKEN = """
@prefix ietf: <https://ietf-kg.example/ns#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://ietf-kg.example/graph/a> a ietf:SourceGraph ; ietf:origin "a" ; ietf:snapshotDate "2024-01-06"^^xsd:date ;
    prov:generatedAtTime "2024-01-07T00:00:00Z"^^xsd:dateTime ; ietf:statesDatesWith dcterms:issued, ietf:startDate .
<https://ietf-kg.example/graph/b> a ietf:SourceGraph ; ietf:origin "b" ; ietf:snapshotDate "2026-03-09"^^xsd:date ;
    prov:generatedAtTime "2026-03-10T00:00:00Z"^^xsd:dateTime ; ietf:statesDatesWith ietf:startDate .
<https://ietf-kg.example/doc/rfc1> a ietf:RFC ; ietf:rfcNumber 1 ; dcterms:title "late" ;
    prov:wasDerivedFrom <https://example.org/1> ; dcterms:issued "2026-07"^^xsd:gYearMonth .
<https://ietf-kg.example/doc/rfc2> a ietf:RFC ; ietf:rfcNumber 2 ; dcterms:title "in time" ;
    prov:wasDerivedFrom <https://example.org/2> ; dcterms:issued "2024-01"^^xsd:gYearMonth .
<https://ietf-kg.example/role/x> ietf:startDate "2025-05-01"^^xsd:date .
<https://ietf-kg.example/doc/rfc3> a ietf:UnissuedNumber, ietf:RFC ; ietf:rfcNumber 3 ; dcterms:title "x" ;
    prov:wasDerivedFrom <https://example.org/3> ; dcterms:issued "2000-01"^^xsd:gYearMonth .
<https://ietf-kg.example/group/x> a ietf:Group, ietf:WorkingGroup, ietf:ResearchGroup ; skos:notation "x" ;
    skos:prefLabel "X", "Ex" .
"""


@pytest.fixture(scope="module")
def broken() -> OxigraphBackend:
    store = Store()
    store.load(BROKEN.encode(), format=RdfFormat.TURTLE, to_graph=None)
    return OxigraphBackend(store)


def test_the_shapes_catch_each_source_error(broken: OxigraphBackend) -> None:
    report = validate_store(broken)
    found = {(v.focus.rsplit("/", 1)[-1], v.message) for v in report.violations if v.severity == "Violation"}
    assert ("a", "https://ietf-kg.example/doc/rfc1 has a date later than the snapshot of every source stating it: "
                 "2026-07 (http://purl.org/dc/terms/issued)") in found
    assert ("rfc3", "a NOT ISSUED number is not an RFC") in found
    assert ("rfc3", "a NOT ISSUED number has no publication date") in found
    assert ("x", "a group is a working group or a research group, not both") in found
    assert ("x", "an entity has one preferred label") in found
    assert not report.conforms


def test_a_date_is_late_only_after_every_source_stating_it(broken: OxigraphBackend) -> None:
    # rfc2 (2024-01, a's snapshot 2024-01-06) and the 2025 start date (b's snapshot is 2026) pass
    flagged = {v.message.split(" ", 1)[0] for v in validate_sparql(broken).violations}
    assert flagged == {"https://ietf-kg.example/doc/rfc1"}


def test_every_date_predicate_of_the_build_is_checked(snapshot_build) -> None:
    rows = _query(snapshot_build, "SELECT DISTINCT ?p WHERE { ?g a ietf:SourceGraph ; ietf:statesDatesWith ?p }")
    assert {"http://purl.org/dc/terms/issued", "https://ietf-kg.example/ns#startDate",
            "https://ietf-kg.example/ns#observedOn"} <= {p for (p,) in rows}

