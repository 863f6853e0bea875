"""Per-request store access for GraphQL: a counting, time-budgeted store and its DataLoaders.

Everything here is created fresh in ``get_context`` for each request (STYLE 3.5): its
batches, futures and time budget never outlive it. Resolvers only call the loaders:

- ``describe``: the outgoing statements of a batch of entities (``gql_describe.rq``; on an
  embedded store its quicker twin for Oxigraph, ``gql_describe_oxigraph.rq``),
- ``details``: the statements few requests read (a document's abstract, keywords, authors,
  stream...; a role's observation dates) for a batch of entities (``gql_details.rq``),
- ``incoming``: the relationship links pointing at a batch of entities (``gql_incoming.rq``),
- ``provenance``: the source graphs and evidence URLs of a batch of entities,
- ``sources``: the description of each source graph (``sources.rq``), once.

What the loaders answered is the exception: it is kept for later requests in the app's
``answers.AnswerCache`` (the served store never changes), which each loader reads through
its ``cache_map`` and the ``Context`` methods read directly.

Each batch is one SPARQL query whose ``VALUES`` block is built from terms that
pyoxigraph serializes itself (``str(NamedNode(iri))``), so the number of store
queries of a nested request grows with its depth, not with its results.
The bulk loaders (describe, details, incoming) read their rows as text cells
(``select_strings``: the store serializes the result in one call) and ``Props``
turns a cell into a value only when a field reads it: a request reads few of the
statements it loads, and building a Python term per cell would cost more than the reads.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

import anyio
from pyoxigraph import NamedNode
from strawberry.dataloader import DataLoader

from ietfkg.api.derived import Derived
from ietfkg.api.graphql import eager
from ietfkg.api.graphql.answers import UNKNOWN, AnswerCache, Kept
from ietfkg.api.store import AsyncStore
from ietfkg.graph.adjacency import Adjacency
from ietfkg.graph.backends import Backend, Rows, cell_language, cell_value
from ietfkg.graph.oxigraph_backend import OxigraphBackend
from ietfkg.graph.queries import load
from ietfkg.graph.terms import fill_values
from ietfkg.schema.errors import NotFound, QueryTimeout
from ietfkg.schema.vocab import Iris

T = TypeVar("T")
# Loader queries are bounded by their keys, not by the API's row cap for /sparql.
LOADER_ROW_CAP = 500_000


def term(iri: str) -> NamedNode:
    """A ``NamedNode`` for a client-supplied IRI; an invalid IRI is simply not found."""
    try:
        return NamedNode(iri)
    except ValueError as exc:
        raise NotFound(f"no entity with id {iri!r}") from exc


class Props:
    """The statements of one entity: predicate -> values, in a stable order.

    Keys and values are text cells as ``select_strings`` gives them (``<iri>``, ``"text"@en``):
    a predicate's values are decoded and ordered (languageless first, then by value) the first
    time they are read, since most statements of a described entity are never read by a request.

    >>> props = Props({"<http://x/p>": ['"b"', '"a"@en', "<http://x/o>"]})
    >>> props.strs(NamedNode("http://x/p")), props.has(NamedNode("http://x/p"), NamedNode("http://x/o"))
    (['b', 'http://x/o', 'a'], True)
    """

    __slots__ = ("_cells", "_read")

    def __init__(self, cells: dict[str, list[str]] | None = None) -> None:
        self._cells = cells or {}
        self._read: dict[str, list[str]] = {}

    def __bool__(self) -> bool:
        return bool(self._cells)

    def strs(self, predicate: NamedNode) -> list[str]:
        """The distinct values of ``predicate``, languageless first, then by value."""
        key = str(predicate)
        values = self._read.get(key)
        if values is None:
            cells = self._cells.get(key, ())
            if len(cells) == 1:
                values = [cell_value(cells[0])]
            else:
                ordered = sorted((cell_language(c) is not None, cell_value(c)) for c in cells)
                values = list(dict.fromkeys(value for _, value in ordered))
            self._read[key] = values
        return values

    def str(self, predicate: NamedNode) -> str | None:
        values = self.strs(predicate)
        return values[0] if values else None

    def int(self, predicate: NamedNode) -> int | None:
        value = self.str(predicate)
        return int(value) if value is not None else None

    def has(self, predicate: NamedNode, value: NamedNode) -> bool:
        return str(value) in self._cells.get(str(predicate), ())  # no decoding needed to look for one IRI


class RequestStore:
    """The store as one request sees it: counts queries and enforces the request's time budget."""

    def __init__(self, store: AsyncStore, budget_s: float) -> None:
        self.store = store
        self.budget_s = budget_s
        self.deadline = time.monotonic() + budget_s
        self.queries = 0

    async def select(self, query: str, bindings: Mapping[str, Any] | None = None, limit: int | None = None) -> Rows:
        self.queries += 1
        return await self.within(partial(self.store.select, query, bindings, limit or LOADER_ROW_CAP))

    async def select_strings(self, query: str, limit: int | None = None) -> Rows:
        """Rows of text cells (``Backend.select_strings``), for the bulk loaders."""
        self.queries += 1
        return await self.within(partial(self.store.select_strings, query, None, limit or LOADER_ROW_CAP))

    async def within(self, call: Callable[[], Awaitable[T]]) -> T:
        """Await ``call()`` within what is left of the request's time budget."""
        if eager.starting():
            raise RuntimeError("store work from an eager resolver: only loaders may be awaited there")
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise QueryTimeout(f"request exceeded its time budget of {self.budget_s:g} s")
        try:
            with anyio.fail_after(remaining):
                return await call()
        except TimeoutError as exc:
            raise QueryTimeout(f"request exceeded its time budget of {self.budget_s:g} s") from exc


async def _statements(store: RequestStore, query: str, keys: list[str]) -> list[Props]:
    rows = (await store.select_strings(fill_values(load(query), "s", map(term, keys)))).rows
    found: dict[str, dict[str, list[str]]] = {}
    for s, p, o in rows:
        by_predicate = found.get(s)
        if by_predicate is None:
            by_predicate = found[s] = {}
        values = by_predicate.get(p)
        if values is None:
            by_predicate[p] = [o]
        else:
            values.append(o)
    return [Props(found.get(str(term(k)))) for k in keys]


async def _incoming(store: RequestStore, keys: list[str]) -> list[dict[str, list[str]]]:
    rows = (await store.select_strings(fill_values(load("gql_incoming"), "o", map(term, keys)))).rows
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for o, p, s in rows:
        found[o][p].append(s)
    return [{cell_value(p): sorted(map(cell_value, v)) for p, v in found.get(str(term(k)), {}).items()} for k in keys]


async def _provenance(store: RequestStore, keys: list[str]) -> list[dict[str, list[str]]]:
    """Per entity: source graph IRI -> evidence URLs."""
    rows = (await store.select(fill_values(load("gql_provenance"), "s", map(term, keys)))).rows
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for s, graph, evidence in rows:
        bucket = found[s.value][graph.value]
        if evidence is not None:
            bucket.add(evidence.value)
    return [{g: sorted(e) for g, e in sorted(found.get(k, {}).items())} for k in keys]


@dataclass(frozen=True, slots=True)
class SourceInfo:
    graph: str
    name: str
    title: str
    origin: str | None
    snapshot: str


async def _sources(store: RequestStore, keys: list[str]) -> list[dict[str, SourceInfo]]:
    rows = (await store.select(load("sources"))).rows
    table = {
        r[0].value: SourceInfo(r[0].value, r[1].value, r[2].value, r[3].value if r[3] else None, r[4].value)
        for r in rows
    }
    return [table for _ in keys]


def describe_query(backend: Backend) -> str:
    """The describe loader's query: the form Oxigraph runs quickest where the store is embedded,
    the standard one for a remote server (Virtuoso cannot run the other)."""
    return "gql_describe_oxigraph" if isinstance(backend, OxigraphBackend) else "gql_describe"


@dataclass
class Loaders:
    describe: DataLoader[str, Props]
    details: DataLoader[str, Props]
    incoming: DataLoader[str, dict[str, list[str]]]
    provenance: DataLoader[str, dict[str, list[str]]]
    sources: DataLoader[str, dict[str, SourceInfo]]
    answers: AnswerCache  # what they loaded in earlier requests (see the module docstring)
    fields: dict[tuple[Any, ...], tuple[Any, Any]] = field(default_factory=dict)  # eager answers, this request's

    @classmethod
    def create(cls, store: RequestStore, answers: AnswerCache) -> Loaders:
        return cls(
            answers=answers,
            describe=DataLoader(partial(_statements, store, describe_query(store.store.backend)), cache_map=answers.view(Kept.DESCRIBE)),
            details=DataLoader(partial(_statements, store, "gql_details"), cache_map=answers.view(Kept.DETAILS)),
            incoming=DataLoader(partial(_incoming, store), cache_map=answers.view(Kept.INCOMING)),
            provenance=DataLoader(partial(_provenance, store), cache_map=answers.view(Kept.PROVENANCE)),
            sources=DataLoader(partial(_sources, store), cache_map=answers.view(Kept.SOURCES)),
        )

    def release(self) -> None:
        """Let go of what this request loaded and made, once it is answered.

        graphql-core's execution context sits in a reference cycle (it and its resolve-info
        helpers hold each other), and it holds the request's context: without this, every
        statement, node and future of the request would wait for the cyclic collector, which
        would walk them all first. Answers kept for later requests stay in ``answers``.
        """
        self.fields.clear()
        for loader in (self.describe, self.details, self.incoming, self.provenance, self.sources):
            loader.cache_map.clear()
            loader.batch = None  # its last batch: the keys' futures, done


@dataclass
class Context:
    """What every resolver gets as ``info.context``."""

    request: Any
    response: Any
    store: RequestStore
    loaders: Loaders
    iris: Iris
    derived: Derived

    async def adjacency(self) -> Adjacency:
        """The adjacency index of the served store (built once per app, in a worker thread)."""
        return await self.store.within(partial(self.derived.get, "adjacency", Adjacency.from_backend))

    # Answers kept from earlier requests are read directly: no future, no wait (see eager.py).
    async def props(self, iri: str) -> Props:
        known = self.loaders.answers.get(Kept.DESCRIBE, iri)
        return known if known is not UNKNOWN else await self.loaders.describe.load(iri)

    async def details(self, iri: str) -> Props:
        """The statements ``gql_describe.rq`` leaves out (read through ``gql_details.rq``)."""
        known = self.loaders.answers.get(Kept.DETAILS, iri)
        return known if known is not UNKNOWN else await self.loaders.details.load(iri)

    async def props_many(self, iris: Sequence[str]) -> list[Props]:
        known = [self.loaders.answers.get(Kept.DESCRIBE, iri) for iri in iris]
        if all(k is not UNKNOWN for k in known):
            return known
        # One await per future rather than load_many's gather (a future and a callback more per key):
        # they are in one batch (unless some were asked for before), so the first wait is the only one.
        futures = [self.loaders.describe.load(iri) for iri in iris]
        return [await future for future in futures]

    async def incoming(self, iri: str, predicate: NamedNode) -> list[str]:
        known = self.loaders.answers.get(Kept.INCOMING, iri)
        links = known if known is not UNKNOWN else await self.loaders.incoming.load(iri)
        return links.get(predicate.value, [])
