"""Async resolvers that answer at once when they can, and keep their answers: ``eager.field``.

graphql-core awaits whatever awaitable a resolver returns, and each await costs a task or
a future and turns of the event loop. For the explorer's Security Area query (about a
thousand fields, a few hundred of them resolvers) that cost more than the fields did.
Most resolvers here only wait for DataLoader futures, and with the answers kept across
requests (``answers.py``) those are usually done already.

``eager.field`` is the one way to declare an async field, with one rule: the resolver is
started at once, its answer is kept for the request, and for later requests unless
``keep=False``; when it had to wait, the fields selected below its answer are run a level
at a time before graphql-core gets it.

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
- A level at a time (``_Levels``): when nothing is kept, each node field of a nested query
  waits on its own future, and graphql-core awaits them one by one, through a task per
  field and per list item; that cost several times what the fields did. So when a field
  had to wait, the eager fields selected under its answer (``selections.py``) are started
  for every object of the level at once, their loads batched into one store query per
  loader, and stepped together, each level joining as its parents' answers come in. Their
  answers are kept for the request, and graphql-core completes the whole answer without
  awaiting anything.

What could be combined wrongly is refused before a request is served: ``field`` takes
only an async resolver, and ``check_kept`` (run once the schema is built) refuses a kept
field on a type without an ``iri`` or with an argument that cannot be part of a key.

An eager resolver may wait only on futures (DataLoader loads). It must never enter an
anyio cancel scope (``RequestStore.within``): a scope has to be left in the task that
entered it, and the eager start runs in the caller's task. ``RequestStore.within``
checks ``starting()`` and refuses (the one rule checked while serving: what a resolver
awaits is known only then). The same holds for every step of a level, which all run in the
task of the field that waited.

Handing a started coroutine's future to the awaiting task relies on asyncio's
``_asyncio_future_blocking`` flag; ``tests/test_graphql_eager.py`` fails if asyncio stops
setting or reading it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import inspect
import threading
import types
from collections.abc import Awaitable, Callable, Coroutine, Generator, Hashable, Sequence
from dataclasses import dataclass
from functools import partial, wraps
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import strawberry
from graphql import FieldNode, GraphQLField, GraphQLList, GraphQLNonNull, GraphQLOutputType, GraphQLResolveInfo
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryList, StrawberryOptional
from strawberry.types.enum import StrawberryEnumDefinition
from strawberry.types.field import StrawberryField

from ietfkg.api.graphql.answers import UNKNOWN, Kept
from ietfkg.api.graphql.selections import Selected, Selections

if TYPE_CHECKING:
    from ietfkg.api.graphql.loaders import Loaders

P = ParamSpec("P")
T = TypeVar("T")
Resolver = Callable[..., Coroutine[Any, Any, Any]]

# Depth of the eager starts running now, per thread: each event loop runs in one thread, and two
# servers in one process (the tests) must not see each other's. Not a context variable: a task
# created during a start (a DataLoader's dispatch) would inherit it.
_starts = threading.local()

# The fields whose answers are kept, for ``check_kept``.
_KEPT: list[StrawberryField] = []
# Every eager field's resolver as strawberry calls it, to tell those fields from the others.
_FIELDS: set[Callable[..., Any]] = set()


def field(*, description: str, keep: bool = True, **options: Any) -> Callable[[Resolver], Any]:
    """``strawberry.field`` for an async resolver: started at once; its answer kept unless ``keep=False``."""

    def declare(resolver: Resolver) -> Any:
        if not inspect.iscoroutinefunction(resolver):
            raise TypeError(f"eager.field takes an async resolver; {resolver.__qualname__} is not one")
        run = _answering(resolver, keep)
        _FIELDS.add(run)
        made = strawberry.field(description=description, **options)(run)
        if keep:
            _KEPT.append(made)
        return made

    return declare


def _answering(resolver: Resolver, keep: bool) -> Callable[..., Any]:
    """``resolver`` started at once, its answer kept for the request and, if ``keep``, for later ones:
    per (field, node IRI, arguments) when kept, per (field, object, arguments) when not."""
    name = resolver.__qualname__

    @wraps(resolver)
    def run(self: Any, info: Any, **arguments: Any) -> Any:
        loaders: Loaders = info.context.loaders
        key = (name, self.iri if keep else id(self), _arguments_key(arguments))
        known = _known(loaders, key, self, keep)
        if known is not UNKNOWN:
            return known
        return _started(info, _answer_and_keep(resolver(self, info, **arguments), loaders, key, self, keep))

    return run


def _known(loaders: Loaders, key: tuple[Any, ...], owner: Any, keep: bool) -> Any:
    """The answer kept for ``key``, or ``UNKNOWN``. The request's answers are kept with their object
    (``_answer_and_keep``): an object's id names it only while it lives."""
    if keep:
        known = loaders.answers.get(Kept.FIELD, key)
        if known is not UNKNOWN:
            return known
    try:
        entry = loaders.fields.get(key)
    except TypeError:  # an argument that cannot be part of a key (an input object): never kept
        return UNKNOWN
    return entry[1] if entry is not None and (keep or entry[0] is owner) else UNKNOWN


def _arguments_key(arguments: dict[str, Any]) -> tuple[tuple[str, Hashable], ...]:
    """The arguments as part of a key: lists count as tuples (``check_kept`` allows no other unhashable)."""
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in arguments.items()))


async def _answer_and_keep(
    answer: Coroutine[Any, Any, T], loaders: Loaders, key: tuple[Any, ...], owner: Any, keep: bool
) -> T:
    value = await answer  # when the resolver raises, nothing below runs: errors are never kept
    with contextlib.suppress(TypeError):  # see _known
        loaders.fields[key] = (owner, value)
    if keep:
        loaders.answers.keep(Kept.FIELD, key, value)
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
    done, value = _first_step(coroutine)
    return value if done else _go_on(coroutine, value)  # type: ignore[no-any-return]


def _first_step(coroutine: Coroutine[Any, Any, T]) -> tuple[bool, Any]:
    """``(True, value)`` when ``coroutine`` finishes without waiting, else ``(False, what it waits on)``."""
    _starts.depth = getattr(_starts, "depth", 0) + 1
    try:
        waited = coroutine.send(None)
    except StopIteration as done:
        return True, done.value
    finally:
        _starts.depth -= 1
    if isinstance(waited, asyncio.Future):
        # As a Task would, right away: another resolver may await this future before
        # ours is handed to a Task, and asyncio refuses a future already marked blocking.
        waited._asyncio_future_blocking = False
    return False, waited


def _started(info: Any, coroutine: Coroutine[Any, Any, T]) -> Any:
    """``start`` for a field's resolver. When it waits, graphql-core gets an awaitable that, once the
    answer is in, runs the fields selected below it a level at a time (``_Levels``) before giving it;
    a level walk (``_Levels.walk``) gets the started resolver itself, to step it with its level."""
    done, value = _first_step(coroutine)
    if done:
        return value
    if getattr(_starts, "walking", 0):
        return _Started(coroutine, value)
    return _then_below(_go_on(coroutine, value), info._raw_info)


async def _then_below(answer: Awaitable[T], info: GraphQLResolveInfo) -> T:
    value = await answer
    levels = _Levels(Selections(info, _is_eager))
    levels.walk(info.return_type, info.field_nodes, value)
    await levels.run()
    return value


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
    """A plain function that starts ``resolver`` at once (as ``field`` does, keeping nothing)."""

    @wraps(resolver)
    def run(*args: P.args, **kwargs: P.kwargs) -> T | Awaitable[T]:
        return start(resolver(*args, **kwargs))

    return run


# -- a level at a time -----------------------------------------------------------------------------
@dataclass(slots=True)
class _Started:
    """A resolver that a level walk started and that waits: its coroutine and what it waits on."""

    coroutine: Coroutine[Any, Any, Any]
    waited: Any


def _is_eager(field_: GraphQLField) -> bool:
    definition = field_.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    resolver = getattr(definition, "base_resolver", None)
    return resolver is not None and resolver.wrapped_func in _FIELDS


class _Levels:
    """The eager fields selected under one answer, run for every object of a level side by side.

    graphql-core would reach them node by node, each waiting on its own DataLoader future, and
    gather them through a task per field and per list item. Here they are started together (their
    loads share one batch per loader, one store query) and stepped together in the task of the field
    that waited, one step when all the futures they wait on are done; the fields under an answer
    start as soon as it is in, so they join the loads of the level below. Every answer is kept for
    the request (``Loaders.fields``): graphql-core then completes the answer without waiting.
    A field that fails here is left alone: graphql-core resolves it again and reports the error
    where it belongs.
    """

    def __init__(self, selections: Selections) -> None:
        self.selections = selections
        self.started: list[tuple[_Started, Selected]] = []

    def walk(self, type_: GraphQLOutputType, nodes: Sequence[FieldNode], value: Any) -> None:
        """Resolve what ``nodes`` select under ``value``, a value of ``type_``, and walk into the answers."""
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        if value is None:
            return
        if isinstance(type_, GraphQLList):
            for item in value:
                self.walk(type_.of_type, nodes, item)
            return
        object_type = self.selections.object_type(type_, value)
        if object_type is not None:
            for selected in self.selections.of(object_type, nodes):
                self._resolve(selected, value)

    def _resolve(self, selected: Selected, source: Any) -> None:
        _starts.walking = getattr(_starts, "walking", 0) + 1
        try:
            result = selected.resolve(source)
        except Exception:  # noqa: BLE001 - see the class docstring
            return
        finally:
            _starts.walking -= 1
        if isinstance(result, _Started):
            self.started.append((result, selected))
        elif inspect.isawaitable(result):  # not an eager field's: graphql-core awaits it itself
            getattr(result, "close", lambda: None)()
        elif not selected.leaf:
            self.walk(selected.field.type, selected.nodes, result)

    async def run(self) -> None:
        """Step every started resolver until none waits."""
        try:
            while self.started:
                futures = {id(s.waited): s.waited for s, _ in self.started if isinstance(s.waited, asyncio.Future)}
                if pending := [f for f in futures.values() if not f.done()]:
                    await asyncio.wait(pending)
                elif len(futures) < len(self.started):
                    await asyncio.sleep(0)  # a bare yield: give the loop its turn, as a task would
                stepping, self.started = self.started, []
                for started, selected in stepping:
                    self._step(started, selected)
        finally:
            for started, _ in self.started:
                started.coroutine.close()

    def _step(self, started: _Started, selected: Selected) -> None:
        _starts.depth = getattr(_starts, "depth", 0) + 1
        try:
            waited = started.coroutine.send(None)
        except StopIteration as done:
            if not selected.leaf:
                self.walk(selected.field.type, selected.nodes, done.value)
            return
        except Exception:  # noqa: BLE001 - see the class docstring
            return
        finally:
            _starts.depth -= 1
        if isinstance(waited, asyncio.Future):
            waited._asyncio_future_blocking = False  # what a task does with a future it is given
        started.waited = waited
        self.started.append((started, selected))
