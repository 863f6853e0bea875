"""Entity resolution of people: a build stage of its own, run on every parsed record.

People reach the graph by full name (Datatracker, roll calls, seeds, IAB programs) and by RFC
author strings ("B. Campbell"). This stage decides, for each author slot of each RFC, which
person node it names and records why (``Link.basis``):

* ``datatracker-id`` / ``full-name`` / ``nickname``: how full-name people meet across sources
  (``PeopleIndex.match_name``); an author printed in full ("Juha Heinanen") links the same way;
* ``initials-unique-in-era``: an initials-only author fits exactly one full-name person and
  nothing known about that person contradicts it (below);
* ``unresolved-*``: the slot names no known person, and keeps a node of its own
  (``-no-candidate``, ``-ambiguous`` when two people fit, ``-area``/``-era``/``-contested``/
  ``-undated`` when the one who fits is contradicted).

What can contradict an initials-only link to person P, from the sources only:

* **area**: the RFC's group is in an area (``ingest/areas.py``) and it was published while P
  sat as AD of other areas only (an area it was formed from counts as the same: ART from APP
  and RAI), and with none of the co-authors of P's other RFCs. Authors work across areas, but a seated AD writing for another area's group is
  the sign of a namesake (B. Campbell on OAuth RFCs in 2015, while Ben Campbell sat for RAI
  and ART). Two such slots in one group show the name is shared with someone else in P's
  time, so every other slot
  of the name then needs an *anchor* (``contested``): the RFC's group is one P held a role
  in, or its area is one P was AD of while P sat (give or take ``ANCHOR_YEARS``).
* **era**: P's authorship and sightings form runs of years; an RFC in a run that is
  ``ERA_GAP`` years or more away from every sighting of P is someone else's (A. Cooper in
  1992, twenty years before Alissa Cooper's first RFC). People seen only as staff
  (secretariat, scribe, IANA or RFC Editor liaison) link only within their sighting years.

* **common surname**: a surname the RFC index prints with nine or more first initials (Zhang,
  Li, Wu, Jones) has many namesakes, so a fitting initial needs an anchor too.

An unresolved slot's node is keyed by the printed initials and surname plus the slot's
context (its group, else its decade), because a shared name alone is no evidence of one
person ("C. Perkins" is Charles on Mobile IP and Colin on RTP). Within one context a short
form of a compound surname joins the long form ("J. Mattsson" / "J. Preuß Mattsson").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from ietfkg.ingest.people import Key, PeopleIndex, parse_author
from ietfkg.ingest.person_names import ascii_slug, spellings
from ietfkg.ingest.records import (
    AreaLinkRecord,
    AttributionRecord,
    GroupRecord,
    PersonRecord,
    Record,
    RfcRecord,
    RoleRecord,
)
from ietfkg.schema.vocab import slug

ERA_GAP = 15  # years with no RFC and no sighting that separate two people of one name
COMMON_SURNAME_INITIALS = 9  # first initials printed with one surname that make it common (Zhang, Li, Wu)
CONTEST_SLOTS = 2  # off-area RFCs of one group that make a name contested
ANCHOR_YEARS = 2  # a contested slot anchors to an AD term this close
STAFF_ROLES = frozenset({"liaison", "secretariat", "scribe", "executive-director", "iad"})
# Areas one was formed from: ART (2014) from APP and RAI, so an APP or RAI role fits an ART RFC.
AREA_FAMILY: Mapping[str, frozenset[str]] = {
    "art": frozenset({"art", "app", "rai"}),
    "app": frozenset({"art", "app"}),
    "rai": frozenset({"art", "rai"}),
}

LINKED = frozenset({"datatracker-id", "full-name", "nickname", "initials-unique-in-era"})


@dataclass(frozen=True, slots=True)
class Link:
    """What one author slot (or name) resolves to, and the basis of that decision."""

    key: Key
    name: str  # the node's preferred name
    matched: bool
    basis: str
    is_person: bool = True
    editor: bool = False


@dataclass(slots=True)
class Profile:
    """What the sources say about one full-name person: when, where and in which groups."""

    key: Key
    sightings: list[date] = field(default_factory=list)
    groups: set[str] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)
    ad_terms: list[tuple[str, int, int]] = field(default_factory=list)  # (area, first year, last year)
    staff_only: bool = True

    @property
    def years(self) -> list[int]:
        return sorted({d.year for d in self.sightings})


@dataclass(frozen=True, slots=True)
class Slot:
    rfc: int
    position: int
    author: str
    year: int | None
    group: str | None
    areas: frozenset[str]
    coauthors: frozenset[str] = frozenset()  # the other authors' keys as printed ("m-jones")


@dataclass(frozen=True, slots=True)
class Tally:
    """How the slots resolved, by basis (the build summary prints it)."""

    by_basis: Mapping[str, int]

    @property
    def linked(self) -> int:
        return sum(n for basis, n in self.by_basis.items() if basis in LINKED)

    @property
    def slots(self) -> int:
        return sum(self.by_basis.values())


class Resolution:
    """The resolved people of one build; answers the mapper's ``People`` questions."""

    def __init__(self, index: PeopleIndex, names: Mapping[Key, list[str]]) -> None:
        self.index = index
        self._names = {key: list(dict.fromkeys(found)) for key, found in names.items()}
        self._printed: dict[Key, Counter[str]] = defaultdict(Counter)  # unresolved nodes' printed names
        self._links: dict[tuple[int, int], tuple[str, Link]] = {}
        self._unmatched: set[str] = set()
        self._positions: dict[int, list[tuple[int, str]]] = defaultdict(list)

    # -- the People protocol (ingest/mapping.py) --
    def key_for_name(self, name: str) -> Key:
        return self.index.key_for_name(name)

    def author_link(self, rfc: int, position: int, author: str) -> Link:
        """The decision for one author slot (position from 1); a slot not resolved here is resolved by name."""
        found = self._links.get((rfc, position))
        if found is None or found[0] != author:
            return self._by_name_only(author)
        return found[1]

    def preferred_name(self, key: Key) -> str | None:
        """The one name a person node carries as ``foaf:name``; the others are alternative labels.

        A source's full name, the first one printed without a word in capitals ("Qin Wu"
        over "Qin WU"); for an unresolved node, its most printed author form.
        """
        if names := self._names.get(key):
            return next((n for n in names if not _shouts(n)), names[0])
        if printed := self._printed.get(key):
            return printed.most_common(1)[0][0]
        return None

    def unmatched_authors(self) -> set[str]:
        return set(self._unmatched)

    def person_key(self, name: str) -> Key | None:
        """The key of a full-name person some source names, without registering a new one."""
        found = self.index.match_name(name)
        return found[0] if found else None

    def author_position(self, rfc: int, author: str) -> int | None:
        """Where ``author`` (exactly as printed) stands in the RFC's author list."""
        if not self._positions:
            for (number, position), (printed, _) in self._links.items():
                self._positions[number].append((position, printed))
        for position, printed in self._positions.get(rfc, ()):
            if author == printed:
                return position
        return None

    def links(self) -> Iterator[tuple[int, int, str, Link]]:
        """Every decided slot: ``(rfc, position, author as printed, link)``."""
        for (rfc, position), (author, link) in self._links.items():
            yield rfc, position, author, link

    def tally(self) -> Tally:
        return Tally(dict(Counter(link.basis for _, link in self._links.values() if link.is_person)))

    # -- building --
    def _by_name_only(self, author: str) -> Link:
        """A slot no RFC record gave: nothing to check initials against, so only a full name links."""
        parsed = parse_author(author)
        if parsed is None:
            name = " ".join(author.split())
            return Link(slug(name), name, False, "organisation", False)
        found = self.index.match_name(parsed.name) if _in_full(parsed.name) else None
        if found is not None:
            key, basis = found
            return Link(key, self.preferred_name(key) or parsed.name, True, basis, True, parsed.editor)
        return Link(parsed.key, parsed.name, False, "unresolved-no-candidate", True, parsed.editor)

    def _set(self, slot: Slot, key: Key, basis: str) -> None:
        parsed = parse_author(slot.author)
        assert parsed is not None
        if basis not in LINKED:
            self._unmatched.add(parsed.name)
            self._printed[key][parsed.name] += 1
        self._links[(slot.rfc, slot.position)] = (slot.author, Link(key, "", basis in LINKED, basis, editor=parsed.editor))

    def _set_organisation(self, slot: Slot) -> None:
        name = " ".join(slot.author.split())
        self._links[(slot.rfc, slot.position)] = (slot.author, Link(slug(name), name, False, "organisation", False))

    def _finish(self) -> None:
        """Fill in each link's preferred name once every name of every node is known."""
        for where, (author, link) in self._links.items():
            if link.is_person:
                name = self.preferred_name(link.key) or author
                self._links[where] = (author, Link(link.key, name, link.matched, link.basis, True, link.editor))


def _in_full(name: str) -> bool:
    """A given name printed in full ("Juha Heinanen"), not initials ("J.-P. Vasseur", "RJ Atkinson")."""
    first = name.split()[0]
    return len(first) > 2 and not first.endswith((".", "-")) and "." not in first


def _shouts(name: str) -> bool:
    return any(len(word) > 1 and word.isupper() and word.isalpha() for word in name.split())


def resolve(parsed: Mapping[str, list[Record]]) -> Resolution:
    """Resolve every person and every RFC author slot of one build."""
    records = [r for found in parsed.values() for r in found]
    index, names = _register(records)
    resolution = Resolution(index, names)
    area_of = _group_areas(records)
    profiles = _profiles(records, index, area_of)
    slots = list(_slots(records, area_of))
    tentative: dict[Key, list[Slot]] = defaultdict(list)
    unresolved: list[tuple[Slot, str]] = []
    for slot in slots:
        decided = _by_name(slot, index)
        if decided is None:
            resolution._set_organisation(slot)
        elif decided[1] in LINKED - {"initials-unique-in-era"}:
            resolution._set(slot, decided[0], decided[1])
        elif decided[1] == "initials":
            tentative[decided[0]].append(slot)
        else:
            unresolved.append((slot, decided[1]))
    common = _common_surnames(slots)
    for key, candidate_slots in tentative.items():
        for slot, basis in _judge(profiles.get(key, Profile(key)), candidate_slots, common):
            if basis in LINKED:
                resolution._set(slot, key, basis)
            else:
                unresolved.append((slot, basis))
    for (slot, basis), key in zip(unresolved, _unresolved_keys([s for s, _ in unresolved])):
        resolution._set(slot, key, basis)
    resolution._finish()
    return resolution


# -- people ----------------------------------------------------------------------------
def _register(records: list[Record]) -> tuple[PeopleIndex, dict[Key, list[str]]]:
    """Datatracker-identified people first, so other sources' names resolve to them."""
    index = PeopleIndex()
    names: dict[Key, list[str]] = defaultdict(list)
    persons = [r for r in records if isinstance(r, PersonRecord)]
    for person in sorted(persons, key=lambda p: p.datatracker_id is None):
        if person.datatracker_id is not None:
            index.add(person.name, person.datatracker_id)
            names[person.datatracker_id].append(person.name)
        else:
            names[index.key_for_name(person.name)].append(person.name)
    return index, names


def _group_areas(records: list[Record]) -> dict[str, frozenset[str]]:
    """Each group's areas over all the evidence, an area being its own."""
    areas: dict[str, set[str]] = defaultdict(set)
    for record in records:
        if isinstance(record, AreaLinkRecord):
            areas[record.group].add(record.area)
        elif isinstance(record, GroupRecord) and record.type == "area":
            areas[record.acronym].add(record.acronym)
    return {group: frozenset(found) for group, found in areas.items()}


def _profiles(records: list[Record], index: PeopleIndex, area_of: Mapping[str, frozenset[str]]) -> dict[Key, Profile]:
    profiles: dict[Key, Profile] = {}
    for role in (r for r in records if isinstance(r, RoleRecord)):
        key = role.person_id if role.person_id is not None else index.key_for_name(role.person)
        profile = profiles.setdefault(key, Profile(key))
        seen = [d for d in (role.start, role.end, *role.observed) if d is not None]
        profile.sightings.extend(seen)
        profile.groups.add(role.group)
        staff = _is_staff(role)
        profile.staff_only = profile.staff_only and staff
        if staff:
            continue
        profile.areas |= area_of.get(role.group, frozenset())
        if role.role == "ad" and seen and role.group in area_of.get(role.group, ()):
            profile.ad_terms.append((role.group, min(seen).year, max(seen).year))
    return profiles


def _is_staff(role: RoleRecord) -> bool:
    """Secretariat, scribes, IANA and RFC Editor liaisons; an IAB liaison is a technical seat."""
    return role.role in STAFF_ROLES and "IAB" not in (role.label or "")


# -- slots ------------------------------------------------------------------------------
def _slots(records: list[Record], area_of: Mapping[str, frozenset[str]]) -> Iterator[Slot]:
    group_of = {r.rfc: r.group for r in records if isinstance(r, AttributionRecord)}
    for rfc in (r for r in records if isinstance(r, RfcRecord)):
        group = group_of.get(rfc.number)
        year = int(rfc.published[:4]) if rfc.published else None
        areas = area_of.get(group, frozenset()) if group else frozenset()
        keys = [parsed.key if (parsed := parse_author(a)) else "" for a in rfc.authors]
        for position, author in enumerate(rfc.authors, start=1):
            others = frozenset(k for i, k in enumerate(keys, start=1) if k and i != position)
            yield Slot(rfc.number, position, author, year, group, areas, others)


def _by_name(slot: Slot, index: PeopleIndex) -> tuple[Key, str] | None:
    """``(key, basis)`` from the printed name alone: a full-name match, ``initials`` (to be
    judged), or an unresolved basis; None for an organisation."""
    parsed = parse_author(slot.author)
    if parsed is None:
        return None
    if not parsed.initials:
        return parsed.key, "unresolved-no-candidate"
    if _in_full(parsed.name):
        found = index.match_name(parsed.name)
        if found is not None:
            return found
    fits = {key for key, _ in index.candidates(slot.author)}
    if len(fits) == 1:
        return fits.pop(), "initials"
    return parsed.key, "unresolved-ambiguous" if fits else "unresolved-no-candidate"


# -- judging initials-only slots -----------------------------------------------------------
def _common_surnames(slots: list[Slot]) -> frozenset[str]:
    """Surnames printed with ``COMMON_SURNAME_INITIALS`` or more first initials: many namesakes."""
    initials: dict[str, set[str]] = defaultdict(set)
    for slot in slots:
        if (parsed := parse_author(slot.author)) and parsed.initials:
            initials[_surname(slot.author)].add(parsed.initials[0])
    return frozenset(name for name, found in initials.items() if len(found) >= COMMON_SURNAME_INITIALS)


def _surname(author: str) -> str:
    parsed = parse_author(author)
    return min(spellings(parsed.surname)) if parsed and parsed.surname else ""


def _judge(profile: Profile, slots: list[Slot], common: frozenset[str]) -> Iterator[tuple[Slot, str]]:
    """Each slot of a name that fits only ``profile``'s person, with the basis decided."""
    undated = [s for s in slots if s.year is None]
    yield from ((s, "unresolved-undated") for s in undated)
    dated = [s for s in slots if s.year is not None]
    off_area = _off_area(profile, dated)
    yield from ((s, "unresolved-area") for s in off_area)
    rest = [s for s in dated if s not in off_area]
    in_era = _in_era(profile, rest)
    contested = _contested(off_area)
    shared = {s for s in in_era if _surname(s.author) in common}
    anchored = _anchored(profile, in_era) if contested or shared else set(in_era)
    for slot in rest:
        if slot not in in_era:
            yield slot, "unresolved-era"
        elif slot not in anchored:
            yield slot, "unresolved-contested" if contested else "unresolved-common-surname"
        else:
            yield slot, "initials-unique-in-era"


def _off_area(profile: Profile, slots: list[Slot]) -> list[Slot]:
    """Slots in another area's group while the person sat as AD, written with none of the
    co-authors of the person's RFCs in their own areas or groups (a co-author in common is the
    same community)."""
    off = [s for s in slots if _area_contradicts(profile, s)]
    near = _near(profile)
    own = [s for s in slots if s.group in profile.groups or s.areas & near]
    known = {c for s in own for c in s.coauthors}
    return [s for s in off if not s.coauthors & known]


def _area_contradicts(profile: Profile, slot: Slot) -> bool:
    """An RFC of another area's group, published while the person sat as an AD."""
    year = slot.year or 0
    seated = [area for area, first, last in profile.ad_terms if first <= year <= last]
    if not slot.areas or not seated:
        return False
    return not (slot.areas & _near(profile))


def _near(profile: Profile) -> frozenset[str]:
    """The areas the person sat for, with the areas those were formed from or into."""
    return frozenset().union(*(AREA_FAMILY.get(area, frozenset({area})) for area, _, _ in profile.ad_terms))


def _contested(off_area: list[Slot]) -> bool:
    """Two off-area RFCs of one group: a namesake's body of work, not one paper outside the area."""
    return any(n >= CONTEST_SLOTS for n in Counter(s.group for s in off_area).values())


def _anchored(profile: Profile, slots: list[Slot]) -> set[Slot]:
    """The slots of a contested name that are the person's: in a group they held a role in, in an
    area while they were its AD, or sharing a co-author with such a slot."""
    def direct(slot: Slot) -> bool:
        year = slot.year or 0
        return slot.group in profile.groups or any(
            area in slot.areas and first - ANCHOR_YEARS <= year <= last + ANCHOR_YEARS
            for area, first, last in profile.ad_terms
        )

    anchored = {s for s in slots if direct(s)}
    coauthors = {c for s in anchored for c in s.coauthors}
    return anchored | {s for s in slots if coauthors & s.coauthors}


def _in_era(profile: Profile, slots: list[Slot]) -> list[Slot]:
    """The slots in a run of years that reaches one of the person's sightings."""
    seen = profile.years
    if not seen:
        return list(slots)
    if profile.staff_only:
        return [s for s in slots if seen[0] - 1 <= (s.year or 0) <= seen[-1] + 1]
    runs = _runs(sorted({*seen, *(s.year for s in slots if s.year is not None)}))
    sighted = {year for run in runs if set(run) & set(seen) for year in run}
    return [s for s in slots if s.year in sighted]


def _runs(years: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for year in years:
        if runs and year - runs[-1][-1] < ERA_GAP:
            runs[-1].append(year)
        else:
            runs.append([year])
    return runs


# -- unresolved nodes ---------------------------------------------------------------------
def _unresolved_keys(slots: Iterable[Slot]) -> Iterator[str]:
    """The node key of each unresolved slot: printed initials and surname within a context."""
    keyed = [(parse_author(s.author), _context(s)) for s in slots]
    long_forms: dict[tuple[str, str], set[str]] = defaultdict(set)
    for parsed, context in keyed:
        assert parsed is not None
        if parsed.initials and len(parsed.surname.split()) > 1:  # "J. Preuß Mattsson" is long for "J. Mattsson"
            short = ascii_slug(f"{parsed.initials[0]} {parsed.surname.split()[-1]}")
            long_forms[(short, context)].add(parsed.key)
    for parsed, context in keyed:
        assert parsed is not None
        longer = long_forms.get((parsed.key, context), set())
        chosen = next(iter(longer)) if len(longer) == 1 else parsed.key
        yield f"{chosen}--{context}"


def _context(slot: Slot) -> str:
    if slot.group:
        return slot.group
    return f"{slot.year // 10 * 10}s" if slot.year else "undated"
