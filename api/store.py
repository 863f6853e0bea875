"""The one object through which request handlers reach the store.

Every call runs the blocking backend work in a worker thread under a wall-clock
limit and a ``CapacityLimiter``: the event loop never blocks, and abandoned work
(a timed-out query keeps its thread) cannot pile up beyond the limiter's size.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from ietfkg.graph.backends import Backend, Rows
from ietfkg.schema.errors import QueryTimeout

T = TypeVar("T")


class AsyncStore:
    def __init__(self, backend: Backend, timeout_s: float, threads: int, max_rows: int) -> None:
        self.backend = backend
        self.timeout_s = timeout_s
        self.max_rows = max_rows
        self.limiter = anyio.CapacityLimiter(threads)

    async def run(self, work: Callable[[], T]) -> T:
        """Run blocking store work in a thread, cut at ``timeout_s``."""
        try:
            with anyio.fail_after(self.timeout_s):
                return await anyio.to_thread.run_sync(work, abandon_on_cancel=True, limiter=self.limiter)
        except TimeoutError as exc:
            raise QueryTimeout(f"query took longer than {self.timeout_s:g} s and was stopped") from exc

    async def select(self, query: str, bindings: Mapping[str, Any] | None = None, limit: int | None = None) -> Rows:
        return await self.run(partial(self.backend.select, query, bindings, limit or self.max_rows))

    async def select_strings(
        self, query: str, bindings: Mapping[str, Any] | None = None, limit: int | None = None
    ) -> Rows:
        """``select`` with text cells (``Backend.select_strings``): cheaper for bulk reads."""
        return await self.run(partial(self.backend.select_strings, query, bindings, limit or self.max_rows))

    async def ask(self, query: str, bindings: Mapping[str, Any] | None = None) -> bool:
        return await self.run(partial(self.backend.ask, query, bindings))
