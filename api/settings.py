"""Settings as a documented table: each field has a default and a help text.

Every setting can be set with ``IETFKG_<NAME>`` (upper case); ``ietfkg settings``
prints the table. Defaults are safe for a laptop: localhost only, bounded work.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ietfkg.schema.settings_table import from_env, rows
from ietfkg.schema.settings_table import setting as _setting
from ietfkg.schema.vocab import configured_base


@dataclass(frozen=True, slots=True)
class Settings:
    store: str = _setting("./var/store", "store directory (holds builds/ and the `current` link)")
    backend: str = _setting("memory", "serving backend: memory (on-disk store copied to RAM at start) or oxigraph")
    base: str = _setting(configured_base(), "base IRI of every entity (set IETFKG_BASE before building)")
    host: str = _setting("127.0.0.1", "address to serve on")
    port: int = _setting(8000, "port to serve on (0 picks a free one)")
    query_timeout_s: float = _setting(10.0, "wall-clock cap per query, in seconds")
    max_rows: int = _setting(10000, "row cap for SELECT results (and triple cap for CONSTRUCT) served by the API")
    threads: int = _setting(4, "worker threads for store work")
    server_processes: int = _setting(
        1, "`ietfkg serve` processes on the one port, each with its own copy of the store and its own "
        "sparql_workers (set it to the cores for point-lookup throughput, at that much more memory)"
    )
    sparql_workers: int = _setting(
        os.cpu_count() or 2, "worker processes for /sparql queries (killed and replaced on timeout), in each "
        "server process (a process's connections stay with it, so each can use every core); default: the cores"
    )
    sparql_inline_rows: int = _setting(
        100, "a one-triple-pattern SELECT whose JSON answer has at most this many rows is answered in the "
        "server process, not by a worker (api/sparql/inline.py); 0: every query goes to a worker"
    )
    answer_cache: int = _setting(
        20_000, "GraphQL loader answers (entity statements, links, objects) kept across requests, about 3 KB "
        "each; 0 turns the cache off"
    )
    access_log: int = _setting(0, "1: `ietfkg serve` logs a line per request (uvicorn's access log); 0: only start-up, "
                               "errors and warnings")
    max_body_bytes: int = _setting(1_048_576, "cap on request bodies in bytes (POST /sparql, /graphql): 413 past it")

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        return from_env(cls, "IETFKG_", **overrides)

    @property
    def store_path(self) -> Path:
        return Path(self.store)


def table() -> list[tuple[str, Any, str]]:
    """``(name, default, help)`` rows for ``ietfkg settings`` and the README."""
    return rows(Settings)
