"""Eager resolvers (``api/graphql/eager.py``) and the answers kept across requests (``answers.py``)."""

from __future__ import annotations

import asyncio
import inspect

import pytest

from ietfkg.api.graphql.answers import UNKNOWN, AnswerCache
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
    cache.keep("describe", "a", 1)
    cache.keep("describe", "b", 2)
    assert cache.get("describe", "a") == 1  # a is now the most recent
    cache.keep("incoming", "a", 3)
    assert (cache.get("describe", "b"), cache.get("describe", "a"), cache.get("incoming", "a")) == (UNKNOWN, 1, 3)
    off = AnswerCache(0)
    off.keep("describe", "a", 1)
    assert off.get("describe", "a") is UNKNOWN and len(off) == 0


def test_request_views_keep_only_successful_answers() -> None:
    async def run() -> None:
        cache = AnswerCache(10)
        loop = asyncio.get_running_loop()
        first = cache.view("describe")
        good, bad, cancelled = loop.create_future(), loop.create_future(), loop.create_future()
        for key, future in (("good", good), ("bad", bad), ("cancelled", cancelled)):
            first.set(key, future)
        good.set_result("statements")
        bad.set_exception(TimeoutError("budget spent"))
        cancelled.cancel()
        await asyncio.sleep(0)  # done callbacks run
        assert [cache.get("describe", k) for k in ("good", "bad", "cancelled")] == ["statements", UNKNOWN, UNKNOWN]
        later = cache.view("describe")  # the next request
        kept = later.get("good")
        assert kept is not None and kept.done() and kept.result() == "statements"
        assert later.get("bad") is None and cache.view("details").get("good") is None

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
