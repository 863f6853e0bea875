"""The RFC Editor: the per-RFC JSON of the snapshot (``rfc-editor/rfc-json.tar.gz``) or, live,
the ``rfc-index.xml`` (wg/area/stream) completed by the per-RFC JSON (read from the bundled
tarball when it has it, else fetched once and then served from the cache: published RFCs do
not change, the index carries what does). Index entries without a WG get the group of the
Datatracker's RFC document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ietfkg.graph.progress import Reporter
from ietfkg.ingest import datatracker, rfc_editor, rfc_index
from ietfkg.ingest.fetch import local
from ietfkg.ingest.fetch.http_client import LiveClient
from ietfkg.ingest.records import GroupRecord, Record, RfcRecord, SourceInfo
from ietfkg.ingest.sources.base import OnError, Parsed, Reader, Source, each
from ietfkg.ingest.sources.datatracker import endpoints, parse_each
from ietfkg.schema.errors import ParseError, UpstreamNotFound

if TYPE_CHECKING:
    from ietfkg.ingest.live import LiveConfig

INFO = rfc_editor.INFO


def read(root: Path, parsed: Parsed, on_error: OnError) -> Iterator[Record]:
    members = local.read_tar_members(rfc_editor.SOURCE, root / "rfc-editor" / "rfc-json.tar.gz", ".json")
    yield from each(rfc_editor.parse_rfc, members, on_error)


def live_info(config: LiveConfig) -> SourceInfo:
    """The source's provenance; its snapshot date is the sync date."""
    return SourceInfo(
        rfc_editor.SOURCE,
        "RFC Editor index (rfc-index.xml) and per-RFC JSON (rfcNNNN.json)",
        f"{config.rfc_editor_url}/rfc-index.xml",
        config.as_of.isoformat(),
        description="Every RFC in the live index with WG acronym, area and stream, completed by its JSON.",
    )


def live(config: LiveConfig, client: LiveClient, reporter: Reporter) -> Source:
    return Source(live_info(config), read_live(config, client, reporter))


def read_live(config: LiveConfig, client: LiveClient, reporter: Reporter) -> Reader:
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
    fetcher = endpoints(config, client, reporter, on_error)
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
    for _, found in parse_each(
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
    for record in each(
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
