"""An on-disk HTTP response cache keyed by URL, for ETag / Last-Modified revalidation.

One job: remember the last good body of each URL with its validators, so the
client can send ``If-None-Match`` / ``If-Modified-Since`` and reuse the body on
``304 Not Modified``, and so an interrupted fetch resumes with completed pages
already on disk.

Layout: ``<dir>/<sha256(url)[:2]>/<sha256(url)>.body`` plus ``.json`` metadata
(url, etag, last_modified, stored_at as epoch seconds). The body is written
first and the metadata last, each through a temporary file and ``os.replace``,
so a killed process leaves either the old entry or the new one, never a torn
pair that would be trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class CachedResponse:
    url: str
    body: bytes
    etag: str | None
    last_modified: str | None
    stored_at: float

    def validators(self) -> dict[str, str]:
        """Conditional request headers for revalidating this entry."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers

    def age(self, now: float | None = None) -> float:
        return (time.time() if now is None else now) - self.stored_at


class HttpCache:
    """Bodies and validators of good responses, one pair of files per URL."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _paths(self, url: str) -> tuple[Path, Path]:
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
        folder = self.root / digest[:2]
        return folder / f"{digest}.body", folder / f"{digest}.json"

    def get(self, url: str) -> CachedResponse | None:
        body_path, meta_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text("utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if meta.get("url") != url or meta.get("size") != len(body):
            return None
        return CachedResponse(
            url, body, meta.get("etag"), meta.get("last_modified"), float(meta["stored_at"])
        )

    def put(self, url: str, body: bytes, etag: str | None, last_modified: str | None) -> CachedResponse:
        body_path, _ = self._paths(url)
        body_path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(body_path, body)
        return self._write_meta(CachedResponse(url, body, etag, last_modified, time.time()))

    def touch(self, entry: CachedResponse) -> CachedResponse:
        """A revalidated (304) entry is fresh again: only its metadata is rewritten."""
        return self._write_meta(
            CachedResponse(entry.url, entry.body, entry.etag, entry.last_modified, time.time())
        )

    def _write_meta(self, entry: CachedResponse) -> CachedResponse:
        _, meta_path = self._paths(entry.url)
        meta = {
            "url": entry.url,
            "etag": entry.etag,
            "last_modified": entry.last_modified,
            "stored_at": entry.stored_at,
            "size": len(entry.body),
        }
        _write_atomic(meta_path, json.dumps(meta).encode("utf-8"))
        return entry


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
