"""RFC -> group, stream and group succession, on real RFCs of the bundled snapshot.

Each table row was labelled by reading the RFC's JSON in the tarball (its
``source`` and ``draft``, quoted in the row and checked against the raw file) and
the group records of the other bundled files; the test checks that the
attribution stage agrees.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

import ietfkg.ingest as ingest_pkg
from ietfkg.graph.progress import QuietReporter
from ietfkg.ingest import attribution, registry
from ietfkg.ingest.group_names import GroupNames, area_suffixes, draft_group, group_label, split_label
from ietfkg.ingest.pipeline import parse_sources
from ietfkg.ingest.records import AttributionRecord, GroupRecord, Record, Relation, RfcRecord
from tests.test_rfc_editor import real_docs

SNAPSHOT = Path(ingest_pkg.__file__).parent / "snapshot"
_UPSTREAM = {"datatracker-agenda", "power-map", "curated", "iab-programs", "iesg-roll-calls", "rfc-editor"}


@cache
def derived() -> tuple[list[Record], dict[int, RfcRecord]]:
    upstream = [s for s in registry.snapshot_sources() if s.info.name in _UPSTREAM]
    parsed, _ = parse_sources(SNAPSHOT, QuietReporter(), upstream)
    groups = [r for records in parsed.values() for r in records if isinstance(r, GroupRecord)]
    rfcs = {r.number: r for r in parsed["rfc-editor"] if isinstance(r, RfcRecord)}
    return list(attribution.derive(groups, rfcs.values())), rfcs


def attributions() -> dict[int, AttributionRecord]:
    return {r.rfc: r for r in derived()[0] if isinstance(r, AttributionRecord)}


# RFC, its raw source and draft, then the expected group (basis) and stream (basis).
TABLE = [
    # the source names the WG; a group record (agenda) gives the acronym
    (8446, "Transport Layer Security", "draft-ietf-tls-tls13-28", "tls", "source-name", "IETF", "status"),
    # renamed/merged WGs: the source wins over the draft name's old acronym
    (6263, "Audio/Video Transport Core Maintenance RAI", "draft-ietf-avt-app-rtp-keepalive-10", "avtcore", "source-name", "IETF", "status"),
    (3542, "IP Version 6 Working Group", "draft-ietf-ipngwg-rfc2292bis-09", "ipv6", "source-name-drafts", "IETF", "source-group"),
    (5172, "IPv6 Maintenance", "draft-ietf-ipv6-compression-nego-v2-02", "6man", "source-name", "IETF", "status"),
    (7611, "BGP Enabled Services", "draft-ietf-l3vpn-acceptown-community-10", "bess", "source-name", "IETF", "status"),
    (7727, "Pseudowire And LDP-enabled Services", "draft-ietf-pwe3-iccp-stp-05", "pals", "source-name", "IETF", "status"),
    (3471, "Common Control and Measurement Plane", "draft-ietf-mpls-generalized-signaling-09", "ccamp", "source-name", "IETF", "status"),
    # a draft name that is no group's acronym (draft-ietf-rfc7386bis) does not matter: the source names appsawg
    (7396, "Applications Area Working Group APP", "draft-ietf-rfc7386bis-00", "appsawg", "source-name-drafts", "IETF", "status"),
    # RG sources: the IRTF stream, whatever the draft is called
    (8554, "Crypto Forum Research Group", "draft-mcgrew-hash-sigs-15", "cfrg", "source-name", "IRTF", "source-group"),
    (7116, "Delay-Tolerant Networking Research Group", "draft-dtnrg-ltp-cbhe-registries-07", "dtnrg", "source-name-drafts", "IRTF", "source-group"),
    (6875, "Peer-to-Peer Research Group", "draft-kamei-p2p-experiments-japan-09", "p2prg", "source-name-drafts", "IRTF", "source-group"),
    # source IRTF: the RG from the draft only when the RG is known (dtnrg), never "routing" (that is rrg's)
    (5050, "IRTF", "draft-irtf-dtnrg-bundle-spec-10", "dtnrg", "draft-name", "IRTF", "source"),
    (5772, "IRTF", "draft-irtf-routing-reqs-11", None, None, "IRTF", "source"),
    # an IRTF draft named after a WG (hip) is not that WG's
    (6538, "IRTF", "draft-irtf-hip-experiment-15", None, None, "IRTF", "source"),
    # a BCP is IETF stream, even with an IAB draft name; source IESG names no WG
    (7720, "IESG", "draft-iab-2870bis-03", None, None, "IETF", "status"),
    # non-WG IETF RFCs from RG drafts are neither the RG's nor IRTF
    (3430, "IETF - NON WORKING GROUP", "draft-irtf-nmrg-snmp-tcp-09", None, None, "IETF", "source"),
    (3444, "IETF - NON WORKING GROUP", "draft-irtf-nmrg-im-dm-02", None, None, "IETF", "source"),
    (4981, "INDEPENDENT", "draft-irtf-p2prg-survey-search-01", None, None, "INDEPENDENT", "source"),
    (9419, "IAB", "draft-iab-path-signals-collaboration-03", None, None, "IAB", "source"),
    # Legacy: the stream the RFC Editor gives; a draft-ietf-<wg> name links the WG, an area's does not
    (2972, "Legacy", "draft-ietf-cnrp-goals-01", "cnrp", "draft-name", "Legacy", "source"),
    (3419, "Legacy", "draft-ietf-ops-taddress-mib-05", None, None, "Legacy", "source"),
]


@pytest.mark.parametrize(("number", "source", "draft", "group", "basis", "stream", "stream_basis"), TABLE)
def test_attribution_table(
    number: int, source: str, draft: str, group: str | None, basis: str | None, stream: str, stream_basis: str
) -> None:
    raw = real_docs()[number]
    assert (raw["source"].strip(), (raw.get("draft") or "").strip()) == (source, draft)
    found = attributions()[number]
    assert (found.group, found.group_basis) == (group, basis)
    assert (found.stream, found.stream_basis) == (stream, stream_basis)


def test_renames_and_merges_become_successions() -> None:
    links = {(r.subject[1], r.object[1]): r.evidence for r in derived()[0] if isinstance(r, Relation)}
    assert {("avt", "avtcore"), ("ipngwg", "ipv6"), ("ipv6", "6man"), ("l3vpn", "bess"), ("pwe3", "pals")} <= set(links)
    assert links[("l3vpn", "bess")] == tuple(f"https://www.rfc-editor.org/rfc/rfc{n}.json" for n in (7441, 7611))
    # mpls went on after ccamp finished three of its drafts; payload and avtcore met side by side
    assert ("mpls", "ccamp") not in links and ("payload", "avtcore") not in links


def test_groups_only_rfcs_name_are_minted_with_the_kind_the_evidence_gives() -> None:
    minted = {r.acronym: r for r in derived()[0] if isinstance(r, GroupRecord)}
    assert minted["dtnrg"].type == minted["p2prg"].type == "rg"
    assert minted["dtnrg"].name == "Delay-Tolerant Networking Research Group"
    assert minted["ipngwg"].type == "wg" and minted["ipngwg"].name == "IP Next Generation"
    assert "routing" not in minted and "rfc7386bis" not in minted and "ops" not in minted
    assert minted["hip"].type == "wg"  # the Host Identity Protocol WG; draft-irtf-hip-experiment is not its
    assert "tls" not in minted  # a group record names it: the attribution adds nothing


def test_not_issued_numbers_are_not_attributed() -> None:
    assert real_docs()[3500]["status"] == "NOT ISSUED"
    assert 3500 not in attributions()
    assert len(attributions()) == 9506 - 187


def test_area_suffixes_found_in_the_real_labels() -> None:
    names = GroupNames.build([r for r in derived()[0] if isinstance(r, GroupRecord)], derived()[1].values())
    assert names.suffixes == frozenset({"APP", "INT", "RAI", "TSV"})
    assert real_docs()[3916]["source"] == "Pseudo Wire Emulation Edge to Edge INT"
    label = group_label(derived()[1][3916], names.suffixes)
    assert label is not None and (label.name, label.area) == ("Pseudo Wire Emulation Edge to Edge", "int")


@pytest.mark.parametrize(
    ("label", "suffix"),
    [("Ethernet MIB", None), ("Open Shortest Path First IGP", None), ("Layer 2 Virtual Private Networks INT", "int")],
)
def test_split_label_keeps_names_ending_in_capitals(label: str, suffix: str | None) -> None:
    found = area_suffixes([label, "Layer 2 Virtual Private Networks"], [], [])
    assert split_label(label, found).area == suffix


@pytest.mark.parametrize(
    ("draft", "group"),
    [
        ("draft-ietf-tls-tls13-28", ("ietf", "tls")),
        ("draft-IETF-Acme-acme-18", ("ietf", "acme")),
        (" draft-ietf-pim-dm-new-v2-05", ("ietf", "pim")),
        ("draft-irtf-cfrg-eddsa-08", ("irtf", "cfrg")),
        ("draft-iab-oma-liaison-00", None),
        ("draft-rescorla-tls13-00", None),
        ("draft-ietf-tls", None),
        (None, None),
    ],
)
def test_draft_group(draft: str | None, group: tuple[str, str] | None) -> None:
    assert draft_group(draft) == group
