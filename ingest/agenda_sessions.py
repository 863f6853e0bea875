"""A Datatracker meeting agenda (``/meeting/<n>/agenda.json``) -> ``SessionRecord`` per session (pure).

Part of the ``datatracker-agenda`` source (``datatracker_agenda`` reads the groups from the same
items). Each ``objtype: session`` item is one session: ``session_id``, ``group.acronym``,
``start`` (UTC), ``duration`` (``"1:30:00"``), ``location`` (the room), ``status`` (``sched``,
``canceled``, ...), ``is_bof``, the ``agenda`` and ``minutes`` URLs, and ``presentations``
(slides: ``name``, ``rev``, ``title``, ``order``).

Slides have no URL in the agenda; the Datatracker serves each at
``/meeting/<n>/materials/<name>-<rev>``, the pattern of the agenda and minutes URLs in the
same file. The drafts a session's materials name are the draft names written in its slide
titles (``draft-ietf-tls-esni-15``, ``https://datatracker.ietf.org/doc/draft-jags-mpls-mna-hdr/``);
slide *names* are cut-off slugs of titles and are not read. A name needs two parts after
``draft-`` (``draft-elkins`` names no draft); a two-digit part ends it and is its revision.

Errors: an item whose group is unusable is skipped here (``datatracker_agenda.parse_agenda``
reports it); a session without an integer ``session_id`` or with a malformed ``duration``
goes to ``on_error`` (or raises without one).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ietfkg.ingest.datatracker_agenda import DATATRACKER, SOURCE, meeting_items
from ietfkg.ingest.parsing import OnError, skip_or_raise, text
from ietfkg.ingest.records import SessionRecord, SlidesRecord
from ietfkg.schema.errors import ParseError

_DURATION = re.compile(r"^(\d+):([0-5]\d):([0-5]\d)$")
_DRAFT = re.compile(r"(?<![a-z0-9])draft(?:-[a-z0-9]+)+")
_REVISION = re.compile(r"^\d\d$")


def parse_sessions(doc: Mapping[str, Any], locator: str, on_error: OnError | None = None) -> Iterator[SessionRecord]:
    """One ``SessionRecord`` per session item of one meeting's agenda (``{"<n>": [item, ...]}``)."""
    number, items = meeting_items(doc, locator)
    for index, item in enumerate(items):
        if not isinstance(item, Mapping) or item.get("objtype") != "session":
            continue
        group = item.get("group")
        acronym = text(group.get("acronym")) if isinstance(group, Mapping) else None
        if acronym is None:
            continue  # reported by datatracker_agenda.parse_agenda
        try:
            yield parse_session(item, number, acronym, f"{locator}#{index}", locator)
        except ParseError as err:
            skip_or_raise(err, on_error)


def parse_session(item: Mapping[str, Any], meeting: int, group: str, where: str, locator: str) -> SessionRecord:
    """One session item of meeting ``meeting``, held by ``group``."""
    session_id = item.get("session_id")
    if isinstance(session_id, bool) or not isinstance(session_id, int):
        raise ParseError(SOURCE, where, f"session_id {session_id!r} is not an integer")
    slides = tuple(_slides(item.get("presentations"), meeting, where))
    api = text(item.get("session_res_uri"))
    return SessionRecord(
        session_id=session_id,
        meeting=meeting,
        group=group,
        is_bof=item.get("is_bof") is True,
        start=text(item.get("start")),
        duration=duration(item.get("duration"), where),
        room=text(item.get("location")),
        status=text(item.get("status")),
        name=text(item.get("name")),
        agenda=_url(item.get("agenda")),
        minutes=_url(item.get("minutes")),
        slides=slides,
        evidence=((DATATRACKER + api,) if api and api.startswith("/") else ()) + (locator,),
    )


def duration(value: Any, where: str) -> str | None:
    """``"1:30:00"`` -> ``"PT1H30M"`` (``xsd:duration``); None when absent.

    >>> duration("1:30:00", "x"), duration("0:50:00", "x"), duration("11:00:00", "x")
    ('PT1H30M', 'PT50M', 'PT11H')
    """
    raw = text(value)
    if raw is None:
        return None
    match = _DURATION.match(raw)
    if match is None:
        raise ParseError(SOURCE, where, f"duration {raw!r} is not H:MM:SS")
    hours, minutes, seconds = (int(part) for part in match.groups())
    parts = [f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n]
    return "PT" + ("".join(parts) or "0S")


def drafts_named(title: str) -> list[tuple[str, str | None]]:
    """The ``(draft name, revision)`` pairs written in a slide title.

    >>> drafts_named("The ALT Special Use Top Level Domain:draft-ietf-dnsop-alt-tld-18")
    [('draft-ietf-dnsop-alt-tld', '18')]
    >>> drafts_named("draft-birkholz-scitt-receipts and draft-elkins FW")
    [('draft-birkholz-scitt-receipts', None)]
    >>> drafts_named("draft-ietf-uuidrev-rfc4122bis-00-IETF-115")
    [('draft-ietf-uuidrev-rfc4122bis', '00')]
    """
    found: list[tuple[str, str | None]] = []
    for match in _DRAFT.finditer(title):
        parts = match.group(0).split("-")
        cut = next((i for i in range(3, len(parts)) if _REVISION.match(parts[i])), len(parts))
        if cut >= 3:
            found.append(("-".join(parts[:cut]), parts[cut] if cut < len(parts) else None))
    return list(dict.fromkeys(found))


def _slides(presentations: Any, meeting: int, where: str) -> Iterator[SlidesRecord]:
    if presentations is None:
        return
    if not isinstance(presentations, list):
        raise ParseError(SOURCE, where, "presentations is not a list")
    for slide in presentations:
        name = text(slide.get("name")) if isinstance(slide, Mapping) else None
        if name is None:
            raise ParseError(SOURCE, where, "a presentation has no name")
        rev = text(slide.get("rev"))
        order = slide.get("order")
        title = text(slide.get("title"))
        yield SlidesRecord(
            url=f"{DATATRACKER}/meeting/{meeting}/materials/{name}" + (f"-{rev}" if rev else ""),
            name=name,
            revision=rev,
            title=title,
            order=order if isinstance(order, int) and not isinstance(order, bool) else None,
            drafts=tuple(drafts_named(title or "")),
        )


def _url(value: Any) -> str | None:
    url = text(value)
    return url if url and url.startswith(("http://", "https://")) else None
