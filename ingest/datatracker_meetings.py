"""Datatracker meetings list (``/api/v1/meeting/meeting/?type=ietf``) -> ``MeetingRecord`` (pure).

Why this source: it is the one bundled file that says where and when each IETF meeting
was: number, city, country (ISO 3166-1 alpha-2), first day and length in days.

Shape: a REST API v1 list page, ``{"meta": {limit, offset, next, total_count}, "objects": [...]}``;
the bundled file is the API's first page (IETF 97-116 of ``total_count`` 116), so the graph has
those twenty meetings. Each object has ``number`` (a string), ``city``, ``country``, ``date``,
``days``, ``time_zone``, ``venue_name``, ``id`` and ``resource_uri`` (its evidence).

The last day is ``date + days - 1``, as the Datatracker's own ``Meeting.end_date`` computes it.

Errors: a document that is not a list page raises ``ParseError``; a bad object goes to
``on_error`` (or raises without one).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from ietfkg.ingest.datatracker_agenda import DATATRACKER
from ietfkg.ingest.parsing import OnError, skip_or_raise, text, value_of
from ietfkg.ingest.records import MeetingRecord, SourceInfo
from ietfkg.schema.errors import ParseError

SOURCE = "datatracker-meetings"

INFO = SourceInfo(
    name=SOURCE,
    title="Datatracker IETF meetings list (REST API v1, first page)",
    origin="github.com/pusateri/IETFNext (copy of https://datatracker.ietf.org/api/v1/meeting/meeting/?type=ietf)",
    snapshot_date="2023-01-31",
    files=("ingest/snapshot/datatracker/meetings.json.gz",),
    description="IETF 97-116: number, city, country, first day and length of each meeting.",
)


def parse_meetings(doc: Any, locator: str, on_error: OnError | None = None) -> Iterator[MeetingRecord]:
    """One ``MeetingRecord`` per object of the list page."""
    objects = doc.get("objects") if isinstance(doc, Mapping) else None
    if not isinstance(objects, list):
        raise ParseError(SOURCE, locator, 'expected a REST API list page {"meta": ..., "objects": [...]}')
    for index, obj in enumerate(objects):
        try:
            yield parse_meeting(obj, f"{locator}#{index}")
        except ParseError as err:
            skip_or_raise(err, on_error)


def parse_meeting(obj: Any, where: str) -> MeetingRecord:
    """One ``meeting/meeting`` object.

    >>> m = parse_meeting({"number": "115", "city": "London", "country": "GB", "date": "2022-11-05", "days": 7,
    ...                    "id": 1551, "resource_uri": "/api/v1/meeting/meeting/1551/"}, "x")
    >>> m.number, m.city, m.country, m.start, m.end, m.evidence
    (115, 'London', 'GB', '2022-11-05', '2022-11-11', ('https://datatracker.ietf.org/api/v1/meeting/meeting/1551/',))
    """
    number = str(value_of(obj, "number", SOURCE, where)).strip()
    if not number.isdigit():
        raise ParseError(SOURCE, where, f"meeting number {number!r} is not a number (not an IETF meeting)")
    start = _day(obj.get("date"), where)
    days = obj.get("days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 1):
        raise ParseError(SOURCE, where, f"days {days!r} is not a positive integer")
    meeting_id = obj.get("id")
    uri = text(obj.get("resource_uri"))
    return MeetingRecord(
        number=int(number),
        city=text(obj.get("city")),
        country=text(obj.get("country")),
        start=start.isoformat() if start else None,
        end=(start + timedelta(days=days - 1)).isoformat() if start and days else None,
        days=days,
        time_zone=text(obj.get("time_zone")),
        venue=text(obj.get("venue_name")),
        datatracker_id=meeting_id if isinstance(meeting_id, int) and not isinstance(meeting_id, bool) else None,
        evidence=(DATATRACKER + uri,) if uri and uri.startswith("/") else (where,),
    )


def _day(value: Any, where: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ParseError(SOURCE, where, f"date {value!r} is not an ISO date") from exc
