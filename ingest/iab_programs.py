"""IAB programs (``iab-programs/programs.jsonl``) -> group, person and role records.

Why this source: the Datatracker agendas show one program (rfcefdp); this file
holds 17 programs and support groups (model-t, stackevo, EDM, e-impact, RSOC...)
with their state, dates and leads, each fact tied to the URLs that state it.

Keys: a program's acronym is the Datatracker acronym lowercased where
``acronym_in_datatracker`` is true; otherwise the printed acronym may differ
from the Datatracker one, so it is slugged (``EDM`` -> ``edm``) and the printed
form is kept in ``aka``. A program with no acronym is keyed by ``slug(name)``.
Type is ``iabasg`` for an "administrative support group", else ``program``;
the parent is always ``iab`` (every record is an IAB program).

Leads: the role text is kept as printed in ``label``; the slug is ``liaison``,
``chair`` or ``lead``, read from the text before any bracket or semicolon so
"lead (IEEE liaison manager)" stays a lead. A lead's date is stated
(``basis="stated"``): ``start = end = as_of`` when it is a full date, else
unknown. First-name-only leads ("Suresh", "Jari") stay as printed and become
their own person nodes; they are never expanded.

Errors: ``parse_program`` raises ``ParseError`` for a bad record (no name, a
lead without name or URL, a role text naming no known role).
``parse_programs`` hands each error to ``on_error`` and skips that record, or
re-raises when ``on_error`` is None (``--strict``).

Pure: input is decoded JSON lines, output is records.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from ietfkg.ingest.parsing import OnError, required, skip_or_raise, text
from ietfkg.ingest.records import GroupRecord, PersonRecord, RoleRecord, SourceInfo
from ietfkg.schema.errors import ParseError
from ietfkg.schema.vocab import fold, slug

SOURCE = "iab-programs"
PARENT = "iab"

INFO = SourceInfo(
    name=SOURCE,
    title="IAB programs and administrative support groups",
    origin="transcribed from public IAB, Datatracker and mail-archive pages (each record lists its URLs)",
    snapshot_date="2024-02",
    description="17 programs with state, dates and leads; not a complete list.",
)

ProgramRecord = GroupRecord | PersonRecord | RoleRecord

_ROLE_WORDS = (("liaison", "liaison"), ("chair", "chair"), ("lead", "lead"))  # first match wins
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_programs(
    records: Iterable[Mapping[str, Any]], on_error: OnError | None = None
) -> Iterator[ProgramRecord]:
    """Groups in file order, then one person per folded lead name, then the lead roles."""
    groups: list[GroupRecord] = []
    roles: list[RoleRecord] = []
    for index, record in enumerate(records):
        try:
            group, leads = parse_program(record, index)
        except ParseError as err:
            skip_or_raise(err, on_error)
            continue
        groups.append(group)
        roles.extend(leads)
    yield from groups
    yield from _persons(roles)
    yield from roles


def parse_program(record: Mapping[str, Any], index: int) -> tuple[GroupRecord, list[RoleRecord]]:
    """One JSONL record -> its ``GroupRecord`` and its leads' ``RoleRecord``s."""
    if not isinstance(record, Mapping):
        raise ParseError(SOURCE, f"record {index}", "record is not an object")
    name = required(record, "name", SOURCE, f"record {index}", "program has no name")
    printed = text(record.get("acronym"))
    acronym = program_acronym(printed, bool(record.get("acronym_in_datatracker")), name)
    aka = [text(a) for a in record.get("aka") or []]
    if printed and printed != acronym:
        aka.insert(0, printed)
    group = GroupRecord(
        acronym=acronym,
        name=name,
        type="iabasg" if record.get("kind") == "administrative support group" else "program",
        state=text(record.get("state")),
        state_as_of=text(record.get("state_as_of")),
        parent=PARENT,
        opened=text(record.get("opened")),
        closed=text(record.get("closed")),
        kind=text(record.get("kind")),
        aka=tuple(dict.fromkeys(a for a in aka if a and a != name)),
        evidence=_source_urls(record, acronym),
    )
    leads = [parse_lead(lead, acronym) for lead in record.get("leads") or []]
    return group, leads


def program_acronym(printed: str | None, in_datatracker: bool, name: str) -> str:
    """The group key: Datatracker acronym as is (lowercased), else a slug of what is printed.

    >>> program_acronym("EDM", False, "x"), program_acronym(None, False, "Name Resolution Program")
    ('edm', 'name-resolution-program')
    """
    if printed and in_datatracker:
        return printed.lower()
    return slug(printed or name)


def parse_lead(lead: Any, acronym: str) -> RoleRecord:
    """``{name, role, as_of?, url}`` -> a stated ``RoleRecord`` on the program."""
    if not isinstance(lead, Mapping):
        raise ParseError(SOURCE, acronym, "lead is not an object")
    name, printed_role, url = text(lead.get("name")), text(lead.get("role")), text(lead.get("url"))
    if name is None or printed_role is None or url is None:
        raise ParseError(SOURCE, acronym, f"lead {lead!r} lacks a name, role or url")
    day = _full_date(lead.get("as_of"), acronym)
    return RoleRecord(
        person=name,
        group=acronym,
        role=role_slug(printed_role, acronym),
        start=day,
        end=day,
        basis="stated",
        label=printed_role,
        evidence=(url,),
    )


def role_slug(text: str, key: str = "") -> str:
    """``"program chair"`` -> ``chair``, ``"IAB liaison"`` -> ``liaison``, ``"co-lead (ISOC)"`` -> ``lead``.

    Only the text before a bracket or semicolon counts: the rest describes the
    person ("lead (IEEE liaison manager)"), not the role.
    """
    head = fold(re.split(r"[(;]", text, maxsplit=1)[0])
    for word, role in _ROLE_WORDS:
        if word in head:
            return role
    raise ParseError(SOURCE, key or text, f"role text {text!r} names no lead, chair or liaison")


# -- helpers -------------------------------------------------------------------
def _source_urls(record: Mapping[str, Any], key: str) -> tuple[str, ...]:
    urls = []
    for source in record.get("sources") or []:
        url = text(source.get("url")) if isinstance(source, Mapping) else None
        if url is None:
            raise ParseError(SOURCE, key, f"source {source!r} has no url")
        urls.append(url)
    if not urls:
        raise ParseError(SOURCE, key, "program cites no source")
    return tuple(dict.fromkeys(urls))


def _full_date(value: Any, key: str) -> date | None:
    """A lead's ``as_of`` as a date when it is YYYY-MM-DD; coarser dates stay unknown."""
    if value is None or not _FULL_DATE.fullmatch(str(value)):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ParseError(SOURCE, key, f"as_of {value!r} is not a valid date") from None


def _persons(roles: list[RoleRecord]) -> Iterator[PersonRecord]:
    """One person per folded name (first spelling kept), citing every lead URL."""
    names: dict[str, str] = {}
    urls: dict[str, dict[str, None]] = defaultdict(dict)
    for role in roles:
        key = fold(role.person)
        names.setdefault(key, role.person)
        urls[key].update(dict.fromkeys(role.evidence))
    for key, name in names.items():
        yield PersonRecord(name=name, evidence=tuple(urls[key]))


