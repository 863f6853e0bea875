"""Publishing a built dataset to a remote SPARQL server as a new generation of graphs.

A slow or flaky server must never cost data, so every request of a publish is
idempotent and may be sent again after a timeout without changing the outcome:

1. ``PUT`` each graph of the new generation (``<graph>/<generation>``) with the
   Graph Store Protocol: a PUT replaces the graph, so a second copy of the same
   request leaves the same graph, whenever it arrives;
2. count the triples of each new graph on the server: a graph that does not hold
   what was sent is sent again, then the publish fails;
3. ``PUT`` the record graph (``graph/default-graph``) that names the new
   generation's graphs: the only step readers notice, and a tiny one;
4. ``DROP SILENT`` each graph published before that neither the new generation
   nor the previous one uses (leftovers of earlier or killed publishes included).

A journal graph (``graph/publish-journal``) lists every graph a publish has put
and not yet dropped; it is rewritten (PUT) *before* each upload, so a killed
publish's graphs are known to the next one, and no step needs to list a server's
graphs (slow on a large Virtuoso). Readers find the graphs through the record
(``graph/dataset.py``), so until step 3 they read the previous generation
unchanged. The previous generation is kept, as the embedded store keeps the
previous build: a server started on it still reads it. Only graphs the journal
names, or the previous record names, are ever dropped. One build publishes to a
server at a time (as ``flock`` keeps local builds apart).
"""

from __future__ import annotations

import secrets
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from pyoxigraph import NamedNode, Quad, Triple

from ietfkg.graph import dataset
from ietfkg.graph.dataset import DefaultGraphRecord
from ietfkg.graph.progress import QuietReporter, Reporter
from ietfkg.schema.errors import StoreError
from ietfkg.schema.vocab import IETF

UPLOAD_TRIES = 2  # a graph found short after its upload is sent once more
JOURNAL = "publish-journal"  # graph/publish-journal, under the base
PUBLISHED = IETF.publishedGraph  # journal -> each graph put by a publish and not dropped since


class GraphStore(Protocol):
    """What a publish needs from a remote server; every call must be safe to repeat."""

    def put_graph(self, graph: str, triples: list[Triple]) -> None: ...

    def graph_sizes(self, graphs: Iterable[str]) -> dict[str, int]: ...

    def drop_graph(self, graph: str) -> None: ...

    def objects(self, graph: str, predicate: NamedNode) -> set[str]: ...

    def read_record(self) -> DefaultGraphRecord | None: ...


@dataclass(frozen=True, slots=True)
class Plan:
    """A dataset renamed into one generation: its graphs' triples and the record that names them."""

    generation: str
    graphs: dict[str, list[Triple]]  # physical graph IRI -> its triples
    record: DefaultGraphRecord
    record_graph: NamedNode


def new_generation() -> str:
    """A sortable, unique generation id: UTC time and a random suffix."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(3)


def generation_graph(graph: str, generation: str) -> str:
    """
    >>> generation_graph("https://ietf-kg.example/graph/curated", "20261201T120000Z-ab12cd")
    'https://ietf-kg.example/graph/curated/20261201T120000Z-ab12cd'
    """
    return f"{graph}/{generation}"


def plan(
    quads: Iterable[Quad], local: DefaultGraphRecord | None, generation: str, record_graph: NamedNode
) -> Plan:
    """Rename every graph of ``quads`` into ``generation``, and the graph IRIs the data mentions with it.

    The meta graph describes each source graph by its IRI (``?g ietf:sourceName
    "rfc-editor"``): renaming those mentions too keeps ``GRAPH ?g { … } ?g
    ietf:sourceName ?s`` true of the published graphs. ``local`` is the built
    store's record; its graph is not published, the plan's record replaces it.
    """
    quads = [q for q in quads if isinstance(q.graph_name, NamedNode) and q.graph_name != record_graph]
    renamed = {g: NamedNode(generation_graph(g.value, generation)) for g in {q.graph_name for q in quads}}
    graphs: dict[str, list[Triple]] = defaultdict(list)
    for quad in quads:
        s, p, o = quad.subject, quad.predicate, quad.object
        graphs[renamed[quad.graph_name].value].append(Triple(renamed.get(s, s), p, renamed.get(o, o)))
    return Plan(generation, dict(graphs), _record(local, renamed, generation, record_graph), record_graph)


def _record(
    local: DefaultGraphRecord | None, renamed: Mapping[NamedNode, NamedNode], generation: str, record_graph: NamedNode
) -> DefaultGraphRecord:
    hidden = local.hidden - {record_graph.value} if local is not None else frozenset()
    merge = {renamed[NamedNode(g)].value for g in hidden if NamedNode(g) in renamed}
    parts = [renamed[p].value for p in local.parts] if local is not None else []
    sources = [new.value for old, new in renamed.items() if old.value not in hidden]
    if not parts:  # no local record: the default graph is the union of the sources
        parts = sources
    return DefaultGraphRecord.from_record(record_graph.value, parts, next(iter(merge), None), sources, generation)


def publish(store: GraphStore, plan: Plan, journal: str, reporter: Reporter | None = None) -> list[str]:
    """Publish ``plan`` (steps 1–4 above); returns the graphs dropped. Raises ``StoreError`` before the
    switch if the server does not hold what was sent, leaving readers on the previous generation."""
    reporter = reporter or QuietReporter()
    previous = store.read_record()
    kept = _previous_graphs(previous, plan)
    published = store.objects(journal, PUBLISHED) | kept - {plan.record_graph.value}
    _write_journal(store, journal, published | set(plan.graphs))
    _upload(store, plan, reporter)
    reporter.begin("publish: switch to the new generation")
    store.put_graph(plan.record_graph.value, plan.record.triples(plan.record_graph))
    switched = store.read_record()
    if switched is None or switched.generation != plan.generation:
        raise StoreError(
            f"the server's record names generation {switched.generation if switched else None!r} "
            f"after the switch to {plan.generation!r}: another build published at the same time?"
        )
    reporter.end("publish: switch to the new generation", plan.generation)
    keep = plan.record.graphs() | kept
    dropped = _drop(store, sorted(published - keep - set(plan.graphs)), reporter)
    _write_journal(store, journal, (published | set(plan.graphs)) - set(dropped))
    return dropped


def _write_journal(store: GraphStore, journal: str, graphs: set[str]) -> None:
    node = NamedNode(journal)
    store.put_graph(journal, [Triple(node, PUBLISHED, NamedNode(g)) for g in sorted(graphs)])


def _upload(store: GraphStore, plan: Plan, reporter: Reporter) -> None:
    task = "publish: upload graphs"
    reporter.begin(task, len(plan.graphs))
    pending = dict(plan.graphs)
    for _ in range(UPLOAD_TRIES):
        for graph, triples in pending.items():
            store.put_graph(graph, triples)
            reporter.advance(task)
        sizes = store.graph_sizes(pending)
        pending = {g: t for g, t in pending.items() if sizes.get(g, 0) != len(t)}
        if not pending:
            reporter.end(task, f"{len(plan.graphs)} graphs")
            return
    short = ", ".join(f"{g} ({store.graph_sizes([g]).get(g, 0)} of {len(t)})" for g, t in pending.items())
    raise StoreError(f"the server does not hold the triples sent to {short}; the previous generation still serves")


def _previous_graphs(previous: DefaultGraphRecord | None, plan: Plan) -> set[str]:
    """The previous generation's graphs: those its record names; before records listed their
    sources, the graphs the build names (``graph/<name>``, no generation) and the record's parts."""
    if previous is None:
        return set()
    if previous.listed is not None:
        return previous.graphs() - {plan.record_graph.value}
    built = {plan.record.built_name(g) for g in plan.graphs}
    return (built | previous.graphs()) - {plan.record_graph.value}


def _drop(store: GraphStore, unused: list[str], reporter: Reporter) -> list[str]:
    """Drop what no generation in use needs. The new generation already serves: a graph that cannot be
    dropped now stays in the journal for the next publish to drop, and the publish still succeeds."""
    task = "publish: drop unused graphs"
    reporter.begin(task, len(unused))
    dropped, left = [], []
    for graph in unused:
        try:
            store.drop_graph(graph)
            dropped.append(graph)
        except StoreError:
            left.append(graph)
        reporter.advance(task)
    note = f"{len(dropped)} dropped" + (f"; {len(left)} left for the next build to drop" if left else "")
    reporter.end(task, note)
    return dropped
