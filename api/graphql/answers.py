"""Loader answers kept across requests: the served store is read-only for the app's life.

Each GraphQL request has its own DataLoaders (its batches, its futures), but what they
load, an entity's statements or the links pointing at it, cannot change while the app
serves: the reason ``api/derived.py`` computes the adjacency index once. Reading the
statements of a page of RFCs from the store is most of a nested query's time when nothing
is kept, so ``AnswerCache`` keeps the answers of the most recently used entities, per
loader, for the app's life.

Each request's loaders see it through ``AnswerCache.view``, strawberry's ``cache_map``
hook: a key answered before is a future that is already done, which a resolver reads
without waiting (``eager.py``). Only successful answers are kept: a timeout or an error
in one request is never replayed to another. Size 0 turns the cache off.

One cache holds everything kept across requests, its parts told apart by ``Kept``: the
loaders' answers, the answers of node fields (``eager.field``) and the node objects.

STYLE.md warns against caches shared across requests: they serve stale data once the data
changes, and grow without bound. This one belongs to the app (never the module), serves a
store that cannot change under it (a new build is served by a restart), and is bounded.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Hashable
from enum import StrEnum
from functools import partial
from typing import Any

from strawberry.dataloader import AbstractCache

UNKNOWN: Any = object()  # ``get``'s answer for a key not kept


class Kept(StrEnum):
    """What is kept across requests: one part of the ``AnswerCache`` each.

    A ``StrEnum``: its members hash as their text does, in C, on the path every field takes.
    """

    DESCRIBE = "describe"  # the describe loader's answers: an entity's common statements
    DETAILS = "details"  # the details loader's: the statements few requests read
    INCOMING = "incoming"  # the incoming loader's: the links pointing at an entity
    PROVENANCE = "provenance"  # the provenance loader's: source graphs and evidence
    SOURCES = "sources"  # the sources loader's: the description of each source graph
    FIELD = "field"  # a node field's answer per (field, node, arguments), see ``eager.field``
    NODE = "node"  # the node objects made from the describe answers


class AnswerCache:
    """The answers of the last ``size`` (loader, key) pairs asked for, least recently used out first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._answers: OrderedDict[tuple[Kept, Hashable], Any] = OrderedDict()

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, part: Kept, key: Hashable) -> Any:
        """The answer kept for ``key`` in ``part``, or ``UNKNOWN``."""
        entry = (part, key)
        answer = self._answers.get(entry, UNKNOWN)
        if answer is not UNKNOWN:
            self._answers.move_to_end(entry)
        return answer

    def keep(self, part: Kept, key: Hashable, answer: Any) -> None:
        if self.size <= 0:
            return
        self._answers[(part, key)] = answer
        self._answers.move_to_end((part, key))
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)

    def view(self, loader: Kept) -> RequestView:
        """One request's ``cache_map`` for the DataLoader whose answers are ``loader``."""
        return RequestView(self, loader)


class RequestView(AbstractCache[Hashable, Any]):
    """A request's futures for one loader; keys answered in earlier requests come back done."""

    def __init__(self, answers: AnswerCache, loader: Kept) -> None:
        self.answers = answers
        self.loader = loader
        self.futures: dict[Hashable, asyncio.Future[Any]] = {}

    def get(self, key: Hashable) -> asyncio.Future[Any] | None:
        future = self.futures.get(key)
        if future is None:
            answer = self.answers.get(self.loader, key)
            if answer is UNKNOWN:
                return None
            future = self.futures[key] = asyncio.get_running_loop().create_future()
            future.set_result(answer)
        return future

    def set(self, key: Hashable, value: asyncio.Future[Any]) -> None:
        self.futures[key] = value
        if self.answers.size > 0:
            value.add_done_callback(partial(self._keep, key))

    def _keep(self, key: Hashable, future: asyncio.Future[Any]) -> None:
        if not future.cancelled() and future.exception() is None:
            self.answers.keep(self.loader, key, future.result())

    def delete(self, key: Hashable) -> None:
        self.futures.pop(key, None)

    def clear(self) -> None:
        self.futures.clear()
