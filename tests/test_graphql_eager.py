"""Eager resolvers (``api/graphql/eager.py``) and the answers kept across requests (``answers.py``)."""

from __future__ import annotations

import asyncio
import inspect
import types

import pytest
import strawberry
from strawberry.types import Info

from ietfkg.api.graphql import eager as eager_module

from ietfkg.api.graphql.answers import UNKNOWN, AnswerCache, Kept
from ietfkg.api.graphql.eager import eager, start, starting
from ietfkg.api.graphql.loaders import RequestStore
from ietfkg.api.store import AsyncStore
from ietfkg.graph.oxigraph_backend import OxigraphBackend


async def _twice(value: int) -> int:
    return 2 * value


async def _after(future: asyncio.Future[int], seen: list[str]) -> int:
    seen.append("started")
    try:
        return await future + 1
    finally:
        seen.append("finished")


def test_a_resolver_that_never_waits_answers_at_once() -> None:
    @eager
    async def resolver(value: int) -> int:
        return await _twice(value)  # awaiting a coroutine that does not wait is no wait

    assert not inspect.iscoroutinefunction(resolver)
    assert inspect.signature(resolver).parameters.keys() == {"value"}  # what strawberry reads
    assert resolver(21) == 42


def test_a_resolver_that_waits_goes_on_when_awaited() -> None:
    async def run() -> None:
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        seen: list[str] = []
        pending = start(_after(future, seen))
        assert inspect.isawaitable(pending) and seen == ["started"]  # ran up to its wait, not further
        asyncio.get_running_loop().call_later(0.01, future.set_result, 41)
        assert await pending == 42
        assert seen == ["started", "finished"]

    asyncio.run(run())


def test_resolvers_waiting_on_one_future_all_go_on() -> None:
    # asyncio refuses a future another coroutine left marked as blocking: start() unmarks it.
    async def run() -> None:
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        pending = [start(_after(future, [])) for _ in range(3)]
        tasks = [asyncio.ensure_future(p) for p in pending]  # type: ignore[arg-type]
        await asyncio.sleep(0)
        future.set_result(1)
        assert await asyncio.gather(*tasks) == [2, 2, 2]

    asyncio.run(run())


def test_errors_come_out_where_they_happen() -> None:
    async def fails_at_once() -> None:
        raise ValueError("at once")

    with pytest.raises(ValueError, match="at once"):
        start(fails_at_once())

    async def run() -> None:
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        pending = start(_after(future, []))
        future.set_exception(KeyError("later"))
        with pytest.raises(KeyError, match="later"):
            await pending  # type: ignore[misc]

    asyncio.run(run())


def test_cancelling_the_awaiting_task_reaches_the_resolver() -> None:
    async def run() -> None:
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        seen: list[str] = []
        task = asyncio.ensure_future(start(_after(future, seen)))  # type: ignore[arg-type]
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert seen == ["started", "finished"] and future.cancelled()

    asyncio.run(run())


def test_store_work_is_refused_during_an_eager_start() -> None:
    async def run() -> None:
        store = RequestStore(AsyncStore(OxigraphBackend.open(None), 10, 1, 10), budget_s=10)
        flags: list[bool] = []

        async def resolver() -> object:
            flags.append(starting())
            return await store.select("SELECT (1 AS ?one) {}")

        with pytest.raises(RuntimeError, match="eager resolver"):
            start(resolver())
        assert flags == [True] and not starting()
        assert (await resolver()).rows  # the same work outside an eager start runs
        assert store.queries == 2

    asyncio.run(run())


def test_answer_cache_keeps_the_most_recently_used() -> None:
    cache = AnswerCache(2)
    cache.keep(Kept.DESCRIBE, "a", 1)
    cache.keep(Kept.DESCRIBE, "b", 2)
    assert cache.get(Kept.DESCRIBE, "a") == 1  # a is now the most recent
    cache.keep(Kept.INCOMING, "a", 3)
    assert (cache.get(Kept.DESCRIBE, "b"), cache.get(Kept.DESCRIBE, "a"), cache.get(Kept.INCOMING, "a")) == (UNKNOWN, 1, 3)
    off = AnswerCache(0)
    off.keep(Kept.DESCRIBE, "a", 1)
    assert off.get(Kept.DESCRIBE, "a") is UNKNOWN and len(off) == 0


def test_request_views_keep_only_successful_answers() -> None:
    async def run() -> None:
        cache = AnswerCache(10)
        loop = asyncio.get_running_loop()
        first = cache.view(Kept.DESCRIBE)
        good, bad, cancelled = loop.create_future(), loop.create_future(), loop.create_future()
        for key, future in (("good", good), ("bad", bad), ("cancelled", cancelled)):
            first.set(key, future)
        good.set_result("statements")
        bad.set_exception(TimeoutError("budget spent"))
        cancelled.cancel()
        await asyncio.sleep(0)  # done callbacks run
        assert [cache.get(Kept.DESCRIBE, k) for k in ("good", "bad", "cancelled")] == ["statements", UNKNOWN, UNKNOWN]
        later = cache.view(Kept.DESCRIBE)  # the next request
        kept = later.get("good")
        assert kept is not None and kept.done() and kept.result() == "statements"
        assert later.get("bad") is None and cache.view(Kept.DETAILS).get("good") is None

    asyncio.run(run())


def test_an_eager_start_is_seen_only_in_its_own_thread() -> None:
    import threading

    seen_elsewhere: list[bool] = []
    other = threading.Event()

    async def resolver() -> None:
        thread = threading.Thread(target=lambda: (seen_elsewhere.append(starting()), other.set()))
        thread.start()
        thread.join()

    start(resolver())
    assert other.is_set() and seen_elsewhere == [False]


# -- the asyncio internals eager.start relies on ------------------------------------------------
async def _awaiting(step):
    return await step


@types.coroutine
def _hand_over(future: asyncio.Future[int], marked: bool):
    """What ``eager._go_on`` does: yield a future to the task, marked (or not) as blocking; the task
    sends nothing back when the future is done (``Future.__await__`` then reads its result)."""
    future._asyncio_future_blocking = marked
    sent = yield future
    return sent, future.result()


@pytest.mark.parametrize(
    "future_class, task_class",
    [(asyncio.Future, asyncio.Task), (asyncio.futures._PyFuture, asyncio.tasks._PyTask)],  # type: ignore[attr-defined]
    ids=["C", "Python"],
)
def test_asyncio_still_hands_futures_to_tasks_through_the_blocking_flag(future_class, task_class) -> None:
    """``eager.start`` hands a waiting coroutine's future to the task that awaits it by hand, through
    asyncio's private ``_asyncio_future_blocking``: a future sets it when awaited, a task reads it,
    clears it and waits, and refuses a future yielded without it. If asyncio changes any of that,
    this fails, and ``api/graphql/eager.py`` has to change with it."""

    async def run() -> None:
        loop = asyncio.get_running_loop()
        future = future_class(loop=loop)
        assert future._asyncio_future_blocking is False
        awaiting = future.__await__()
        assert next(awaiting) is future and future._asyncio_future_blocking is True  # what `await` does
        awaiting.close()

        task = task_class(_awaiting(_hand_over(future, True)), loop=loop)
        await asyncio.sleep(0)
        assert future._asyncio_future_blocking is False and not task.done()  # taken, and waited on
        future.set_result(7)
        assert await task == (None, 7)

        unmarked = task_class(_awaiting(_hand_over(future_class(loop=loop), False)), loop=loop)
        with pytest.raises(RuntimeError, match="yield was used instead of yield from"):
            await unmarked

    asyncio.run(run())


# -- eager.field: what cannot be combined is refused before serving --------------------------------
@strawberry.input
class _Filter:
    text: str


def test_eager_field_takes_only_async_resolvers() -> None:
    def plain(self: object) -> int:
        return 1

    with pytest.raises(TypeError, match="async resolver"):
        eager_module.field(description="A plain function.")(plain)


def test_the_served_schema_keeps_only_what_can_be_kept() -> None:
    import ietfkg.api.graphql.schema  # noqa: F401 - building it runs the check

    assert eager_module._KEPT  # the relationship fields of nodes, and provenance
    eager_module.check_kept()


def test_a_kept_field_of_a_type_without_an_iri_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(eager_module, "_KEPT", [])  # only the fields declared here

    @strawberry.type
    class Link:
        target_iri: strawberry.Private[str]

        @eager_module.field(description="The target.")
        async def target(self, info: Info) -> int:
            return 1

    with pytest.raises(TypeError, match="has no iri; declare it with keep=False"):
        eager_module.check_kept()


def test_a_kept_field_with_an_argument_that_is_no_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(eager_module, "_KEPT", [])

    @strawberry.type
    class Thing:
        iri: strawberry.Private[str]

        @eager_module.field(description="Fine: scalars, enums and lists of them make keys.")
        async def counted(self, info: Info, first: int | None = None, kinds: list[str] | None = None) -> int:
            return 1

        @eager_module.field(description="Filtered.", keep=False)
        async def filtered_now(self, info: Info, filter: _Filter | None = None) -> int:
            return 1

    eager_module.check_kept()  # an input object is no key, but filtered_now is not kept

    @strawberry.type
    class Other:
        iri: strawberry.Private[str]

        @eager_module.field(description="Filtered, kept.")
        async def filtered(self, info: Info, filter: _Filter | None = None) -> int:
            return 1

    with pytest.raises(TypeError, match="argument filter cannot be part of a key"):
        eager_module.check_kept()
