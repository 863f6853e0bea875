"""Datatracker REST API v1 objects -> group, person and role records (pure).

Why this source: the live Datatracker is the system of record for groups, their
parents and states, the people in them and who holds which role; its history
resources say *when* roles began and ended, which the snapshot only sighted.

Shapes (one decoded object each, as in ``/api/v1/<app>/<model>/`` pages):

* ``group/group``: ``id``, ``acronym``, ``name``, ``parent``, ``state``, ``type``,
  ``time``, ``description``, ``resource_uri``; related things are URIs such as
  ``/api/v1/group/group/1260/`` and ``/api/v1/name/grouptypename/wg/``;
* ``person/person``: ``id``, ``name``, ``photo``, ``resource_uri``;
* ``group/role``: ``group``, ``person``, ``name`` (``/api/v1/name/rolename/chair/``);
* ``group/grouphistory``: a saved group state: ``group``, ``time`` (when that state
  began), ``resource_uri``; ``group/rolehistory``: the roles of one saved state
  (``group`` is the grouphistory URI).

Current roles become ``observed`` records (seen held on the sync date, like the
power-map). Role history becomes ``stated`` intervals for chairs and ADs
(``stated_roles``), and ``merge_stated`` lets those replace the sighting-based
intervals of other sources where they overlap, keeping both sources' evidence.

Errors: each parser raises ``ParseError(source, url, reason)`` for a missing
field, a malformed URI or an unknown group state; the caller skips and counts
it (or fails under ``--strict``). Evidence is the object's absolute API URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from ietfkg.ingest.parsing import OnError, text, value_of
from ietfkg.ingest.records import GroupRecord, PersonRecord, RoleRecord
from ietfkg.schema.errors import ParseError
from ietfkg.schema.vocab import fold

SOURCE = "datatracker"
GROUP_STATES = frozenset(
    {"active", "abandon", "bof", "bof-conc", "conclude", "dormant", "proposed", "replaced", "unknown"}
)
STATED_ROLES = frozenset({"chair", "ad"})
_URI = re.compile(r"^/api/v1/(?P<app>[a-z_]+)/(?P<model>[a-z_]+)/(?P<key>[^/]+)/$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


# -- URIs and scalars -------------------------------------------------------------
def uri_key(value: Any, model: str, where: str) -> str:
    """The last segment of a related-object URI of ``model``.

    >>> uri_key("/api/v1/name/grouptypename/wg/", "grouptypename", "x"), uri_key("/api/v1/group/group/1326/", "group", "x")
    ('wg', '1326')
    """
    match = _URI.match(value) if isinstance(value, str) else None
    if match is None or match.group("model") != model:
        raise ParseError(SOURCE, where, f"expected a /api/v1/.../{model}/<key>/ URI, got {value!r}")
    return match.group("key")


def name_slug(value: Any, model: str, where: str) -> str | None:
    """A ``/api/v1/name/<model>/<slug>/`` enum value as its slug (None when absent)."""
    if value is None:
        return None
    key = uri_key(value, model, where)
    if not _SLUG.match(key):
        raise ParseError(SOURCE, where, f"{model} slug {key!r} is not a slug")
    return key


def day_of(value: Any, where: str) -> date:
    """A Datatracker timestamp (``2022-11-14T08:00:00Z``) as its date.

    >>> day_of("2022-11-14T08:00:00Z", "x")
    datetime.date(2022, 11, 14)
    """
    if not isinstance(value, str):
        raise ParseError(SOURCE, where, f"time {value!r} is not a timestamp")
    try:
        return datetime.fromisoformat(value).date()
    except ValueError as exc:
        raise ParseError(SOURCE, where, f"time {value!r} is not a timestamp") from exc


def where_of(origin: str, obj: Any, fallback: str) -> str:
    """The absolute API URL of an object (its evidence), or ``fallback`` (the page URL)."""
    uri = obj.get("resource_uri") if isinstance(obj, Mapping) else None
    return origin.rstrip("/") + uri if isinstance(uri, str) and uri.startswith("/") else fallback


# -- groups and people ------------------------------------------------------------
def parse_group(obj: Any, origin: str, parents: Mapping[str, str], page: str = "") -> GroupRecord:
    """One ``group/group`` object; ``parents`` maps group URIs to acronyms.

    >>> g = parse_group({"id": 1326, "acronym": "tls", "name": "Transport Layer Security",
    ...     "parent": "/api/v1/group/group/1260/", "state": "/api/v1/name/groupstatename/active/",
    ...     "type": "/api/v1/name/grouptypename/wg/", "resource_uri": "/api/v1/group/group/1326/"},
    ...     "https://dt.example", {"/api/v1/group/group/1260/": "sec"})
    >>> g.acronym, g.parent, g.state, g.type, g.datatracker_id, g.evidence
    ('tls', 'sec', 'active', 'wg', 1326, ('https://dt.example/api/v1/group/group/1326/',))
    """
    where = where_of(origin, obj, page)
    acronym = text(value_of(obj, "acronym", SOURCE, where))
    state = name_slug(obj.get("state"), "groupstatename", where)
    if state is not None and state not in GROUP_STATES:
        raise ParseError(SOURCE, where, f"unknown group state {state!r}")
    parent_uri = obj.get("parent")
    group_id = obj.get("id")
    if not isinstance(group_id, int) or isinstance(group_id, bool):
        raise ParseError(SOURCE, where, f"group id {group_id!r} is not an integer")
    return GroupRecord(
        acronym=str(acronym).lower(),
        name=text(obj.get("name")),
        type=name_slug(obj.get("type"), "grouptypename", where),
        state=state,
        state_as_of=day_of(obj["time"], where).isoformat() if obj.get("time") else None,
        parent=parents.get(parent_uri) if isinstance(parent_uri, str) else None,
        datatracker_id=group_id,
        evidence=(where,),
    )


def parse_person(obj: Any, origin: str, page: str = "") -> PersonRecord:
    """One ``person/person`` object: name, id and photo URL."""
    where = where_of(origin, obj, page)
    name = text(value_of(obj, "name", SOURCE, where))
    person_id = obj.get("id")
    if not isinstance(person_id, int) or isinstance(person_id, bool):
        raise ParseError(SOURCE, where, f"person id {person_id!r} is not an integer")
    photo = text(obj.get("photo"))
    return PersonRecord(
        name=str(name),
        datatracker_id=person_id,
        photo=photo if photo and photo.startswith(("http://", "https://")) else None,
        evidence=(where,),
    )


def person_ids(objects: Iterable[Any]) -> list[int]:
    """The person ids named by role objects, sorted, for fetching just those people."""
    ids = set()
    for obj in objects:
        uri = obj.get("person") if isinstance(obj, Mapping) else None
        match = _URI.match(uri) if isinstance(uri, str) else None
        if match and match.group("model") == "person" and match.group("key").isdigit():
            ids.add(int(match.group("key")))
    return sorted(ids)


# -- documents ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DocumentGroup:
    """An RFC document and the group the Datatracker says produced it."""

    rfc: int
    group_id: int
    evidence: str


def parse_document(obj: Any, origin: str, page: str = "") -> DocumentGroup | None:
    """One ``doc/document`` object of type ``rfc`` -> its number and group id (None for other types).

    >>> parse_document({"name": "rfc8446", "rfc_number": 8446, "type": "/api/v1/name/doctypename/rfc/",
    ...     "group": "/api/v1/group/group/1326/", "resource_uri": "/api/v1/doc/document/rfc8446/"}, "https://dt")
    DocumentGroup(rfc=8446, group_id=1326, evidence='https://dt/api/v1/doc/document/rfc8446/')
    """
    where = where_of(origin, obj, page)
    if name_slug(value_of(obj, "type", SOURCE, where), "doctypename", where) != "rfc":
        return None
    number = obj.get("rfc_number")
    if not isinstance(number, int) or isinstance(number, bool):
        digits = str(obj.get("name", "")).removeprefix("rfc")
        if not digits.isdigit():
            raise ParseError(SOURCE, where, f"RFC document without an RFC number: {obj.get('name')!r}")
        number = int(digits)
    group = obj.get("group")
    if group is None:
        return None
    return DocumentGroup(number, int(uri_key(group, "group", where)), where)


# -- roles --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Held:
    """One role object reduced to what a role record needs."""

    group: str  # group URI (current) or grouphistory URI (history)
    person: str  # person URI
    role: str
    where: str


def _held(obj: Any, origin: str, group_model: str, page: str) -> _Held:
    where = where_of(origin, obj, page)
    group = value_of(obj, "group", SOURCE, where)
    person = value_of(obj, "person", SOURCE, where)
    uri_key(group, group_model, where)
    uri_key(person, "person", where)
    role = name_slug(value_of(obj, "name", SOURCE, where), "rolename", where)
    return _Held(group, person, role or "", where)


def parse_role(
    obj: Any,
    origin: str,
    groups: Mapping[str, GroupRecord],
    persons: Mapping[str, PersonRecord],
    as_of: date,
    page: str = "",
) -> RoleRecord:
    """One current ``group/role`` object, observed held on ``as_of`` (the sync date)."""
    held = _held(obj, origin, "group", page)
    group, person = groups.get(held.group), persons.get(held.person)
    if group is None:
        raise ParseError(SOURCE, held.where, f"role in a group not fetched: {held.group}")
    if person is None:
        raise ParseError(SOURCE, held.where, f"role of a person not fetched: {held.person}")
    return RoleRecord(
        person=person.name,
        group=group.acronym,
        role=held.role,
        person_id=person.datatracker_id,
        start=as_of,
        end=as_of,
        basis="observed",
        observed=(as_of,),
        label=f"{held.role} (Datatracker, current)",
        evidence=(held.where,),
    )


@dataclass(frozen=True, slots=True)
class _State:
    """The roles a group had from ``since`` on, as one saved (or the current) state."""

    since: date
    roles: frozenset[tuple[str, str]]  # (person URI, role slug)
    where: str


def stated_roles(
    group_objects: Iterable[Any],
    history: Iterable[Any],
    role_history: Iterable[Any],
    current_roles: Iterable[Any],
    persons: Mapping[str, PersonRecord],
    as_of: date,
    origin: str,
    on_error: OnError,
) -> Iterator[RoleRecord]:
    """Chair and AD intervals from the group and role history (basis ``stated``).

    A ``grouphistory`` entry saves a group's state with the ``time`` that state
    began; the next saved state (or the group's current ``time``) ends it. A role
    runs from the first state that lists it to the first later state that does
    not. A role still held now ends on ``as_of`` (the sync date, the last day it
    is known to hold), labelled ``ongoing``.
    """
    groups: dict[str, tuple[str, date | None]] = {}
    for obj in group_objects:
        try:
            where = where_of(origin, obj, "group")
            groups[value_of(obj, "resource_uri", SOURCE, where)] = (
                str(value_of(obj, "acronym", SOURCE, where)).lower(),
                day_of(obj["time"], where) if obj.get("time") else None,
            )
        except ParseError as err:
            on_error(err)
    saved = _saved_states(history, role_history, origin, on_error)
    now = _current_states(current_roles, groups, as_of, origin, on_error)
    for group_uri, (acronym, _) in sorted(groups.items(), key=lambda item: item[1][0]):
        timeline = sorted(saved.get(group_uri, []), key=lambda s: s.since)
        if not timeline:
            continue  # no saved state: when current roles began is unknown
        if group_uri in now:
            timeline.append(now[group_uri])
        yield from _intervals(acronym, timeline, group_uri in now, persons, as_of, on_error)


def _stated_helds(
    objects: Iterable[Any], origin: str, group_model: str, on_error: OnError
) -> Iterator[_Held]:
    """The chair and AD role objects; bad objects go to ``on_error``."""
    for obj in objects:
        try:
            held = _held(obj, origin, group_model, group_model)
        except ParseError as err:
            on_error(err)
            continue
        if held.role in STATED_ROLES:
            yield held


def _saved_states(
    history: Iterable[Any], role_history: Iterable[Any], origin: str, on_error: OnError
) -> dict[str, list[_State]]:
    roles: dict[str, set[tuple[str, str]]] = {}
    for held in _stated_helds(role_history, origin, "grouphistory", on_error):
        roles.setdefault(held.group, set()).add((held.person, held.role))
    states: dict[str, list[_State]] = {}
    for obj in history:
        try:
            where = where_of(origin, obj, "grouphistory")
            uri = value_of(obj, "resource_uri", SOURCE, where)
            group = value_of(obj, "group", SOURCE, where)
            uri_key(group, "group", where)
            since = day_of(value_of(obj, "time", SOURCE, where), where)
        except ParseError as err:
            on_error(err)
            continue
        states.setdefault(group, []).append(_State(since, frozenset(roles.get(uri, ())), where))
    return states


def _current_states(
    current_roles: Iterable[Any],
    groups: Mapping[str, tuple[str, date | None]],
    as_of: date,
    origin: str,
    on_error: OnError,
) -> dict[str, _State]:
    roles: dict[str, set[tuple[str, str]]] = {uri: set() for uri in groups}
    wheres: dict[str, str] = {}
    for held in _stated_helds(current_roles, origin, "group", on_error):
        if held.group in roles:
            roles[held.group].add((held.person, held.role))
            wheres.setdefault(held.group, held.where)
    return {
        uri: _State(groups[uri][1] or as_of, frozenset(held), wheres.get(uri, origin))
        for uri, held in roles.items()
    }


def _intervals(
    acronym: str,
    timeline: list[_State],
    has_current: bool,
    persons: Mapping[str, PersonRecord],
    as_of: date,
    on_error: OnError,
) -> Iterator[RoleRecord]:
    keys = sorted({key for state in timeline for key in state.roles})
    for person_uri, role in keys:
        person = persons.get(person_uri)
        if person is None:
            on_error(
                ParseError(SOURCE, timeline[0].where, f"role history of a person not fetched: {person_uri}")
            )
            continue
        start: _State | None = None
        for index, state in enumerate(timeline):
            held = (person_uri, role) in state.roles
            if held and start is None:
                start = state
            elif not held and start is not None:
                yield _stated(person, acronym, role, start, state.since, (start.where, state.where), False)
                start = None
            if held and index == len(timeline) - 1:
                ongoing = has_current
                end = as_of if ongoing else state.since
                yield _stated(person, acronym, role, start or state, end, ((start or state).where,), ongoing)


def _stated(
    person: PersonRecord,
    group: str,
    role: str,
    start: _State,
    end: date,
    evidence: tuple[str, ...],
    ongoing: bool,
) -> RoleRecord:
    return RoleRecord(
        person=person.name,
        group=group,
        role=role,
        person_id=person.datatracker_id,
        start=start.since,
        end=max(end, start.since),
        basis="stated",
        label=f"{role} (Datatracker role history{', ongoing' if ongoing else ''})",
        evidence=tuple(dict.fromkeys(evidence)),
    )


def fold_current(current: Iterable[RoleRecord], stated: Iterable[RoleRecord]) -> Iterator[RoleRecord]:
    """Stated intervals, with each current role's sighting folded into its ongoing interval.

    A current role that an ongoing stated interval covers is one membership, not
    two: the interval gains the sighting (``observed``) and the role's URL; other
    current roles stay ``observed`` records of their own.
    """
    ongoing: dict[tuple[int | None, str, str], RoleRecord] = {}
    for record in stated:
        key = (record.person_id, record.group, record.role)
        if record.label and record.label.endswith("ongoing)"):
            ongoing[key] = record
        else:
            yield record
    for role in current:
        interval = ongoing.pop((role.person_id, role.group, role.role), None)
        if interval is None:
            yield role
        else:
            yield replace(
                interval,
                observed=role.observed,
                evidence=tuple(dict.fromkeys([*interval.evidence, *role.evidence])),
            )
    yield from ongoing.values()


def merge_stated(observed: Iterable[RoleRecord], stated: Iterable[RoleRecord]) -> Iterator[RoleRecord]:
    """Sighting-based intervals, with stated dates where a stated interval overlaps.

    Records match on (folded person name, group, role). Sightings inside a stated
    interval become one record with the stated dates and basis ``stated``, keeping
    the sightings (``observed``) and both sources' evidence; sightings outside every
    stated interval stay an ``observed`` record of their own.

    >>> seen = RoleRecord("Alex Example", "exa", "ad", start=date(2020, 3, 1), end=date(2021, 5, 1),
    ...                   observed=(date(2020, 3, 1), date(2021, 5, 1)), evidence=("minutes",))
    >>> told = RoleRecord("Alex Example", "exa", "ad", start=date(2019, 3, 20), end=date(2021, 3, 25),
    ...                   basis="stated", evidence=("history",))
    >>> [(r.basis, str(r.start), str(r.end), r.evidence) for r in merge_stated([seen], [told])]
    [('stated', '2019-03-20', '2021-03-25', ('minutes', 'history')), ('observed', '2021-05-01', '2021-05-01', ('minutes',))]
    """
    by_key: dict[tuple[str, str, str], list[RoleRecord]] = {}
    for record in stated:
        if record.start is not None and record.end is not None:
            by_key.setdefault((fold(record.person), record.group, record.role), []).append(record)
    for record in observed:
        intervals = by_key.get((fold(record.person), record.group, record.role), [])
        sightings = record.observed or tuple(d for d in (record.start, record.end) if d is not None)
        if record.basis != "observed" or not intervals or not sightings:
            yield record
            continue
        rest = list(sightings)
        for interval in sorted(intervals, key=lambda r: r.start or date.min):
            inside = [d for d in rest if interval.start <= d <= interval.end]  # type: ignore[operator]
            if not inside:
                continue
            rest = [d for d in rest if d not in inside]
            yield replace(
                record,
                start=interval.start,
                end=interval.end,
                basis="stated",
                observed=tuple(inside),
                evidence=tuple(dict.fromkeys([*record.evidence, *interval.evidence])),
                bounds=(),  # the stated dates are the bounds now
            )
        if rest:
            # the sightings' own bounds were those of the whole run; what is left has only its dates
            yield replace(record, start=min(rest), end=max(rest), observed=tuple(rest), bounds=())
