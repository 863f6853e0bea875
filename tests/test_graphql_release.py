"""A GraphQL request lets go of what it loaded once it is answered (``Loaders.release``).

graphql-core's execution context sits in a reference cycle and holds the request's context;
what the request loaded and made (statements, node objects, futures) must not hang off it
until the cyclic collector runs, or every collection walks all of it first. The app is driven
in process (``httpx.ASGITransport`` returns once the app has returned), with the collector
saving what it finds instead of freeing it.
"""

from __future__ import annotations

import asyncio
import gc
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ietfkg.api.app import create_app
from ietfkg.api.graphql.explorer import SECURITY_AREA
from ietfkg.api.graphql.loaders import Props
from ietfkg.api.graphql.types_common import Node
from ietfkg.api.settings import Settings


@pytest.fixture
def saved_garbage() -> Iterator[list[object]]:
    """``gc.garbage`` while the collector keeps what it would free (``DEBUG_SAVEALL``)."""
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        yield gc.garbage
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


def _cold_security_area(store_root: Path, saved: list[object]) -> tuple[dict, Counter[str]]:
    """Two cold Security Area answers in process; what the collector found after the second."""

    async def run() -> tuple[dict, Counter[str]]:
        app = create_app(Settings.from_env(store=str(store_root), answer_cache=0, sparql_workers=1))
        async with app.router.lifespan_context(app):
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
                await client.post("/graphql", json={"query": SECURITY_AREA})  # parse and validation caches
                gc.collect()
                saved.clear()
                answer = (await client.post("/graphql", json={"query": SECURITY_AREA})).json()
                gc.collect()
                found = Counter(
                    "Props" if isinstance(o, Props) else "node" if isinstance(o, Node) else "future"
                    for o in saved if isinstance(o, (Props, Node, asyncio.Future))
                )
                return answer, found

    return asyncio.run(run())


def test_a_cold_request_leaves_its_statements_and_nodes_to_reference_counting(
    store_root: Path, saved_garbage: list[object]
) -> None:
    answer, found = _cold_security_area(store_root, saved_garbage)
    assert "errors" not in answer and answer["extensions"]["storeQueries"] > 0
    assert len(answer["data"]["area"]["workingGroups"]["nodes"]) > 10  # hundreds of nodes were made
    assert found == Counter(), found
