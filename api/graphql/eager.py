"""Resolvers that answer at once when they can.

graphql-core awaits whatever awaitable a resolver returns, and each await costs a task or
a future and turns of the event loop. For the explorer's Security Area query (about a
thousand fields, a few hundred of them resolvers) that cost more than the fields did.
Most resolvers here only wait for DataLoader futures, and with the answers kept across
requests (``answers.py``) those are usually done already.

``eager`` starts a resolver's coroutine at once, as Python 3.12's eager tasks do for
tasks. When it finishes without waiting, graphql-core gets the plain value (and its
synchronous path); when it has to wait, graphql-core gets an awaitable that goes on from
there. Strawberry reads the resolver's signature and annotations through the wrapper.

An eager resolver may wait only on futures (DataLoader loads). It must never enter an
anyio cancel scope (``RequestStore.within``): a scope has to be left in the task that
entered it, and the eager start runs in the caller's task. ``RequestStore.within``
checks ``starting()`` and refuses.
"""

from __future__ import annotations

import asyncio
import threading
import types
from collections.abc import Awaitable, Callable, Coroutine, Generator
from functools import partial, wraps
from typing import Any, ParamSpec, TypeVar

import strawberry

P = ParamSpec("P")
T = TypeVar("T")

# Depth of the eager starts running now, per thread: each event loop runs in one thread, and two
# servers in one process (the tests) must not see each other's. Not a context variable: a task
# created during a start (a DataLoader's dispatch) would inherit it.
_starts = threading.local()


def starting() -> bool:
    """True while a resolver runs its eager start (no cancel scope may be entered then)."""
    return getattr(_starts, "depth", 0) > 0


def start(coroutine: Coroutine[Any, Any, T]) -> T | Awaitable[T]:
    """Run ``coroutine`` until it finishes (its value) or first waits (an awaitable of its value)."""
    _starts.depth = getattr(_starts, "depth", 0) + 1
    try:
        waited = coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    finally:
        _starts.depth -= 1
    if isinstance(waited, asyncio.Future):
        # As a Task would, right away: another resolver may await this future before
        # ours is handed to a Task, and asyncio refuses a future already marked blocking.
        waited._asyncio_future_blocking = False
    return _go_on(coroutine, waited)


@types.coroutine
def _go_on(coroutine: Coroutine[Any, Any, T], waited: Any) -> Generator[Any, Any, T]:
    """Drive a started coroutine from where it waits, on behalf of the task that awaits this."""
    while True:
        if isinstance(waited, asyncio.Future):
            # What a task expects of a yielded future, even one done since ``start`` (it then
            # goes on at its next step).
            waited._asyncio_future_blocking = True
        try:
            sent = yield waited
        except BaseException as error:  # noqa: BLE001 - cancellation included: it belongs to the coroutine
            step = partial(coroutine.throw, error)
        else:
            step = partial(coroutine.send, sent)
        try:
            waited = step()
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]


def eager(resolver: Callable[P, Coroutine[Any, Any, T]]) -> Callable[P, T | Awaitable[T]]:
    """A plain function that starts ``resolver`` eagerly (see the module docstring)."""

    @wraps(resolver)
    def run(*args: P.args, **kwargs: P.kwargs) -> T | Awaitable[T]:
        return start(resolver(*args, **kwargs))

    return run


def field(*, description: str, **options: Any) -> Callable[[Callable[..., Coroutine[Any, Any, Any]]], Any]:
    """``strawberry.field`` for an async resolver that answers at once when it can."""

    def declare(resolver: Callable[..., Coroutine[Any, Any, Any]]) -> Any:
        return strawberry.field(description=description, **options)(eager(resolver))

    return declare
