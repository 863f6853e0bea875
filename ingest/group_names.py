"""Group names as the sources print them -> acronyms and kinds (pure).

Why: the RFC Editor JSON names an RFC's working group by its *name* (``source``:
"Transport Layer Security"), the strongest evidence of who produced it, but the
graph keys groups by acronym. ``GroupNames`` joins the two from every piece of
evidence, strongest first:

1. every group record of the other sources (agendas, power map, IAB programs,
   seeds): its name and former names (``aka``) give its acronym and type;
2. the RFCs themselves: the RFCs whose ``source`` is one name mostly come from
   ``draft-ietf-<acronym>-`` / ``draft-irtf-<acronym>-`` drafts of that group,
   so the most common acronym among them is the name's acronym (``IP Version 6
   Working Group``: 28 ipv6 drafts, 5 ipngwg drafts started before the rename).

An acronym found only in draft names (``draft-irtf-routing-reqs``, filed by the
Routing Research Group, rrg) is *not* a group: nothing names a group by it.

``source`` labels carry a trailing area acronym on some RFCs ("Pseudo Wire
Emulation Edge to Edge INT", "Multiparty Multimedia Session Control RAI"): the
area the WG was in when the RFC was published. A trailing token counts as an
area only when the label without it is itself a group's name somewhere (a
label or a record), or the token is a known area's acronym, so "Ethernet MIB"
and "Open Shortest Path First IGP" stay whole names. ``split_label`` parts the two.

A group is a research group (``rg``) only on IRTF evidence: a record of type
``rg``, or a name the RFCs print as "... Research Group" / "... RG", or drafts
all filed as ``draft-irtf-``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ietfkg.ingest.records import GroupRecord, RfcRecord
from ietfkg.schema.vocab import fold

# ``source`` values that name a stream, a body or a catch-all rather than a group.
NON_GROUP_SOURCES = frozenset({"Legacy", "IETF - NON WORKING GROUP", "INDEPENDENT", "IAB", "IRTF", "IESG"})
_TRAILING_TOKEN = re.compile(r"^(?P<name>.+\S) (?P<token>[A-Z]{2,4})$")
_RG_NAME = re.compile(r"(research group| rg)$")


@dataclass(frozen=True, slots=True)
class Label:
    """A ``source`` label split into the group name and the area acronym it carries, if any."""

    name: str
    area: str | None = None


def draft_group(draft: str | None) -> tuple[str, str] | None:
    """``(stream prefix, acronym)`` of a ``draft-ietf-<g>-`` / ``draft-irtf-<g>-`` name, else None.

    >>> draft_group("draft-ietf-tls-tls13-28"), draft_group("draft-irtf-cfrg-eddsa-08")
    (('ietf', 'tls'), ('irtf', 'cfrg'))
    >>> draft_group("draft-rescorla-tls13-00") is None
    True
    """
    parts = (draft or "").strip().lower().split("-")
    if len(parts) >= 4 and parts[0] == "draft" and parts[1] in ("ietf", "irtf") and parts[2]:
        return parts[1], parts[2]
    return None


def is_research_name(name: str) -> bool:
    """A name the RFC Editor prints for a research group ("... Research Group", "... RG").

    >>> is_research_name("Path Aware Networking RG"), is_research_name("IPv6 Operations")
    (True, False)
    """
    return _RG_NAME.search(fold(name)) is not None


def area_suffixes(labels: Iterable[str], known_names: Iterable[str], area_acronyms: Iterable[str]) -> frozenset[str]:
    """Trailing tokens that are area acronyms (upper case), by the rule in the module docstring.

    >>> sorted(area_suffixes(["Using TLS in Applications APP", "Using TLS in Applications",
    ...                       "Ethernet MIB", "Content Delivery Networks Interconnection TSV"], [], ["tsv"]))
    ['APP', 'TSV']
    """
    labels = [" ".join(label.split()) for label in labels]
    whole = {fold(label) for label in labels} | {fold(name) for name in known_names}
    known = {acronym.upper() for acronym in area_acronyms}
    found = set()
    for label in labels:
        match = _TRAILING_TOKEN.match(label)
        if match and (match["token"] in known or fold(match["name"]) in whole):
            found.add(match["token"])
    return frozenset(found)


def split_label(label: str, suffixes: frozenset[str]) -> Label:
    """``"Layer 3 Virtual Private Networks INT"`` -> name and area ``int``.

    >>> split_label("Layer 3 Virtual Private Networks INT", frozenset({"INT"}))
    Label(name='Layer 3 Virtual Private Networks', area='int')
    >>> split_label("Ethernet MIB", frozenset({"INT"}))
    Label(name='Ethernet MIB', area=None)
    """
    label = " ".join(label.split())
    match = _TRAILING_TOKEN.match(label)
    if match and match["token"] in suffixes:
        return Label(match["name"], match["token"].lower())
    return Label(label)


def group_label(record: RfcRecord, suffixes: frozenset[str]) -> Label | None:
    """The group label of an RFC's ``source``; None for streams, bodies and catch-alls."""
    if not record.source or record.source.strip() in NON_GROUP_SOURCES:
        return None
    return split_label(record.source, suffixes)


@dataclass(slots=True)
class GroupNames:
    """Folded group name -> acronym; acronym -> type slug and the basis of each."""

    by_name: dict[str, str] = field(default_factory=dict)
    name_basis: dict[str, str] = field(default_factory=dict)  # folded name -> "group-record" | "drafts"
    kinds: dict[str, str] = field(default_factory=dict)  # acronym -> Datatracker type slug
    recorded: set[str] = field(default_factory=set)  # acronyms some group record states
    current: set[str] = field(default_factory=set)  # acronyms a record shows not concluded (met, or holds roles)
    labels: dict[str, str] = field(default_factory=dict)  # acronym -> the name RFCs print (latest RFC)
    suffixes: frozenset[str] = frozenset()

    @classmethod
    def build(cls, groups: Iterable[GroupRecord], rfcs: Iterable[RfcRecord]) -> GroupNames:
        names = cls()
        groups, rfcs = list(groups), list(rfcs)
        names._learn_records(groups)
        areas = [g.acronym for g in groups if g.type == "area"]
        labels = [r.source for r in rfcs if r.source and r.source.strip() not in NON_GROUP_SOURCES]
        known = [name for g in groups for name in (g.name, *g.aka) if name]
        names.suffixes = area_suffixes(labels, known, areas)
        names._learn_rfcs(rfcs)
        return names

    def acronym_of(self, name: str) -> str | None:
        return self.by_name.get(fold(name))

    def is_group(self, acronym: str) -> bool:
        """Some source names a group by this acronym (a record, or RFCs printing its name)."""
        return acronym in self.kinds

    def is_research(self, acronym: str) -> bool:
        return self.kinds.get(acronym) == "rg"

    def _learn_records(self, groups: list[GroupRecord]) -> None:
        for record in groups:
            self.recorded.add(record.acronym)
            if record.state not in ("concluded", "replaced"):
                self.current.add(record.acronym)
            if record.type:
                self.kinds.setdefault(record.acronym, record.type)
            for name in (record.name, *record.aka):
                if name:
                    self.by_name.setdefault(fold(name), record.acronym)
                    self.name_basis.setdefault(fold(name), "group-record")
        for record in groups:  # a record with no type (an agenda parent item) leaves the kind to others
            self.kinds.setdefault(record.acronym, "wg")

    def _learn_rfcs(self, rfcs: list[RfcRecord]) -> None:
        votes: dict[str, Counter[str]] = {}
        irtf: dict[str, set[str]] = {}
        printed: dict[str, tuple[int, str]] = {}  # folded name -> (latest RFC, name as printed)
        for rfc in rfcs:
            label = group_label(rfc, self.suffixes)
            drafted = draft_group(rfc.draft)
            if label is None:
                continue
            key = fold(label.name)
            printed[key] = max(printed.get(key, (0, label.name)), (rfc.number, label.name))
            if drafted:
                votes.setdefault(key, Counter())[drafted[1]] += 1
                irtf.setdefault(key, set()).add(drafted[0])
        for key, counter in votes.items():
            if key in self.by_name:
                continue
            acronym = min(counter.items(), key=lambda item: (-item[1], item[0]))[0]
            self.by_name[key] = acronym
            self.name_basis[key] = "drafts"
            research = is_research_name(key) or irtf[key] == {"irtf"}
            self.kinds.setdefault(acronym, "rg" if research else "wg")
        # the name of the latest RFC is the group's label (names change; the latest is its own)
        latest: dict[str, tuple[int, str]] = {}
        for key, (number, name) in printed.items():
            acronym = self.by_name.get(key)
            if acronym is not None and acronym not in self.recorded:
                latest[acronym] = max(latest.get(acronym, (0, name)), (number, name))
        self.labels = {acronym: name for acronym, (_, name) in latest.items()}
