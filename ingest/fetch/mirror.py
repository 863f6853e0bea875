"""The Datatracker objects of the last live sync, per endpoint, keyed by resource URI.

An incremental update (``LiveConfig.since``) merges what changed since into this mirror
instead of fetching everything again; the mirror is the one thing live ingest writes
besides the HTTP cache. Each file is replaced atomically, so a killed sync leaves the
previous mirror whole.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any


class Mirror:
    """The Datatracker objects of the last sync, per endpoint, keyed by resource URI."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def load(self, name: str) -> dict[str, Any] | None:
        try:
            data = json.loads((self.root / f"{name}.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def save(self, name: str, objects: Mapping[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / f"{name}.json"
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(objects, sort_keys=True), "utf-8")
        os.replace(tmp, path)
