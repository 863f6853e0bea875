"""The area projection and shortest paths on a small hand-made graph: exact weights and reasons."""

from __future__ import annotations

import pytest

from ietfkg.graph import analytics
from ietfkg.graph.analytics import RoleHolding

SEC, ART, IRTF, OPS = "g/sec", "g/art", "g/irtf", "g/ops"
GROUP_AREA = analytics.group_areas(
    [(SEC, SEC), (ART, ART), (IRTF, IRTF), (OPS, OPS), ("g/tls", SEC), ("g/httpbis", ART), ("g/cfrg", IRTF)]
)
ACRONYMS = {SEC: "sec", ART: "art", IRTF: "irtf", "g/tls": "tls", "g/httpbis": "httpbis", "g/cfrg": "cfrg"}
HOLDINGS = [
    RoleHolding("p/ann", "Ann", SEC, "Area Director", "2020-01-01", "2022-01-01"),
    RoleHolding("p/ann", "Ann", "g/httpbis", "Chair"),
    RoleHolding("p/bob", "Bob", "g/tls", "Chair", "2019-03-01", "2021-07-01"),
    RoleHolding("p/bob", "Bob", "g/tls", "Chair", "2023-03-01", "2024-07-01"),  # one area only: no edge
    RoleHolding("p/cat", "Cat", "g/cfrg", "Chair"),
    RoleHolding("p/cat", "Cat", "g/httpbis", "Chair"),
    RoleHolding("p/dan", "Dan", "g/unknown", "Chair"),  # group outside every area: ignored
]
RFC_GROUPS = [("r/100", 100, "g/tls"), ("r/200", 200, "g/httpbis"), ("r/300", 300, "g/tls"), ("r/400", 400, "g/cfrg")]
RELATIONS = [
    ("r/200", "updates", "r/100"),  # art -> sec
    ("r/300", "obsoletes", "r/100"),  # sec -> sec: no edge
    ("r/400", "updates", "r/200"),  # irtf -> art
    ("r/999", "updates", "r/100"),  # r/999 has no producing group: no edge
]
PROTOCOL_RFCS = [("p/tls", "TLS", "r/100"), ("p/tls", "TLS", "r/200"), ("p/foo", "FOO", "r/300")]
COLLABORATIONS = [("g/cfrg", SEC), ("g/tls", SEC)]  # the second stays inside sec: no edge


@pytest.fixture()
def projection():
    evidence = [
        *analytics.people_evidence(HOLDINGS, GROUP_AREA, ACRONYMS),
        *analytics.rfc_evidence(RFC_GROUPS, RELATIONS, GROUP_AREA, ACRONYMS),
        *analytics.protocol_evidence(PROTOCOL_RFCS, RFC_GROUPS, GROUP_AREA),
        *analytics.collaboration_evidence(COLLABORATIONS, GROUP_AREA, ACRONYMS),
    ]
    return analytics.area_projection([SEC, ART, IRTF, OPS], evidence)


def test_projection_edges_and_weights(projection):
    weights = {tuple(sorted((u, v))): d["weight"] for u, v, d in projection.edges(data=True)}
    assert weights == {(ART, SEC): 3, (ART, IRTF): 2, (IRTF, SEC): 1}
    assert set(projection.nodes) == {SEC, ART, IRTF, OPS}  # ops has no relation but stays on the map
    assert projection.degree(OPS) == 0


def test_sec_art_reasons_are_exact(projection):
    edge = projection[SEC][ART]
    assert edge["counts"] == {"people": 1, "rfc": 1, "protocol": 1, "collaboration": 0}
    assert [(r["kind"], r["key"], r["text"]) for r in edge["reasons"]] == [
        ("people", "p/ann", "Ann: Chair of httpbis; Area Director of sec (2020-01-01 to 2022-01-01)"),
        ("rfc", "r/200 updates r/100", "RFC 200 updates RFC 100: RFC 200 (httpbis); RFC 100 (tls)"),
        ("protocol", "p/tls", "TLS: defined in RFC 200; defined in RFC 100"),
    ]


def test_research_group_edges(projection):
    art_irtf = projection[ART][IRTF]
    assert [r["text"] for r in art_irtf["reasons"]] == [
        "Cat: Chair of httpbis; Chair of cfrg",
        "RFC 400 updates RFC 200: RFC 200 (httpbis); RFC 400 (cfrg)",
    ]
    assert art_irtf["counts"] == {"people": 1, "rfc": 1, "protocol": 0, "collaboration": 0}
    irtf_sec = projection[IRTF][SEC]
    assert irtf_sec["counts"]["collaboration"] == 1
    assert [(r["kind"], r["label"], r["text"]) for r in irtf_sec["reasons"]] == [
        ("collaboration", "cfrg collaborates with sec", "cfrg collaborates with sec: cfrg; sec")
    ]


def test_projection_edges_are_sorted_plain_data(projection):
    edges = analytics.projection_edges(projection)
    assert [(e["source"], e["target"], e["weight"]) for e in edges] == [(ART, SEC, 3), (ART, IRTF, 2), (IRTF, SEC, 1)]


def test_no_evidence_no_edges():
    graph = analytics.area_projection([SEC, ART], [])
    assert graph.number_of_edges() == 0 and set(graph.nodes) == {SEC, ART}
