"""The live sources, in build order: the snapshot's registry with live upstreams swapped in.

Mirrors ``sources.py``: each ``Source`` is ``SourceInfo`` + a reader
``(snapshot_dir, parsed_so_far, on_error) -> records``. ``live_sources(config,
client, reporter)`` returns:

1. ``datatracker`` (new): groups, people, current roles and role history from the
   Datatracker REST API v1;
2. the bundled history sources (meeting agendas, power-map, curated, IAB programs,
   IESG roll calls), whose sighting-based role intervals give way to the stated
   Datatracker intervals where they overlap (``datatracker.merge_stated``);
3. ``rfc-editor`` from the live ``rfc-index.xml`` (wg/area/stream) completed by the
   per-RFC JSON (read from the bundled tarball when it has it, else fetched once and
   then served from the cache: published RFCs do not change, the index carries what
   does); then sub-series and protocols as in the snapshot.

Incremental (``config.since``): groups and group history are fetched with
``time__gte=<since>`` and merged by ``resource_uri`` into the mirror of the last
sync (``<cache>/mirror/*.json``); current roles are always fetched whole (the
resource has no time, and removals must show); role history only for the group
states saved since. Without a mirror an update is a full fetch.

Readers only wire the client to the pure parsers (``datatracker``, ``rfc_index``,
``rfc_editor``); the mirror is the one thing this module writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ietfkg.graph.progress import Reporter
from ietfkg.ingest import datatracker, rfc_editor, rfc_index, sources
from ietfkg.ingest.fetch import local
from ietfkg.ingest.fetch.endpoints import Endpoints
from ietfkg.ingest.fetch.http_client import LiveClient
from ietfkg.ingest.records import GroupRecord, Record, RfcRecord, RoleRecord, SourceInfo
from ietfkg.ingest.sources import OnError, Parsed, Reader, Source
from ietfkg.schema.errors import ParseError, UpstreamNotFound
from ietfkg.schema.vocab import local_name

DATATRACKER_URL = "https://datatracker.ietf.org"
RFC_EDITOR_URL = "https://www.rfc-editor.org"
GROUP_TYPES = ("area", "wg", "rg", "ag", "rag", "dir", "team", "program", "iabasg", "ietf", "irtf", "iab")
PERSON_BATCH = 100
HISTORY_BATCH = 100


@dataclass(frozen=True, slots=True)
class LiveConfig:
    """Where to fetch from, where to cache, and since when (None: everything)."""

    cache_dir: Path
    datatracker_url: str = DATATRACKER_URL
    rfc_editor_url: str = RFC_EDITOR_URL
    since: datetime | None = None
    started: datetime | None = None
    bundled_rfc_json: bool = True

    @classmethod
    def for_base(cls, cache_dir: Path, base_url: str | None = None, **kw: Any) -> LiveConfig:
        """One base URL for both services (a local mirror or test server), or the real hosts."""
        if base_url:
            kw.update(datatracker_url=base_url.rstrip("/"), rfc_editor_url=base_url.rstrip("/"))
        return cls(cache_dir=Path(cache_dir), **kw)

    @property
    def as_of(self) -> date:
        return (self.started or datetime.now(UTC)).date()

    def synced(self) -> dict[str, str]:
        """The ``build(synced=...)`` mapping: each live source and when its fetch began."""
        when = (self.started or datetime.now(UTC)).isoformat(timespec="seconds")
        return {datatracker.SOURCE: when, rfc_editor.SOURCE: when}


def source_infos(config: LiveConfig) -> dict[str, SourceInfo]:
    """Provenance of the two live sources; the snapshot date is the sync date."""
    day = config.as_of.isoformat()
    return {
        datatracker.SOURCE: SourceInfo(
            datatracker.SOURCE,
            "Datatracker REST API v1 (groups, people, roles, role history)",
            f"{config.datatracker_url}/api/v1/",
            day,
            description="Live groups with parent, type and state; current roles (observed on the sync date); "
            "chair and AD intervals stated by the group and role history.",
        ),
        rfc_editor.SOURCE: SourceInfo(
            rfc_editor.SOURCE,
            "RFC Editor index (rfc-index.xml) and per-RFC JSON (rfcNNNN.json)",
            f"{config.rfc_editor_url}/rfc-index.xml",
            day,
            description="Every RFC in the live index with WG acronym, area and stream, completed by its JSON.",
        ),
    }


# -- the Datatracker reader ---------------------------------------------------------
def _endpoints(config: LiveConfig, client: LiveClient, reporter: Reporter, on_error: OnError) -> Endpoints:
    return Endpoints(config.datatracker_url, datatracker.SOURCE, config.cache_dir / "mirror", client, reporter, on_error)


def read_datatracker(config: LiveConfig, client: LiveClient, reporter: Reporter) -> Reader:
    def read(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
        fetcher = _endpoints(config, client, reporter, on_error)
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

        persons = dict(_parsed(persons_in, lambda o: datatracker.parse_person(o, origin), on_error))
        parents = {
            uri: str(obj.get("acronym", "")).lower()
            for uri, obj in groups_in.items()
            if isinstance(obj, Mapping)
        }
        groups = dict(_parsed(groups_in, lambda o: datatracker.parse_group(o, origin, parents), on_error))
        yield from persons.values()
        yield from groups.values()
        current = [
            role
            for _, role in _parsed(
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


def _parsed(
    objects: Mapping[str, Any], parse: Callable[[Any], Any], on_error: OnError
) -> Iterator[tuple[str, Any]]:
    for uri, obj in objects.items():
        try:
            yield uri, parse(obj)
        except ParseError as err:
            on_error(err)


# -- history sources: stated intervals replace overlapping sightings ------------------
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


# -- the RFC Editor reader --------------------------------------------------------------
def read_rfc_editor(config: LiveConfig, client: LiveClient, reporter: Reporter) -> Reader:
    def read(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
        index_url = f"{config.rfc_editor_url}/rfc-index.xml"
        reporter.begin("fetch rfc-index.xml", 1)
        body = client.fetch(index_url, _xml_body)
        entries = list(rfc_index.parse_index(body, index_url, on_error))
        reporter.advance("fetch rfc-index.xml")
        reporter.end("fetch rfc-index.xml", f"{len(entries)} RFCs")
        entries = _with_document_groups(entries, config, client, reporter, parsed, on_error)
        issued = [e.number for e in entries if e.status != "NOT ISSUED"]
        bundled = _bundled_json(root, set(issued), on_error) if config.bundled_rfc_json else {}
        missing = [n for n in issued if n not in bundled]
        fetched = _fetched_json(config, client, reporter, missing, on_error)
        for entry in entries:
            yield rfc_index.merge(entry, bundled.get(entry.number) or fetched.get(entry.number))

    return read


def _with_document_groups(
    entries: list[RfcRecord],
    config: LiveConfig,
    client: LiveClient,
    reporter: Reporter,
    parsed: Parsed,
    on_error: OnError,
) -> list[RfcRecord]:
    """Index entries without a WG get the group the Datatracker's RFC document names.

    Only groups the ``datatracker`` source fetched count (individual submissions
    belong to the pseudo-group ``none``, which is not fetched). Incremental runs
    ask for documents changed since the last sync and merge them into the mirror.
    """
    acronyms = {
        r.datatracker_id: r.acronym
        for r in parsed.get(datatracker.SOURCE, ())
        if isinstance(r, GroupRecord) and r.datatracker_id is not None
    }
    if not acronyms or all(e.wg for e in entries):
        return entries
    fetcher = _endpoints(config, client, reporter, on_error)
    previous = fetcher.mirror.load("documents") if config.since else None
    params = {"type": "rfc"}
    if previous is None:
        documents = fetcher.objects("documents", "/api/v1/doc/document/", params)
    else:
        stamp = config.since.isoformat(timespec="seconds")  # type: ignore[union-attr]
        documents = {
            **previous,
            **fetcher.objects("documents", "/api/v1/doc/document/", {**params, "time__gte": stamp}),
        }
    if fetcher.errors == 0:
        fetcher.mirror.save("documents", documents)
    groups: dict[int, tuple[str, str]] = {}
    for _, found in _parsed(
        documents, lambda o: datatracker.parse_document(o, config.datatracker_url), on_error
    ):
        if found is not None and found.group_id in acronyms:
            groups[found.rfc] = (acronyms[found.group_id], found.evidence)
    return [
        replace(e, wg=groups[e.number][0], evidence=(*e.evidence, groups[e.number][1]))
        if e.wg is None and e.number in groups
        else e
        for e in entries
    ]


def _xml_body(url: str, body: bytes, content_type: str) -> bytes:
    head = body[:512].lstrip().lower()
    if "html" in content_type.lower() or head.startswith((b"<!doctype html", b"<html")):
        raise ParseError(
            rfc_editor.SOURCE, url, f"an HTML page ({content_type or 'cached'}) where XML was expected"
        )
    return body


def _bundled_json(root: Path, numbers: set[int], on_error: OnError) -> dict[int, RfcRecord]:
    """Per-RFC JSON from the bundled tarball for the RFCs it has (no network)."""
    path = root / "rfc-editor" / "rfc-json.tar.gz"
    if not path.is_file():
        return {}
    found: dict[int, RfcRecord] = {}
    for record in sources._each(
        rfc_editor.parse_rfc, local.read_tar_members(rfc_editor.SOURCE, path, ".json"), on_error
    ):
        if isinstance(record, RfcRecord) and record.number in numbers:
            found[record.number] = record
    return found


def _fetched_json(
    config: LiveConfig, client: LiveClient, reporter: Reporter, numbers: Iterable[int], on_error: OnError
) -> dict[int, RfcRecord]:
    """Per-RFC JSON from upstream; the cache is authoritative (a published RFC does not change)."""
    numbers = list(numbers)
    found: dict[int, RfcRecord] = {}
    reporter.begin("fetch rfcNNNN.json", len(numbers))
    for number in numbers:
        url = f"{config.rfc_editor_url}/rfc/rfc{number}.json"
        try:
            doc = client.json(url, source=rfc_editor.SOURCE, fresh_s=float("inf"))
            record = rfc_editor.parse_rfc(doc, url)
        except UpstreamNotFound as exc:
            on_error(ParseError(rfc_editor.SOURCE, url, exc.message))
        except ParseError as err:
            on_error(err)
        else:
            found[number] = replace(record, evidence=tuple(dict.fromkeys([*record.evidence, url])))
        reporter.advance("fetch rfcNNNN.json")
    reporter.end("fetch rfcNNNN.json", f"{len(found)} fetched")
    return found


# -- the registry ------------------------------------------------------------------------
def live_sources(config: LiveConfig, client: LiveClient, reporter: Reporter) -> tuple[Source, ...]:
    """The live build's sources, in order (later readers use earlier records)."""
    bundled = {source.info.name: source for source in sources.SOURCES}
    info = source_infos(config)
    return (
        Source(info[datatracker.SOURCE], read_datatracker(config, client, reporter)),
        bundled["datatracker-agenda"],
        bundled["datatracker-meetings"],
        Source(bundled["power-map"].info, with_stated_roles(bundled["power-map"].read)),
        bundled["curated"],
        bundled["area-names"],
        bundled["iab-programs"],
        Source(bundled["iesg-roll-calls"].info, with_stated_roles(bundled["iesg-roll-calls"].read)),
        Source(info[rfc_editor.SOURCE], read_rfc_editor(config, client, reporter)),
        bundled["corrections"],
        bundled["attribution"],
        bundled["areas"],
        bundled["drafts"],
        bundled["relaton-subseries"],
        bundled["subseries-history"],
        bundled["protocols"],
    )
