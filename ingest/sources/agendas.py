"""Datatracker meeting agendas (``datatracker/agenda_*.json.gz``): groups with their parents,
the dated parent sightings (for ``ingest/areas.py``), and the sessions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ietfkg.ingest import agenda_sessions, datatracker_agenda
from ietfkg.ingest.fetch import local
from ietfkg.ingest.records import GroupRecord, Record
from ietfkg.ingest.sources.base import OnError, Parsed, catch, decoded

INFO = datatracker_agenda.INFO


def read(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    found: list[GroupRecord] = []
    seen: list[Record] = []  # ParentSightings, for ingest/areas.py
    sessions: list[Record] = []
    for path in sorted(root.glob("datatracker/agenda_*.json*"), key=lambda p: p.name):
        doc = decoded(local.read_json(datatracker_agenda.SOURCE, path), on_error)
        if doc is not None:
            found.extend(
                catch(
                    lambda d=doc, p=path: list(datatracker_agenda.parse_agenda(d, p.name, on_error)), on_error
                )
            )
            seen.extend(
                catch(lambda d=doc, p=path: list(datatracker_agenda.parent_sightings(d, p.name)), on_error)
            )
            sessions.extend(
                catch(
                    lambda d=doc, p=path: list(agenda_sessions.parse_sessions(d, p.name, on_error)), on_error
                )
            )
    yield from datatracker_agenda.merge_groups(found)
    yield from seen
    yield from sessions
