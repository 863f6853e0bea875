"""Protocols as first-class entities, read off RFC titles (pure).

RFC titles introduce protocols the way prose does: "The Transport Layer Security (TLS)
Protocol Version 1.3". A parenthesised acronym is paired with the words before it whose
letters spell it, after Schwartz and Hearst's abbreviation rule: the first letter starts a
word, the others may come from inside words, and small words may be skipped, so
"Multiprotocol Label Switching (MPLS)" and "Point-to-Point Protocol (PPP)" pair up without
a word list. Of the runs of words that fit, the one whose word initials spell most of the
acronym for the fewest spare words wins. Titles of the form "SIP: Session Initiation
Protocol" are read the same way.

An RFC *defines* an acronym when its title is essentially just the name ("The Messaging
Layer Security (MLS) Protocol", "... (IKEv2)", "... (PIM-SM): Protocol Specification
(Revised)"); any other title that names the acronym *mentions* it. An acronym becomes a
protocol when some RFC defines it and the name or a defining title says "Protocol", or when
the curated overrides (``protocols.yaml``, read by the pipeline) include it. The overrides
also exclude false friends, name protocols and, for titles that follow no pattern ("The
TLS Protocol Version 1.0", "HTTP Semantics"), list the defining RFCs outright.

A version is not a protocol of its own: HTTP/2 and HTTP/1.1 are HTTP, BGP-4 is BGP, TLS 1.3
is TLS and IKEv2, HIPv2 and SNMPv3 are IKE, HIP and SNMP; each versioned form a title writes
becomes an alternative label. ``v4`` and ``v6`` name the IP version a protocol runs over, not
its own version, so IPv6, DHCPv6 and ICMPv6 stay protocols of their own. A trailing plural
"s" is dropped ("LSPs" -> "LSP").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ietfkg.ingest.records import ProtocolRecord, RfcRecord, SourceInfo
from ietfkg.ingest.rfc_editor import rfc_json_url
from ietfkg.schema.errors import ParseError
from ietfkg.schema.vocab import fold

SOURCE = "protocols"
OVERRIDES_FILE = "protocols.yaml"  # next to this module; the pipeline reads it

INFO = SourceInfo(
    name=SOURCE,
    title="Protocols named in RFC titles, with curated overrides",
    origin="derived from the RFC Editor JSON titles (rfc-editor source) and ingest/protocols.yaml",
    snapshot_date="2024-01-06",
    files=("ingest/protocols.yaml",),
    description="A protocol is an acronym some RFC title defines; other titles naming it mention it.",
)

# "/2", "-4", " 1.3", "v2" (not v4/v6: the IP version a protocol runs over), after a letter
_VERSION = re.compile(r"(?<=[A-Za-z])(?:/\d[\d.]*|-\d|\s\d[\d.]*|v(?![46]$)\d+)$")
_PAREN = re.compile(r"\(([A-Za-z0-9][A-Za-z0-9./-]*)\)")
_COLON_FORM = re.compile(r"^([A-Za-z0-9][A-Za-z0-9./-]*): (.+)$")
_ARTICLE = re.compile(r"^(?:The|A|An) ", re.IGNORECASE)
_QUALIFIER = re.compile(r"^[A-Z][A-Z0-9]+ ")  # "The PPP AppleTalk Control Protocol (ATCP)"
_WORD = re.compile(r"[A-Za-z0-9]+")
_SMALL_WORDS = frozenset({"a", "an", "and", "by", "for", "in", "of", "on", "or", "the", "to", "with"})
# What may follow the acronym in a title that only names the protocol.
_TAIL = re.compile(
    r"(?: Protocols?)?"
    r"(?:,? (?:-+ )?Version \S+| V\d+)?"
    r"(?:(?::| -+)? (?:The )?(?:Protocol Specification|(?:Functional )?Specification|Protocol|Core))?"
    r"(?::? Version \S+)?"
    r"(?: \(Revised\))?",
    re.IGNORECASE,
)
_TRAILING_VERSION = re.compile(r",? (?:[Vv]ersion \S+|\d[\d.]*)$")
_PROTOCOL_WORD = re.compile(r"\bprotocols?\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TitleAcronym:
    """An acronym a title introduces, the words it stands for, and whether the title defines it."""

    acronym: str
    expansion: str
    defines: bool
    written: str = field(default="", compare=False, repr=False)  # as the title spells it: "IKEv2"


@dataclass(frozen=True, slots=True)
class Overrides:
    """The curated corrections from ``protocols.yaml``."""

    include: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    defines: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)


def normalise_acronym(raw: str) -> str:
    """Drop a version and a plural "s": the key protocols are filed under.

    >>> normalise_acronym("HTTP/1.1"), normalise_acronym("BGP-4"), normalise_acronym("LSPs")
    ('HTTP', 'BGP', 'LSP')
    >>> normalise_acronym("IKEv2"), normalise_acronym("TLS 1.3"), normalise_acronym("EAP-TTLSv0")
    ('IKE', 'TLS', 'EAP-TTLS')
    >>> normalise_acronym("IPv6"), normalise_acronym("DHCPv6")
    ('IPv6', 'DHCPv6')
    """
    acronym = _VERSION.sub("", raw)
    if len(acronym) > 2 and acronym.endswith("s") and acronym[-2].isupper():
        acronym = acronym[:-1]
    return acronym


def long_form(text: str, acronym: str) -> str | None:
    """The words at the end of ``text`` that ``acronym`` abbreviates, or None.

    The acronym's letters must appear in order, the first one starting the first word.
    Among the word runs that allow this, the one whose word initials spell most of the
    acronym, for the fewest extra words, wins (ties: the shorter run), so "iCalendar
    Transport-Independent Interoperability Protocol" is found for iTIP, not just
    "Interoperability Protocol".

    >>> long_form("The Transport Layer Security", "TLS")
    'Transport Layer Security'
    >>> long_form("Using Multiprotocol Label Switching", "MPLS")
    'Multiprotocol Label Switching'
    >>> long_form("Guidelines for Writers", "TLS") is None
    True
    """
    scored = _scored_long_form(text, acronym)
    return scored[0] if scored else None


def _scored_long_form(text: str, acronym: str) -> tuple[str, int] | None:
    """``long_form`` and its score: 3 per acronym letter that starts a word, -1 per word."""
    letters = [ch.lower() for ch in acronym if ch.isalnum()]
    if len(letters) < 2:
        return None
    words = list(_WORD.finditer(text))[-(len(letters) + 5):]
    chars = [  # (character, starts a word, word index), only letters the acronym uses
        (ch.lower(), offset == 0, index)
        for index, word in enumerate(words)
        for offset, ch in enumerate(word.group())
        if ch.lower() in letters
    ]
    best = _initials_alignment(chars, letters)
    content = [word.group().lower() not in _SMALL_WORDS for word in words]
    chosen: tuple[int, int] | None = None  # (score, word index)
    for position, (ch, initial, index) in enumerate(chars):
        if initial and ch == letters[0] and content[index] and best[position + 1][1] >= 0:
            candidate = text[words[index].start():]
            # Initials used, against words that explain nothing: "IP Performance Metrics (IPPM)",
            # not "IP Packet Delay Variation Metric for IP Performance Metrics (IPPM)".
            score = 3 * (1 + best[position + 1][1]) - sum(content[index:])
            if candidate.count(")") <= candidate.count("(") and (chosen is None or score >= chosen[0]):
                chosen = (score, index)
    if chosen is None:
        return None
    return text[words[chosen[1]].start():].strip(" -,:"), chosen[0]


def _initials_alignment(chars: list[tuple[str, bool, int]], letters: list[str]) -> list[list[int]]:
    """``best[i][j]``: most word initials used placing ``letters[j:]`` in ``chars[i:]`` (-1: impossible)."""
    rows, width = len(chars), len(letters)
    best = [[-1] * (width + 1) for _ in range(rows + 1)]
    for i in range(rows, -1, -1):
        best[i][width] = 0
        if i == rows:
            continue
        ch, initial, _ = chars[i]
        for j in range(width - 1, -1, -1):
            skip = best[i + 1][j]
            take = best[i + 1][j + 1] + initial if ch == letters[j] and best[i + 1][j + 1] >= 0 else -1
            best[i][j] = max(skip, take)
    return best


def title_acronyms(title: str) -> list[TitleAcronym]:
    """The acronyms a title introduces with their expansion.

    >>> title_acronyms("The Transport Layer Security (TLS) Protocol Version 1.3")
    [TitleAcronym(acronym='TLS', expansion='Transport Layer Security', defines=True)]
    >>> title_acronyms("Using TLS with the Session Initiation Protocol (SIP) for Brokers")
    [TitleAcronym(acronym='SIP', expansion='Session Initiation Protocol', defines=False)]
    >>> title_acronyms("SIP: Session Initiation Protocol")
    [TitleAcronym(acronym='SIP', expansion='Session Initiation Protocol', defines=True)]
    """
    title = " ".join(title.split())
    found = [_colon_form(title)] + [_paren_form(title, match) for match in _PAREN.finditer(title)]
    return [item for item in found if item is not None]


def parse_overrides(doc: Mapping[str, Any] | None) -> Overrides:
    """Validate the decoded ``protocols.yaml``; a malformed entry is a ParseError.

    >>> parse_overrides({"include": ["ACME"], "defines": {"TLS": [8446]}}).defines
    {'TLS': (8446,)}
    """
    doc = doc or {}
    if not isinstance(doc, Mapping):
        raise ParseError(SOURCE, OVERRIDES_FILE, "expected a mapping at the top level")
    return Overrides(
        include=frozenset(_acronym_list(doc, "include")),
        exclude=frozenset(_acronym_list(doc, "exclude")),
        defines={acr: _rfc_list(acr, numbers) for acr, numbers in _mapping(doc, "defines").items()},
        names={acr: _name(acr, name) for acr, name in _mapping(doc, "names").items()},
    )


def extract_protocols(rfcs: Iterable[RfcRecord], overrides: Mapping[str, Any] | None) -> list[ProtocolRecord]:
    """Protocols named in RFC titles, each with its defining and mentioning RFCs, sorted.

    ``overrides`` is the decoded ``protocols.yaml`` (``include``, ``exclude``, ``defines``,
    ``names``). A ``defines`` list replaces the defining RFCs the titles gave, keeping only
    RFCs present in ``rfcs``, so the evidence always points at a record that was read.

    >>> rfcs = [RfcRecord(9420, "The Messaging Layer Security (MLS) Protocol"),
    ...         RfcRecord(9750, "The Messaging Layer Security (MLS) Architecture")]
    >>> extract_protocols(rfcs, {})
    [ProtocolRecord(acronym='MLS', name='Messaging Layer Security', aka=(), defined_by=(9420,), \
mentioned_by=(9750,), evidence=('https://www.rfc-editor.org/rfc/rfc9420.json',))]
    """
    curated = parse_overrides(overrides)
    titles = {rfc.number: " ".join(rfc.title.split()) for rfc in rfcs}
    readings = {number: title_acronyms(title) for number, title in titles.items()}
    expansions: dict[str, Counter[str]] = defaultdict(Counter)
    defined: dict[str, set[int]] = defaultdict(set)
    for number, items in readings.items():
        for item in items:
            expansions[item.acronym][item.expansion] += 1
            if item.defines:
                defined[item.acronym].add(number)
    for acronym, numbers in curated.defines.items():  # curated lists replace detection
        defined[acronym] = {number for number in numbers if number in titles}
    protocols: dict[str, tuple[str | None, tuple[int, ...]]] = {}
    for acronym, numbers in defined.items():
        own = Counter(item.expansion for n in numbers for item in readings[n] if item.acronym == acronym)
        name = curated.names.get(acronym) or _most_common(own or expansions[acronym])
        if numbers and acronym not in curated.exclude and (
            acronym in curated.include or _says_protocol(name, (titles[n] for n in numbers))
        ):
            protocols[acronym] = (name, tuple(sorted(numbers)))
    mentions = _mentions(titles, readings, protocols)
    versions = _versioned_forms(readings)
    return [
        ProtocolRecord(
            acronym=acronym,
            name=name,
            aka=tuple(sorted(versions[acronym])),
            defined_by=defining,
            mentioned_by=tuple(sorted(mentions[acronym] - set(defining))),
            evidence=tuple(rfc_json_url(number) for number in defining),
        )
        for acronym, (name, defining) in sorted(protocols.items(), key=lambda item: (fold(item[0]), item[0]))
    ]


# -- title reading --------------------------------------------------------------
def _paren_form(title: str, match: re.Match[str]) -> TitleAcronym | None:
    """``<expansion> (ACR)<tail>``: defines when the expansion is all there is before it."""
    raw = match.group(1)
    acronym = normalise_acronym(raw)
    if not _is_acronym(acronym):
        return None
    before = title[: match.start()].rstrip()
    expansion = long_form(before, acronym)
    if expansion is None:
        return None
    named = _ARTICLE.sub("", before)
    whole_name = expansion in (named, _QUALIFIER.sub("", named))
    defines = whole_name and _TAIL.fullmatch(title[match.end():]) is not None
    return TitleAcronym(acronym, _tidy(expansion, acronym), defines, raw)


def _colon_form(title: str) -> TitleAcronym | None:
    """``ACR: <expansion><tail>`` ("SIP: Session Initiation Protocol"); always defining."""
    match = _COLON_FORM.match(title)
    if match is None or not _is_acronym(normalise_acronym(match.group(1))):
        return None
    acronym = normalise_acronym(match.group(1))
    rest = _ARTICLE.sub("", match.group(2))
    best: tuple[int, str] | None = None
    for cut in [i for i in range(1, len(rest)) if rest[i] in " :"] + [len(rest)]:  # shortest first
        core = rest[:cut]
        scored = _scored_long_form(core, acronym) if _TAIL.fullmatch(rest[cut:]) else None
        if scored is not None and scored[0] == core and (best is None or scored[1] > best[0]):
            best = (scored[1], core)  # "Session Description Protocol" beats "Session Description"
    return TitleAcronym(acronym, _tidy(best[1], acronym), True, match.group(1)) if best else None


def _is_acronym(text: str) -> bool:
    """Two or more capitals, short: "TLS", "CoAP", "IKEv2"; not "R", "tm" or "Revised"."""
    return 2 <= sum(ch.isupper() for ch in text) and len(text) <= 16 and sum(ch.islower() for ch in text) <= 3


def _tidy(expansion: str, acronym: str) -> str:
    """Drop a trailing "Version N" or "4" that the acronym does not carry (HTTP/2, BGP-4)."""
    if not any(ch.isdigit() for ch in acronym):
        expansion = _TRAILING_VERSION.sub("", expansion)
    return expansion


def _mentions(
    titles: Mapping[int, str], readings: Mapping[int, list[TitleAcronym]], protocols: Mapping[str, Any]
) -> dict[str, set[int]]:
    """RFCs whose title names the acronym: in parentheses, or as a word in a mixed-case title."""
    found: dict[str, set[int]] = defaultdict(set)
    if not protocols:
        return found
    alternatives = "|".join(re.escape(acr) for acr in sorted(protocols, key=len, reverse=True))
    word = re.compile(rf"(?<![A-Za-z0-9])({alternatives})s?(?![A-Za-z0-9])")
    for number, title in titles.items():
        for item in readings[number]:
            if item.acronym in protocols:
                found[item.acronym].add(number)
        if not _shouting(title):  # "INTERNET MESSAGE ACCESS PROTOCOL": every word looks like an acronym
            for match in word.finditer(title):
                found[match.group(1)].add(number)
    return found


def _versioned_forms(readings: Mapping[int, list[TitleAcronym]]) -> dict[str, set[str]]:
    """Per acronym, the versioned spellings titles use for it ("IKEv2", "HTTP/2"), not plurals."""
    found: dict[str, set[str]] = defaultdict(set)
    for items in readings.values():
        for item in items:
            if item.written and item.written not in (item.acronym, item.acronym + "s"):
                found[item.acronym].add(item.written)
    return found


def _shouting(title: str) -> bool:
    letters = [ch for ch in title if ch.isalpha()]
    return bool(letters) and sum(ch.islower() for ch in letters) < 0.2 * len(letters)


def _says_protocol(name: str | None, defining_titles: Iterable[str]) -> bool:
    return any(_PROTOCOL_WORD.search(text) for text in (name or "", *defining_titles))


def _most_common(counts: Counter[str]) -> str | None:
    """The most frequent expansion; ties go to the alphabetically first, for determinism."""
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0] if counts else None


# -- overrides validation -------------------------------------------------------
def _acronym_list(doc: Mapping[str, Any], key: str) -> list[str]:
    value = doc.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ParseError(SOURCE, OVERRIDES_FILE, f"{key} must be a list of acronyms")
    return value


def _mapping(doc: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = doc.get(key) or {}
    if not isinstance(value, Mapping) or not all(isinstance(acr, str) for acr in value):
        raise ParseError(SOURCE, OVERRIDES_FILE, f"{key} must map acronyms to values")
    return value


def _rfc_list(acronym: str, numbers: Any) -> tuple[int, ...]:
    if not isinstance(numbers, list) or not all(type(n) is int for n in numbers):  # bool is no RFC number
        raise ParseError(SOURCE, OVERRIDES_FILE, f"defines.{acronym} must be a list of RFC numbers")
    return tuple(sorted(set(numbers)))


def _name(acronym: str, name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ParseError(SOURCE, OVERRIDES_FILE, f"names.{acronym} must be a non-empty string")
    return name.strip()
