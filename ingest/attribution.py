"""Which group produced each RFC, in which stream, and which groups succeeded which (pure).

Why a stage of its own: the RFC Editor JSON states the producing group as a *name*
(``source``) and, separately, the draft the RFC came from. When a WG was renamed
or merged, the draft name keeps the old acronym (``draft-ietf-avt-`` drafts
published by AVTCORE, ``draft-ietf-ipngwg-`` by the IPv6 WG, ``draft-ietf-l3vpn-``
by BESS): the ``source`` is the stronger evidence and wins. Each link records its
basis (``ietf:attributionBasis``):

* ``rfc-index``: the RFC Editor index states the WG acronym (live builds);
* ``source-name``: ``source`` names the group and a group record gives its acronym;
* ``source-name-drafts``: ``source`` names the group; its acronym is the one most
  of that name's RFCs carry in their draft names (``group_names``);
* ``draft-name``: no ``source`` group (``Legacy``, or ``IRTF`` for an RG draft) and
  the draft name's acronym is a known group of the right kind (a WG for
  ``draft-ietf-``, an RG for ``draft-irtf-``), or, for ``draft-ietf-<wg>-`` only, an
  acronym no record gives to an area or body (the IETF names WG drafts so).

``IETF - NON WORKING GROUP``, ``INDEPENDENT``, ``IAB`` and ``IESG`` say no group
produced the RFC, so the draft name is not used against them.

Streams (``ietf:streamBasis``), first rule that applies:
``rfc-index`` (stated) > ``Legacy`` source > BCP or standards track (only the IETF
stream publishes them: RFC 7720, source IESG) > ``IAB``/``IRTF``/``INDEPENDENT``
source > ``IESG``/non-WG source (IETF) > the source group's kind (an RG: IRTF; a
WG: IETF; RFC 8554 is CFRG's though its draft is ``draft-mcgrew-``) > the draft
prefix (``draft-irtf-``, ``draft-iab-``) > IETF.

Succession: an RFC from group A's draft published by group B (both groups
known) shows A's work moving to B. It is a succession (``A ietf:succeededBy B``)
when A ended there and B took its place: A published no RFC after that one,
no record shows A still active, and B's first RFC came no more than a year
before A's last. Otherwise A went on (mpls drafts finished in ccamp) or B was
a neighbour long before (avtcore finishing payload drafts; ipngwg finishing
one ion draft), and no link is made.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ietfkg.ingest.group_names import GroupNames, draft_group, group_label, is_research_name
from ietfkg.ingest.records import AttributionRecord, GroupRecord, Record, Relation, RfcRecord, SourceInfo
from ietfkg.schema.vocab import fold

SOURCE = "attribution"

INFO = SourceInfo(
    name=SOURCE,
    title="RFC attribution: producing group, stream and group succession (derived)",
    origin="derived by ietf-kg from the rfc-editor source (source, draft, status) and every source's group records",
    snapshot_date="2026-03-09",  # its newest input (the power map)
    description="Each RFC's producing group and stream with the basis of each link; "
    "succession links between renamed or merged groups, with the RFCs that show them.",
)

_STANDARDS = frozenset({"BEST CURRENT PRACTICE", "PROPOSED STANDARD", "DRAFT STANDARD", "INTERNET STANDARD"})
_STREAM_SOURCES = {"IAB": "IAB", "IRTF": "IRTF", "INDEPENDENT": "INDEPENDENT"}
_IETF_SOURCES = frozenset({"IESG", "IETF - NON WORKING GROUP"})
_NOT_PRODUCERS = frozenset({"area", "ietf", "irtf", "iab"})  # areas and bodies sponsor drafts, WGs and RGs write them
_NO_GROUP_SOURCES = frozenset({"IETF - NON WORKING GROUP", "INDEPENDENT", "IAB", "IESG"})


@dataclass(frozen=True, slots=True)
class Succession:
    """``earlier`` was succeeded by ``later``; ``rfcs`` are the RFCs showing it."""

    earlier: str
    later: str
    rfcs: tuple[int, ...]


def attribute_group(record: RfcRecord, names: GroupNames) -> tuple[str, str] | None:
    """``(acronym, basis)`` of the group that produced the RFC, or None."""
    if record.wg:
        return record.wg, "rfc-index"
    label = group_label(record, names.suffixes)
    if label is not None:
        acronym = names.acronym_of(label.name)
        if acronym is None:
            return None
        return acronym, "source-name" if names.name_basis.get(fold(label.name)) == "group-record" else "source-name-drafts"
    source = (record.source or "").strip()
    drafted = draft_group(record.draft)
    if drafted is None or source in _NO_GROUP_SOURCES:
        return None
    prefix, acronym = drafted
    if source == "IRTF" and prefix != "irtf":
        return None
    if names.kinds.get(acronym) in _NOT_PRODUCERS:
        return None
    if names.is_group(acronym):
        return (acronym, "draft-name") if names.is_research(acronym) == (prefix == "irtf") else None
    # ``draft-ietf-<wg>-`` names a WG by the IETF's naming rule, unless the part is an area's or a
    # body's acronym (``draft-ietf-ops-``); ``draft-irtf-`` alone is no evidence of an RG (``routing``).
    if prefix == "ietf" and acronym not in names.recorded:
        return acronym, "draft-name"
    return None


def stream_of(record: RfcRecord, group: str | None, names: GroupNames) -> tuple[str, str]:
    """``(stream, basis)`` from the RFC's own evidence; the order is the module docstring's."""
    source = (record.source or "").strip()
    if record.stream:
        return record.stream, "rfc-index"
    if source == "Legacy":
        return "Legacy", "source"
    if (record.pub_status or record.status) in _STANDARDS:
        return "IETF", "status"
    if source in _STREAM_SOURCES:
        return _STREAM_SOURCES[source], "source"
    if source in _IETF_SOURCES:
        return "IETF", "source"
    label = group_label(record, names.suffixes)
    if label is not None:  # the source names a group, known by acronym or not
        research = names.is_research(group) if group else is_research_name(label.name)
        return ("IRTF", "source-group") if research else ("IETF", "source-group")
    draft = (record.draft or "").strip().lower()
    if draft.startswith("draft-irtf-"):
        return "IRTF", "draft-name"
    if draft.startswith("draft-iab-"):
        return "IAB", "draft-name"
    return "IETF", "default"


def attribute(record: RfcRecord, names: GroupNames) -> AttributionRecord:
    found = attribute_group(record, names)
    group, basis = found if found else (None, None)
    stream, stream_basis = stream_of(record, group, names)
    return AttributionRecord(record.number, stream, stream_basis, group, basis, record.evidence)


def successions(rfcs: list[RfcRecord], attributions: dict[int, AttributionRecord], names: GroupNames) -> list[Succession]:
    """Groups whose drafts another group finished, and that published nothing after."""
    published = {r.number: r.published or "" for r in rfcs}
    last: dict[str, str] = {}
    moved: dict[tuple[str, str], list[int]] = {}
    for rfc in rfcs:
        found = attributions[rfc.number]
        if found.group is None:
            continue
        last[found.group] = max(last.get(found.group, ""), published[rfc.number])
        drafted = draft_group(rfc.draft)
        if found.group_basis != "draft-name" and drafted and drafted[1] != found.group and names.is_group(drafted[1]):
            moved.setdefault((drafted[1], found.group), []).append(rfc.number)
    first_rfc = {group: min(published[n] for n, a in attributions.items() if a.group == group) for group in last}
    links = []
    for (earlier, later), numbers in sorted(moved.items()):
        moved_first = min(published[n] for n in numbers)
        ended = earlier not in names.current and last.get(earlier, "") <= moved_first
        # B began publishing as A stopped (within a year): B took A's place rather than
        # being a neighbour that finished some of its drafts
        younger = bool(last.get(earlier)) and int(first_rfc[later][:4] or 0) >= int(last[earlier][:4]) - 1
        if moved_first and ended and younger:
            links.append(Succession(earlier, later, tuple(sorted(numbers))))
    return links


def derive(groups: Iterable[GroupRecord], rfcs: Iterable[RfcRecord]) -> Iterator[Record]:
    """The attribution source's records: one ``AttributionRecord`` per RFC, groups only RFCs name, successions."""
    rfcs = [r for r in rfcs if r.status != "NOT ISSUED"]
    names = GroupNames.build(groups, rfcs)
    attributions = {r.number: attribute(r, names) for r in rfcs}
    yield from attributions.values()
    used = sorted({a.group for a in attributions.values() if a.group and a.group not in names.recorded})
    for acronym in used:
        yield GroupRecord(acronym=acronym, name=names.labels.get(acronym), type=names.kinds.get(acronym, "wg"))
    for link in successions(rfcs, attributions, names):
        yield Relation(("group", link.earlier), "succeededBy", ("group", link.later),
                       tuple(f"https://www.rfc-editor.org/rfc/rfc{n}.json" for n in link.rfcs))
