"""Async resolvers that answer at once when they can, and keep their answers: ``eager.field``.

graphql-core awaits whatever awaitable a resolver returns, and each await costs a task or
a future and turns of the event loop. For the explorer's Security Area query (about a
thousand fields, a few hundred of them resolvers) that cost more than the fields did.
Most resolvers here only wait for DataLoader futures, and with the answers kept across
requests (``answers.py``) those are usually done already.

``eager.field`` is the one way to declare an async field, with one rule: the resolver is
started at once, and its answer is kept for later requests unless ``keep=False``.

- Started at once, as Python 3.12's eager tasks do for tasks: when the resolver finishes
  without waiting, graphql-core gets the plain value (and its synchronous path); when it
  has to wait, graphql-core gets an awaitable that goes on from there. Strawberry reads
  the resolver's signature and annotations through the wrapper.
- Kept per (field, node IRI, arguments), with the loaders' answers: for a node's fields,
  whose answers depend only on the node and the arguments while the store is served. A
  later request asking the same gets the same objects without computing them, and without
  a coroutine. Errors are never kept. ``keep=False`` is for fields of objects that are not
  nodes (links, paths, area-map entries) and for those whose answer is one statement of a
  kept loader answer, read straight.

What could be combined wrongly is refused before a request is served: ``field`` takes
only an async resolver, and ``check_kept`` (run once the schema is built) refuses a kept
field on a type without an ``iri`` or with an argument that cannot be part of a key.

An eager resolver may wait only on futures (DataLoader loads). It must never enter an
anyio cancel scope (``RequestStore.within``): a scope has to be left in the task that
entered it, and the eager start runs in the caller's task. ``RequestStore.within``
checks ``starting()`` and refuses (the one rule checked while serving: what a resolver
awaits is known only then).

Handing a started coroutine's future to the awaiting task relies on asyncio's
``_asyncio_future_blocking`` flag; ``tests/test_graphql_eager.py`` fails if asyncio stops
setting or reading it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import threading
import types
from collections.abc import Awaitable, Callable, Coroutine, Generator, Hashable
from functools import partial, wraps
from typing import Any, ParamSpec, TypeVar

import strawberry
from strawberry.types.base import StrawberryList, StrawberryOptional
from strawberry.types.enum import StrawberryEnumDefinition
from strawberry.types.field import StrawberryField

from ietfkg.api.graphql.answers import UNKNOWN, AnswerCache, Kept

P = ParamSpec("P")
T = TypeVar("T")
Resolver = Callable[..., Coroutine[Any, Any, Any]]

# Depth of the eager starts running now, per thread: each event loop runs in one thread, and two
# servers in one process (the tests) must not see each other's. Not a context variable: a task
# created during a start (a DataLoader's dispatch) would inherit it.
_starts = threading.local()

# The fields whose answers are kept, for ``check_kept``.
_KEPT: list[StrawberryField] = []


def field(*, description: str, keep: bool = True, **options: Any) -> Callable[[Resolver], Any]:
    """``strawberry.field`` for an async resolver: started at once; its answer kept unless ``keep=False``."""

    def declare(resolver: Resolver) -> Any:
        if not inspect.iscoroutinefunction(resolver):
            raise TypeError(f"eager.field takes an async resolver; {resolver.__qualname__} is not one")
        made = strawberry.field(description=description, **options)(_keeping(resolver) if keep else eager(resolver))
        if keep:
            _KEPT.append(made)
        return made

    return declare


def _keeping(resolver: Resolver) -> Callable[..., Any]:
    """``resolver`` started at once, its answer kept per (field, node IRI, arguments)."""
    name = resolver.__qualname__

    @wraps(resolver)
    def run(self: Any, info: Any, **arguments: Any) -> Any:
        answers: AnswerCache = info.context.loaders.answers
        key = (name, self.iri, _arguments_key(arguments))
        known = answers.get(Kept.FIELD, key)
        if known is not UNKNOWN:
            return known
        return start(_answer_and_keep(resolver(self, info, **arguments), answers, key))

    return run


def _arguments_key(arguments: dict[str, Any]) -> tuple[tuple[str, Hashable], ...]:
    """The arguments as part of a key: lists count as tuples (``check_kept`` allows no other unhashable)."""
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in arguments.items()))


async def _answer_and_keep(answer: Coroutine[Any, Any, T], answers: AnswerCache, key: Hashable) -> T:
    value = await answer
    answers.keep(Kept.FIELD, key, value)  # not reached when the resolver raises: errors are never kept
    return value


def check_kept() -> None:
    """Refuse a kept field that could not be kept (see the module docstring); run once the schema is built."""
    for made in _KEPT:
        owner = made.origin
        if not (dataclasses.is_dataclass(owner) and "iri" in {f.name for f in dataclasses.fields(owner)}):
            raise TypeError(
                f"{made.python_name}: eager.field keeps an answer per node IRI, and {owner!r} has no iri; "
                "declare it with keep=False"
            )
        for argument in made.arguments:
            if not _keyable(argument.type):
                raise TypeError(
                    f"{made.python_name}: its argument {argument.python_name} cannot be part of a key; "
                    "declare it with keep=False"
                )


def _keyable(type_: Any, in_list: bool = False) -> bool:
    """True for an argument type whose values are hashable, or become so as ``_arguments_key`` turns lists to tuples."""
    if isinstance(type_, StrawberryOptional):
        return _keyable(type_.of_type, in_list)
    if isinstance(type_, StrawberryList):
        return not in_list and _keyable(type_.of_type, in_list=True)
    if isinstance(type_, StrawberryEnumDefinition):
        return True
    type_ = getattr(type_, "__supertype__", type_)  # strawberry.ID is a NewType of str
    return isinstance(type_, type) and type_.__hash__ is not None and not dataclasses.is_dataclass(type_)


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
    """A plain function that starts ``resolver`` at once (``field`` with ``keep=False``)."""

    @wraps(resolver)
    def run(*args: P.args, **kwargs: P.kwargs) -> T | Awaitable[T]:
        return start(resolver(*args, **kwargs))

    return run
