"""Datatracker meeting agenda JSON (``/meeting/<n>/agenda.json``) -> ``GroupRecord``.

Why this source: the agendas of IETF 108-115 are the only bundled file that lists
the groups that met, with their parent area, type and state as the Datatracker
gave them. They name no people.

Shape: ``{"<n>": [item, ...]}``. Items with ``objtype == "session"`` carry
``group: {acronym, name, parent, state, type}`` (plenaries and breaks have no
group and are skipped). Items with ``objtype == "parent"`` name the parent
groups themselves (``name`` = acronym, ``description`` = full name, ``id`` =
Datatracker group id); they are kept too, because they are the only agenda
facts about ``gen``, ``int``, ``irtf`` and ``iab``, and they carry real ids.
Location items are ignored.

Errors: a document that is not ``{"<n>": [...]}`` raises ``ParseError`` at once
(nothing in it can be trusted). A single bad item raises ``ParseError`` too,
unless the caller passes ``on_error``: then the error is handed to it and the
item skipped, so the pipeline can count bad items, or fail under ``--strict``
by passing ``None``.

Pure: input is decoded JSON, output is records.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from ietfkg.ingest.parsing import OnError, required, skip_or_raise, text
from ietfkg.ingest.records import GroupRecord, ParentSighting, SourceInfo
from ietfkg.schema.errors import ParseError

SOURCE = "datatracker-agenda"
DATATRACKER = "https://datatracker.ietf.org"  # API URIs and materials paths in the agenda are relative to it
MEETINGS = tuple(range(108, 116))  # agenda_<n>.json.gz; 114 is not bundled

INFO = SourceInfo(
    name=SOURCE,
    title="Datatracker meeting agendas, IETF 108-115",
    origin="github.com/pusateri/IETFNext (copies of https://datatracker.ietf.org/meeting/<n>/agenda.json)",
    snapshot_date="2023-01-31",
    description="Groups that met at IETF 108-115 with parent, type and state. No people.",
)



def parse_agenda(
    doc: Mapping[str, Any], locator: str, on_error: OnError | None = None
) -> Iterator[GroupRecord]:
    """One ``GroupRecord`` per group named in one meeting's agenda.

    Sessions of the same group within the meeting are merged (``merge_groups``),
    so each group appears once, with every session's agenda URL as evidence.
    """
    yield from merge_groups(_items(doc, locator, on_error))


def parent_sightings(doc: Mapping[str, Any], locator: str) -> Iterator[ParentSighting]:
    """Each group under its parent on the day of each session (``start``): the dated evidence of
    which area a group was in, which ``merge_groups`` keeps only as the latest parent.

    >>> doc = {"110": [{"objtype": "session", "start": "2021-03-08T12:00:00Z", "agenda": "https://a.example/1",
    ...                  "group": {"acronym": "spring", "parent": "rtg"}}]}
    >>> list(parent_sightings(doc, "agenda_110.json"))
    [ParentSighting(group='spring', parent='rtg', seen='2021-03-08', evidence=('https://a.example/1',))]
    """
    for item in meeting_items(doc, locator)[1]:
        group = item.get("group") if isinstance(item, Mapping) else None
        start = text(item.get("start")) if isinstance(item, Mapping) else None
        if not isinstance(group, Mapping) or start is None:
            continue  # bad items are reported by parse_agenda
        acronym, parent = text(group.get("acronym")), text(group.get("parent"))
        if acronym and parent:
            yield ParentSighting(acronym, parent, start[:10], (text(item.get("agenda")) or locator,))


def merge_groups(records: Iterable[GroupRecord]) -> list[GroupRecord]:
    """Keep one record per acronym; pass records in meeting order, oldest first.

    A later record's non-empty fields win (the Datatracker renames groups and
    moves BoFs to ``active``); a name it replaces is kept in ``aka`` so the old
    name stays findable. Evidence is the union, in first-seen order. Output is
    sorted by acronym so reruns give identical graphs.
    """
    merged: dict[str, GroupRecord] = {}
    for rec in records:
        old = merged.get(rec.acronym)
        merged[rec.acronym] = rec if old is None else _merge_pair(old, rec)
    return [merged[key] for key in sorted(merged)]


def parse_group(group: Any, key: str, evidence: tuple[str, ...]) -> GroupRecord:
    """A session's ``group`` object -> ``GroupRecord``; raises ``ParseError`` when unusable."""
    if not isinstance(group, Mapping):
        raise ParseError(SOURCE, key, f"group is {type(group).__name__}, not an object")
    acronym = required(group, "acronym", SOURCE, key, "group has no acronym")
    return GroupRecord(
        acronym=acronym,
        name=text(group.get("name")),
        type=text(group.get("type")),
        state=text(group.get("state")),
        parent=text(group.get("parent")),
        evidence=evidence,
    )


def parse_parent(item: Mapping[str, Any], key: str, locator: str) -> GroupRecord:
    """An ``objtype: parent`` item -> ``GroupRecord`` with its Datatracker id."""
    acronym = required(item, "name", SOURCE, key, "parent item has no name (acronym)")
    group_id = item.get("id")
    if group_id is not None and (isinstance(group_id, bool) or not isinstance(group_id, int)):
        raise ParseError(SOURCE, key, f"parent id {group_id!r} is not an integer")
    return GroupRecord(
        acronym=acronym, name=text(item.get("description")), datatracker_id=group_id, evidence=(locator,)
    )


# -- helpers -------------------------------------------------------------------
def _items(doc: Mapping[str, Any], locator: str, on_error: OnError | None) -> Iterator[GroupRecord]:
    """Parent items first, then sessions, so a session's richer group object wins the merge."""
    items = meeting_items(doc, locator)[1]
    parents = [
        (i, it) for i, it in enumerate(items) if isinstance(it, Mapping) and it.get("objtype") == "parent"
    ]
    for index, item in parents:
        try:
            yield parse_parent(item, f"{locator}#{index}", locator)
        except ParseError as err:
            skip_or_raise(err, on_error)
    for index, item in enumerate(items):
        if not isinstance(item, Mapping) or item.get("objtype") == "parent" or item.get("group") is None:
            continue
        key = f"{locator}#{index}"
        agenda = text(item.get("agenda"))
        try:
            yield parse_group(item["group"], key, (agenda,) if agenda else (locator,))
        except ParseError as err:
            skip_or_raise(err, on_error)


def meeting_items(doc: Mapping[str, Any], locator: str) -> tuple[int, list[Any]]:
    """The meeting number and the items of an agenda document, else ``ParseError``."""
    if not isinstance(doc, Mapping) or len(doc) != 1:
        raise ParseError(SOURCE, locator, 'expected {"<meeting number>": [sessions...]}')
    ((number, items),) = doc.items()
    if not str(number).isdigit() or not isinstance(items, list):
        raise ParseError(SOURCE, locator, f"key {number!r} is not a meeting number with a list of sessions")
    return int(number), items


def _merge_pair(old: GroupRecord, new: GroupRecord) -> GroupRecord:
    aka = list(old.aka)
    if old.name and new.name and old.name != new.name:
        aka.append(old.name)
    aka = [a for a in dict.fromkeys([*aka, *new.aka]) if a != (new.name or old.name)]
    return replace(
        old,
        name=new.name or old.name,
        type=new.type or old.type,
        state=new.state or old.state,
        parent=new.parent or old.parent,
        datatracker_id=new.datatracker_id if new.datatracker_id is not None else old.datatracker_id,
        aka=tuple(aka),
        evidence=tuple(dict.fromkeys([*old.evidence, *new.evidence])),
    )


