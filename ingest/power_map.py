"""ietf-power-map ``ietf_data.json`` -> person, group and role records.

Why this source: it is the only bundled file with real Datatracker person and
group ids and the current role holders (as of its fetch, March 2026): ADs,
chairs, IAB members, liaisons. It is *derived* data (johnzfitch/ietf-power-map
fetched the Datatracker API), so every record cites the repository and the
exact entry in the bundled file.

Shape: ``persons`` {id: {name, photo, bio}}, ``groups`` {id: {acronym, name,
type}}, ``roles`` [{person_id, role, group_id, org}]. Ids are strings of
Datatracker ids; records carry them as ints.

Roles hold only on the fetch date, so each role is one observation:
``start = end = SNAPSHOT_DATE``, ``observed = (SNAPSHOT_DATE,)``, basis
``observed``. The file has no range of its own (no start dates, no earlier
fetch), so the honest bounds are that one day, certain and possible alike, each
with basis ``snapshot`` and the repository as evidence: a WG chair here is
"seen on 2026-03-09", never "chair since". The label keeps the upstream role
slug and its ``org`` bucket, e.g. ``"ad (AREA)"``.

Errors: one function per entry (``parse_person``, ``parse_group``,
``parse_role``) raises ``ParseError`` for a bad entry (a role naming an unknown
person or group id, a missing name...). ``parse_power_map`` runs them all; with
``on_error`` it hands each ``ParseError`` to the caller and skips that entry
(the pipeline counts them), without it the first error propagates (``--strict``).
A document without the three sections raises at once. A role is checked
against the persons and groups that parsed, so a role of a skipped person is
reported too, rather than left dangling.

Pure: input is decoded JSON, output is records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any, TypeVar, cast

from ietfkg.ingest.parsing import OnError, required, skip_or_raise, text
from ietfkg.ingest.records import Bound, GroupRecord, PersonRecord, RoleRecord, SourceInfo
from ietfkg.schema.errors import ParseError

SOURCE = "power-map"
SNAPSHOT_DATE = date(2026, 3, 9)
REPOSITORY = "https://github.com/johnzfitch/ietf-power-map"

INFO = SourceInfo(
    name=SOURCE,
    title="IETF Governance Power Map data (ietf_data.json)",
    origin=REPOSITORY,
    snapshot_date=SNAPSHOT_DATE.isoformat(),
    description="Current role holders fetched from the Datatracker API in March 2026 (derived file).",
)

PowerMapRecord = PersonRecord | GroupRecord | RoleRecord

# All four bounds of every role on the fetch day: the file is one day's view and states no range.
SNAPSHOT_BOUNDS = tuple(
    Bound(edge, SNAPSHOT_DATE, "snapshot", SNAPSHOT_DATE, REPOSITORY)
    for edge in ("start", "end", "possible-start", "possible-end")
)
R = TypeVar("R", PersonRecord, GroupRecord)


def parse_power_map(
    doc: Mapping[str, Any], locator: str, on_error: OnError | None = None
) -> Iterator[PowerMapRecord]:
    """Persons, then groups, then roles; bad entries go to ``on_error`` (or raise)."""
    persons_in, groups_in, roles_in = _sections(doc, locator)
    persons: dict[int, PersonRecord] = {}
    yield from _by_id(persons_in, parse_person, locator, on_error, persons)
    groups: dict[int, GroupRecord] = {}
    yield from _by_id(groups_in, parse_group, locator, on_error, groups)
    for index, entry in enumerate(roles_in):
        try:
            yield parse_role(index, entry, persons, groups, locator)
        except ParseError as err:
            skip_or_raise(err, on_error)


def _by_id(
    entries: Mapping[Any, Any],
    parse: Callable[[Any, Any, str], R],
    locator: str,
    on_error: OnError | None,
    found: dict[int, R],
) -> Iterator[R]:
    """``parse(key, entry, locator)`` of each entry, each record also put in ``found`` by its
    Datatracker id (the parsers always set it); bad entries go to ``on_error`` (or raise)."""
    for key, entry in entries.items():
        try:
            record = parse(key, entry, locator)
        except ParseError as err:
            skip_or_raise(err, on_error)
            continue
        found[cast(int, record.datatracker_id)] = record
        yield record


def _entry(kind: str, key: Any, entry: Any, locator: str, field: str) -> tuple[str, int, Mapping, str]:
    """``(where, id, entry, entry[field])`` for ``<kind>s[<key>]``, refusing a bad id, entry or field."""
    where = f"{locator}#{kind}s/{key}"
    entry_id = _id(key, where, f"{kind} id")
    if not isinstance(entry, Mapping):
        raise ParseError(SOURCE, where, f"{kind} entry is not an object")
    return where, entry_id, entry, required(entry, field, SOURCE, where, f"{kind} has no {field}")


def parse_person(key: Any, entry: Any, locator: str) -> PersonRecord:
    """``persons[<id>]`` -> ``PersonRecord`` with its Datatracker id and photo URL."""
    where, person_id, entry, name = _entry("person", key, entry, locator, "name")
    return PersonRecord(
        name=name, datatracker_id=person_id, photo=text(entry.get("photo")), evidence=(REPOSITORY, where)
    )


def parse_group(key: Any, entry: Any, locator: str) -> GroupRecord:
    """``groups[<id>]`` -> ``GroupRecord`` (acronym, name, Datatracker type slug, id)."""
    where, group_id, entry, acronym = _entry("group", key, entry, locator, "acronym")
    return GroupRecord(
        acronym=acronym,
        name=text(entry.get("name")),
        type=text(entry.get("type")),
        datatracker_id=group_id,
        evidence=(REPOSITORY, where),
    )


def parse_role(
    index: int,
    entry: Any,
    persons: Mapping[int, PersonRecord],
    groups: Mapping[int, GroupRecord],
    locator: str,
) -> RoleRecord:
    """``roles[<index>]`` -> ``RoleRecord`` observed on ``SNAPSHOT_DATE``.

    ``persons``/``groups`` are the parsed entries by id; a role naming an id
    outside them raises, so no role points at a node that does not exist.
    """
    where = f"{locator}#roles/{index}"
    if not isinstance(entry, Mapping):
        raise ParseError(SOURCE, where, "role entry is not an object")
    role = required(entry, "role", SOURCE, where, "role has no role slug")
    person = persons.get(_id(entry.get("person_id"), where, "person_id"))
    if person is None:
        raise ParseError(SOURCE, where, f"unknown person_id {entry.get('person_id')!r}")
    group = groups.get(_id(entry.get("group_id"), where, "group_id"))
    if group is None:
        raise ParseError(SOURCE, where, f"unknown group_id {entry.get('group_id')!r}")
    org = text(entry.get("org"))
    return RoleRecord(
        person=person.name,
        group=group.acronym,
        role=role,
        person_id=person.datatracker_id,
        start=SNAPSHOT_DATE,
        end=SNAPSHOT_DATE,
        basis="observed",
        observed=(SNAPSHOT_DATE,),
        label=f"{role} ({org})" if org else role,
        evidence=(REPOSITORY, where),
        bounds=SNAPSHOT_BOUNDS,
    )




# -- helpers -------------------------------------------------------------------
def _sections(doc: Mapping[str, Any], locator: str) -> tuple[Mapping[str, Any], Mapping[str, Any], list[Any]]:
    if not isinstance(doc, Mapping):
        raise ParseError(SOURCE, locator, "document is not an object")
    persons, groups, roles = doc.get("persons"), doc.get("groups"), doc.get("roles")
    if not isinstance(persons, Mapping) or not isinstance(groups, Mapping) or not isinstance(roles, list):
        raise ParseError(SOURCE, locator, "expected 'persons' and 'groups' objects and a 'roles' list")
    return persons, groups, roles


def _id(value: Any, where: str, what: str) -> int:
    """Datatracker ids arrive as strings ("105815"); anything not all digits is bad input."""
    digits = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not digits.isdigit():
        raise ParseError(SOURCE, where, f"{what} {value!r} is not a Datatracker id")
    return int(digits)


