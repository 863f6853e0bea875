"""The live build's sources: the registry's rows, each row's live source where it has one.

``live_sources(config, client, reporter)`` walks ``ingest/registry.py`` in build order:
a row with a live source (``datatracker`` from the Datatracker REST API v1; ``rfc-editor``
from the live ``rfc-index.xml`` and per-RFC JSON; the power map and roll calls with the
Datatracker's stated roles in place of overlapping sightings) contributes that; every
other row its snapshot reader. ``LiveConfig`` says where to fetch from, where to cache,
and since when (incremental updates merge into the mirror of the last sync).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ietfkg.graph.progress import Reporter
from ietfkg.ingest import registry
from ietfkg.ingest.fetch.http_client import LiveClient
from ietfkg.ingest.sources.base import Source

DATATRACKER_URL = "https://datatracker.ietf.org"
RFC_EDITOR_URL = "https://www.rfc-editor.org"


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
        return {r.name: when for r in registry.ROWS if r.synced}


def live_sources(config: LiveConfig, client: LiveClient, reporter: Reporter) -> tuple[Source, ...]:
    """The live build's sources, in the registry's order (later readers use earlier records)."""
    return tuple(
        r.load().live(config, client, reporter) if r.live else registry.snapshot_source(r)
        for r in registry.ROWS
    )
