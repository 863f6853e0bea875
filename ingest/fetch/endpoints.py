"""Datatracker endpoints read whole, with a progress line, for the live sources.

``Endpoints.objects`` runs one endpoint through the client's pagination and keys
the objects by resource URI; ``batched`` splits a long ``__in`` filter into
requests of a bounded size. Errors are counted (``errors``) as well as passed on,
so a reader saves its mirror only after a clean fetch: a skipped page must not
become the base of the next update.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ietfkg.graph.progress import Reporter
from ietfkg.ingest.fetch.http_client import LiveClient
from ietfkg.ingest.fetch.mirror import Mirror
from ietfkg.ingest.parsing import OnError
from ietfkg.schema.errors import ParseError


class Endpoints:
    """One Datatracker origin read through the client, with a progress line per endpoint."""

    def __init__(
        self,
        origin: str,
        source: str,
        mirror_root: Path,
        client: LiveClient,
        reporter: Reporter,
        on_error: OnError,
    ) -> None:
        self.origin, self.source, self.client, self.reporter = origin, source, client, reporter
        self.mirror = Mirror(mirror_root)
        self.errors = 0

        def counted(err: ParseError) -> None:
            self.errors += 1
            on_error(err)

        self.on_error = counted

    def objects(self, name: str, endpoint: str, params: Mapping[str, str]) -> dict[str, Any]:
        """Objects by resource URI (objects without one are reported and dropped)."""
        task = f"fetch {name}"
        begun = False

        def on_page(total: int | None) -> None:
            nonlocal begun
            if not begun:
                self.reporter.begin(task, total)
                begun = True

        found: dict[str, Any] = {}
        pages = self.client.datatracker_objects(
            self.origin, endpoint, params, source=self.source, on_error=self.on_error, on_page=on_page
        )
        for page, obj in pages:
            uri = obj.get("resource_uri") if isinstance(obj, Mapping) else None
            if not isinstance(uri, str):
                self.on_error(ParseError(self.source, page, "object without resource_uri"))
            else:
                found[uri] = obj
            if begun:
                self.reporter.advance(task)
        if not begun:
            self.reporter.begin(task, 0)
        self.reporter.end(task, f"{len(found)} objects")
        return found

    def batched(self, name: str, endpoint: str, key: str, values: list[str], size: int) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for start in range(0, len(values), size):
            found.update(self.objects(name, endpoint, {key: ",".join(values[start : start + size])}))
        return found
