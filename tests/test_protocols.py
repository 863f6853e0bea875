"""Protocol extraction: the whole real RFC title set with the shipped overrides, plus small cases."""

from __future__ import annotations

import json
import re
import tarfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

import ietfkg.ingest as ingest_pkg
from ietfkg.ingest.protocols import (
    OVERRIDES_FILE,
    SOURCE,
    TitleAcronym,
    extract_protocols,
    long_form,
    parse_overrides,
    title_acronyms,
)
from ietfkg.ingest.records import ProtocolRecord, RfcRecord
from ietfkg.ingest.rfc_editor import parse_rfc
from ietfkg.schema.errors import ParseError

INGEST = Path(ingest_pkg.__file__).parent
TARBALL = INGEST / "snapshot" / "rfc-editor" / "rfc-json.tar.gz"


def overrides() -> dict[str, Any]:
    return yaml.safe_load((INGEST / OVERRIDES_FILE).read_text())


@cache
def real_rfcs() -> tuple[RfcRecord, ...]:
    with tarfile.open(TARBALL) as tar:
        handles = ((m.name, tar.extractfile(m)) for m in tar if m.isfile() and m.name.endswith(".json"))
        return tuple(parse_rfc(json.load(handle), name) for name, handle in handles if handle is not None)


@cache
def real_protocols() -> dict[str, ProtocolRecord]:
    return {p.acronym: p for p in extract_protocols(real_rfcs(), overrides())}


# -- the real snapshot --------------------------------------------------------------
def test_tls_acme_mls_defined_by_their_rfcs() -> None:
    protocols = real_protocols()
    tls, acme, mls = protocols["TLS"], protocols["ACME"], protocols["MLS"]
    assert tls.name == "Transport Layer Security"
    assert tls.defined_by == (2246, 4346, 5246, 8446)
    assert tls.evidence == tuple(f"https://www.rfc-editor.org/rfc/rfc{n}.json" for n in tls.defined_by)
    assert acme.defined_by == (8555,)
    assert acme.name == "Automatic Certificate Management Environment"  # RFC 8555's own wording
    assert mls.defined_by == (9420,) and mls.name == "Messaging Layer Security"


def test_mentions_exclude_definers_and_include_related_titles() -> None:
    tls = real_protocols()["TLS"]
    assert 8446 not in tls.mentioned_by
    assert 8447 in tls.mentioned_by  # "IANA Registry Updates for TLS and DTLS"
    assert 9325 in tls.mentioned_by  # "Recommendations for Secure Use of TLS and DTLS"
    assert 8737 in real_protocols()["ACME"].mentioned_by  # ACME TLS-ALPN challenge


def test_title_rules_find_protocols_without_curation() -> None:
    protocols = real_protocols()
    assert protocols["CoAP"].defined_by == (7252,)
    assert {4306, 5996, 7296} <= set(protocols["IKE"].defined_by)  # "... (IKEv2)" titles: a version of IKE
    assert protocols["PPP"].name == "Point-to-Point Protocol"
    assert protocols["DTLS"].defined_by == (9147,)
    assert protocols["iTIP"].name == "iCalendar Transport-Independent Interoperability Protocol"
    assert protocols["BGP"].defined_by == (1105, 1163, 1267, 1654, 1771, 4271)  # BGP-3 and BGP-4 fold in


def test_versions_fold_into_their_protocol_as_alternative_labels() -> None:
    protocols = real_protocols()
    ike, hip, http = protocols["IKE"], protocols["HIP"], protocols["HTTP"]
    assert "IKEv2" not in protocols and "HIPv2" not in protocols and "SNMPv3" not in protocols
    assert 2409 in ike.defined_by and "IKEv2" in ike.aka  # 2409 "The Internet Key Exchange (IKE)"
    assert hip.defined_by == (5201, 7401) and hip.aka == ("HIPv2",)
    assert {"HTTP/1.1", "HTTP/2"} <= set(http.aka)
    # v4/v6 name the IP version a protocol runs over: those stay protocols of their own
    assert {"IPv6", "DHCPv6"} <= protocols.keys()
    versioned = re.compile(r"(?:v(?![46]$)\d+|/\d[\d.]*| \d[\d.]*)$")
    assert not [acronym for acronym in protocols if versioned.search(acronym)]


def test_well_known_protocols_are_found_with_their_defining_rfc() -> None:
    """Recall against a checklist of well-known protocols; each title is checked against the raw
    RFC Editor files, so the checklist cannot drift from the snapshot."""
    checklist = yaml.safe_load((Path(__file__).parent / "fixtures" / "well_known_protocols.yaml").read_text())
    titles = {rfc.number: " ".join(rfc.title.split()) for rfc in real_rfcs()}
    protocols = real_protocols()
    entries = checklist["protocols"]
    assert len(entries) >= 68
    assert [e["acronym"] for e in entries if titles.get(e["rfc"]) != e["title"]] == []
    missing = [e["acronym"] for e in entries
               if e["acronym"] not in protocols or e["rfc"] not in protocols[e["acronym"]].defined_by]
    assert missing == [], f"recall {len(entries) - len(missing)}/{len(entries)}"


def test_curated_defines_fix_misleading_titles() -> None:
    protocols = real_protocols()
    assert protocols["SIP"].defined_by == (2543, 3261)  # 8507 is "Simple Internet Protocol (SIP)"
    assert protocols["SIP"].name == "Session Initiation Protocol"
    assert protocols["HTTP"].defined_by == (1945, 2616, 7540, 9110, 9112, 9113, 9114)
    assert protocols["DNS"].name == "Domain Name System"


def test_excluded_acronyms_are_absent() -> None:
    excluded = set(overrides()["exclude"])
    assert {"BCP", "MIB", "URI", "IANA", "ABNF", "PCELS", "HTCPCP"} <= excluded
    assert not excluded & real_protocols().keys()
    # and without the overrides, the rules alone would have let these through
    alone = {p.acronym for p in extract_protocols(real_rfcs(), {})}
    assert {"BCP", "PCELS", "HTCPCP", "LIG"} <= alone


def test_count_order_and_determinism() -> None:
    result = extract_protocols(real_rfcs(), overrides())
    assert 150 <= len(result) <= 300
    assert [p.acronym for p in result] == sorted((p.acronym for p in result), key=lambda a: (a.lower(), a))
    assert extract_protocols(tuple(reversed(real_rfcs())), overrides()) == result
    assert all(p.defined_by and p.name for p in result)
    assert all(not set(p.defined_by) & set(p.mentioned_by) for p in result)


# -- title reading ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("The Transport Layer Security (TLS) Protocol Version 1.3",
         [("TLS", "Transport Layer Security", True)]),
        ("Automatic Certificate Management Environment (ACME)",
         [("ACME", "Automatic Certificate Management Environment", True)]),
        ("Internet Message Access Protocol (IMAP) - Version 4rev2",
         [("IMAP", "Internet Message Access Protocol", True)]),
        ("Hypertext Transfer Protocol Version 2 (HTTP/2)", [("HTTP", "Hypertext Transfer Protocol", True)]),
        ("A Border Gateway Protocol 4 (BGP-4)", [("BGP", "Border Gateway Protocol", True)]),
        ("The PPP AppleTalk Control Protocol (ATCP)", [("ATCP", "AppleTalk Control Protocol", True)]),
        ("SDP: Session Description Protocol", [("SDP", "Session Description Protocol", True)]),
        ("Label Switched Paths (LSPs) for Tests", [("LSP", "Label Switched Paths", False)]),
        ("IANA Registry Updates for TLS and DTLS", []),
        ("Guidelines for Writing RFC Text (Revised)", []),
    ],
)
def test_title_acronyms(title: str, expected: list[tuple[str, str, bool]]) -> None:
    assert title_acronyms(title) == [TitleAcronym(*item) for item in expected]


def test_long_form_prefers_word_initials_over_inner_letters() -> None:
    ippm = "IP Packet Delay Variation Metric for IP Performance Metrics"
    assert long_form(ippm, "IPPM") == "IP Performance Metrics"
    gmpls = "Generalized Multi-Protocol Label Switching"
    assert long_form(gmpls, "GMPLS") == gmpls
    assert long_form("for Fibre-Channel", "FC") == "Fibre-Channel"  # never starts at a small word
    assert long_form("Nothing Relevant Here", "TLS") is None


# -- rules on hand-made RFC lists -------------------------------------------------------
def rfcs(*titles: str) -> list[RfcRecord]:
    return [RfcRecord(1000 + i, title) for i, title in enumerate(titles)]


def test_acronym_needs_a_definer_and_the_word_protocol_unless_included() -> None:
    sample = rfcs(
        "Widget Frobnication Protocol (WFP)",  # defines, says Protocol -> protocol
        "Concise Object Notation (CON)",  # defines, no "Protocol" -> only if included
        "Using the Gadget Exchange Protocol (GXP) in Labs",  # mentions only -> never
    )
    assert [p.acronym for p in extract_protocols(sample, {})] == ["WFP"]
    assert [p.acronym for p in extract_protocols(sample, {"include": ["CON", "GXP"]})] == ["CON", "WFP"]
    assert extract_protocols(sample, {"exclude": ["WFP"]}) == []


def test_curated_defines_replace_and_name() -> None:
    sample = rfcs("The Widget Protocol Version 1.0", "Widget Frobnication Protocol (WFP) Version 2", "On WFP")
    curated = {"defines": {"WFP": [1000, 1001, 4242]}, "names": {"WFP": "Widget Protocol"}}
    [wfp] = extract_protocols(sample, curated)
    assert wfp.defined_by == (1000, 1001)  # 4242 is not among the RFCs read
    assert wfp.mentioned_by == (1002,)
    assert wfp.name == "Widget Protocol"


def test_shouting_titles_do_not_mention_by_word() -> None:
    sample = rfcs("Secure Entry Negotiation Datagram (SEND) Protocol", "HOW TO SEND MAIL", "Using SEND Here")
    [send] = extract_protocols(sample, {})
    assert send.mentioned_by == (1002,)


@pytest.mark.parametrize(
    "bad",
    [
        ["not", "a", "mapping"],
        {"include": "TLS"},
        {"exclude": [1, 2]},
        {"defines": ["TLS"]},
        {"defines": {"TLS": "8446"}},
        {"defines": {"TLS": [True]}},
        {"names": {"TLS": ""}},
    ],
)
def test_malformed_overrides_are_parse_errors(bad: Any) -> None:
    with pytest.raises(ParseError) as caught:
        parse_overrides(bad)
    assert (caught.value.source, caught.value.key) == (SOURCE, OVERRIDES_FILE)


def test_shipped_overrides_validate_and_point_at_real_rfcs() -> None:
    curated = parse_overrides(overrides())
    numbers = {rfc.number for rfc in real_rfcs() if rfc.status != "NOT ISSUED"}
    assert all(set(defining) <= numbers for defining in curated.defines.values())
    assert not curated.include & curated.exclude
