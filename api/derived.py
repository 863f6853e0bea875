"""Views derived from the served store once per app: the adjacency index, the area map.

The store is read-only for the app's life, so these are computed once, in a
worker thread, and kept on ``app.state.derived`` (never at module level: two
apps in one process serve different stores). The lifespan starts the adjacency
index at startup, so the first path or neighborhood query does not pay for it;
other views start on first use. A build that failed is retried on the next use.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from threading import Lock
from typing import Any, TypeVar

from ietfkg.graph.backends import Backend

T = TypeVar("T")


class Derived:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ietfkg-derived")
        self._futures: dict[str, Future[Any]] = {}
        self._lock = Lock()

    def start(self, name: str, build: Callable[[Backend], T]) -> Future[T]:
        """Start computing ``build(backend)`` unless it is running or done (without error)."""
        with self._lock:
            future = self._futures.get(name)
            if future is None or (future.done() and future.exception() is not None):
                future = self._futures[name] = self._executor.submit(_frozen_after, build, self.backend)
            return future

    async def get(self, name: str, build: Callable[[Backend], T]) -> T:
        # shield: a request that times out must not cancel the shared computation
        return await asyncio.shield(asyncio.wrap_future(self.start(name, build)))

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _frozen_after(build: Callable[[Backend], T], backend: Backend) -> T:
    """``build(backend)``, then exempt everything alive from the cyclic garbage collector.

    A view lives as long as the app, and the adjacency index alone is hundreds of thousands of
    containers: without this every full collection walks them again, which shows as GraphQL tail
    latency (``bench/graphql_bench.py``). ``gc.freeze`` is CPython's tool for long-lived startup
    state; objects freed later are still freed by refcounting.
    """
    value = build(backend)
    gc.freeze()
    return value
