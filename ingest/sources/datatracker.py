"""The Datatracker REST API v1, live only: groups, people, current roles and role history.

Incremental (``config.since``): groups and group history are fetched with
``time__gte=<since>`` and merged by ``resource_uri`` into the mirror of the last
sync (``<cache>/mirror/*.json``); current roles are always fetched whole (the
resource has no time, and removals must show); role history only for the group
states saved since. Without a mirror an update is a full fetch.

The history sources (power map, roll calls) read in a live build through
``with_stated_roles``: their sighting-based role intervals give way to the stated
Datatracker intervals where they overlap (``datatracker.merge_stated``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ietfkg.graph.progress import Reporter
from ietfkg.ingest import datatracker
from ietfkg.ingest.fetch.endpoints import Endpoints
from ietfkg.ingest.fetch.http_client import LiveClient
from ietfkg.ingest.records import Record, RoleRecord, SourceInfo
from ietfkg.ingest.sources.base import OnError, Parsed, Reader, Source
from ietfkg.schema.errors import ParseError
from ietfkg.schema.vocab import local_name

if TYPE_CHECKING:
    from ietfkg.ingest.live import LiveConfig

GROUP_TYPES = ("area", "wg", "rg", "ag", "rag", "dir", "team", "program", "iabasg", "ietf", "irtf", "iab")
PERSON_BATCH = 100
HISTORY_BATCH = 100


def live_info(config: LiveConfig) -> SourceInfo:
    """The source's provenance; its snapshot date is the sync date."""
    return SourceInfo(
        datatracker.SOURCE,
        "Datatracker REST API v1 (groups, people, roles, role history)",
        f"{config.datatracker_url}/api/v1/",
        config.as_of.isoformat(),
        description="Live groups with parent, type and state; current roles (observed on the sync date); "
        "chair and AD intervals stated by the group and role history.",
    )


def live(config: LiveConfig, client: LiveClient, reporter: Reporter) -> Source:
    return Source(live_info(config), read_live(config, client, reporter))


def endpoints(config: LiveConfig, client: LiveClient, reporter: Reporter, on_error: OnError) -> Endpoints:
    return Endpoints(
        config.datatracker_url, datatracker.SOURCE, config.cache_dir / "mirror", client, reporter, on_error
    )


def read_live(config: LiveConfig, client: LiveClient, reporter: Reporter) -> Reader:
    def read(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
        fetcher = endpoints(config, client, reporter, on_error)
        origin = config.datatracker_url
        groups_in, history, role_history = _groups_and_history(fetcher, config.since)
        roles_in = {
            uri: obj
            for uri, obj in fetcher.objects("roles", "/api/v1/group/role/", {}).items()
            if not isinstance(obj, Mapping)
            or obj.get("group") in groups_in  # roles of the group types fetched
        }
        wanted = datatracker.person_ids([*roles_in.values(), *role_history.values()])
        persons_in = fetcher.batched(
            "persons", "/api/v1/person/person/", "id__in", [str(i) for i in wanted], PERSON_BATCH
        )

        persons = dict(parse_each(persons_in, lambda o: datatracker.parse_person(o, origin), on_error))
        parents = {
            uri: str(obj.get("acronym", "")).lower()
            for uri, obj in groups_in.items()
            if isinstance(obj, Mapping)
        }
        groups = dict(parse_each(groups_in, lambda o: datatracker.parse_group(o, origin, parents), on_error))
        yield from persons.values()
        yield from groups.values()
        current = [
            role
            for _, role in parse_each(
                roles_in, lambda o: datatracker.parse_role(o, origin, groups, persons, config.as_of), on_error
            )
        ]
        stated = datatracker.stated_roles(
            groups_in.values(),
            history.values(),
            role_history.values(),
            roles_in.values(),
            persons,
            config.as_of,
            origin,
            on_error,
        )
        yield from datatracker.fold_current(current, stated)

    return read


def _groups_and_history(
    fetcher: Endpoints, since: datetime | None
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Groups, their saved states and the roles of those states; incremental when a mirror exists.

    A saved state's ``time`` is when that state *began*, so new history cannot be
    found by time: an update asks for the groups changed since the last sync
    (``time__gte``) and then for the history of just those groups.
    """
    mirror = fetcher.mirror
    previous = [mirror.load(name) for name in ("groups", "grouphistory", "rolehistory")] if since else [None]
    groups_params = {"type__slug__in": ",".join(GROUP_TYPES)}
    if any(p is None for p in previous):
        groups = fetcher.objects("groups", "/api/v1/group/group/", groups_params)
        history = fetcher.objects("grouphistory", "/api/v1/group/grouphistory/", {})
        role_history = fetcher.objects("rolehistory", "/api/v1/group/rolehistory/", {})
    else:
        old_groups, old_history, old_roles = previous
        stamp = since.isoformat(timespec="seconds")  # type: ignore[union-attr]
        changed = fetcher.objects("groups", "/api/v1/group/group/", {**groups_params, "time__gte": stamp})
        ids = [str(obj["id"]) for obj in changed.values() if isinstance(obj, Mapping) and "id" in obj]
        new_history = fetcher.batched(
            "grouphistory", "/api/v1/group/grouphistory/", "group__in", ids, HISTORY_BATCH
        )
        new_ids = [local_name(uri) for uri in new_history if uri not in old_history]  # type: ignore[operator]
        groups = {**old_groups, **changed}  # type: ignore[dict-item]
        history = {**old_history, **new_history}  # type: ignore[dict-item]
        role_history = {
            **old_roles,  # type: ignore[dict-item]
            **fetcher.batched(
                "rolehistory", "/api/v1/group/rolehistory/", "group__in", new_ids, HISTORY_BATCH
            ),
        }
    if fetcher.errors == 0:  # a skipped page must not become the base of the next update
        for name, objects in (("groups", groups), ("grouphistory", history), ("rolehistory", role_history)):
            mirror.save(name, objects)
    return groups, history, role_history


def parse_each(
    objects: Mapping[str, Any], parse: Callable[[Any], Any], on_error: OnError
) -> Iterator[tuple[str, Any]]:
    for uri, obj in objects.items():
        try:
            yield uri, parse(obj)
        except ParseError as err:
            on_error(err)


def with_stated_roles(read: Reader) -> Reader:
    """A bundled reader whose observed roles give way to the Datatracker's stated ones."""

    def merged(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
        stated = [
            r for r in parsed.get(datatracker.SOURCE, ()) if isinstance(r, RoleRecord) and r.basis == "stated"
        ]
        records = list(read(root, parsed, on_error))
        roles = [r for r in records if isinstance(r, RoleRecord)]
        yield from (r for r in records if not isinstance(r, RoleRecord))
        yield from datatracker.merge_stated(roles, stated)

    return merged
