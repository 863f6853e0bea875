"""Settings as a documented table: (name, default, help), overridable by env.

Every setting can be set with ``IETFKG_<NAME>`` (upper case); ``ietfkg settings``
prints the table. Defaults are safe for a laptop: localhost only, bounded work.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from ietfkg.schema.vocab import configured_base


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("store", "./var/store", "store directory (holds builds/ and the `current` link)"),
    Setting("backend", "oxigraph", "store backend by name: oxigraph (on disk) or memory (copied to RAM)"),
    Setting("base", configured_base(), "base IRI of every entity (set IETFKG_BASE before building)"),
    Setting("host", "127.0.0.1", "address to serve on"),
    Setting("port", 8000, "port to serve on (0 picks a free one)"),
    Setting("query_timeout_s", 10.0, "wall-clock cap per query, in seconds"),
    Setting("max_rows", 10000, "row cap for SELECT results served by the API"),
    Setting("threads", 4, "worker threads for store work"),
)


@dataclass(frozen=True, slots=True)
class Settings:
    store: str = "./var/store"
    backend: str = "oxigraph"
    base: str = configured_base()
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout_s: float = 10.0
    max_rows: int = 10000
    threads: int = 4

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        values: dict[str, Any] = {}
        for field in fields(cls):
            raw = os.environ.get(f"IETFKG_{field.name.upper()}")
            if raw is not None:
                values[field.name] = type(field.default)(raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)

    @property
    def store_path(self) -> Path:
        return Path(self.store)
