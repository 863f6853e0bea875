"""pyoxigraph backends: on-disk (the default) and in-memory (copied from disk).

Queries see the merge of the named graphs as their default graph: each source
lives in its own named graph, and users expect to query them as one. A store
built with a default-graph record (``graph/dataset.py``) serves the merge with
each triple once; an older store serves the plain union.
Results are materialized inside the call, so callers running this in a worker
thread never iterate a lazy pyoxigraph iterator on the event loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from pyoxigraph import (
    NamedNode,
    Quad,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    serialize,
)

from ietfkg.graph import dataset
from ietfkg.graph.backends import Rows, SelectAndAsk, tsv_rows, variables
from ietfkg.graph.dataset import DefaultGraphRecord
from ietfkg.graph.exports import rdf_prefixes
from ietfkg.graph.syntax_errors import oxigraph_error
from ietfkg.schema.errors import BadQuery, StoreMissing
from ietfkg.schema.vocab import PREFIXES


class OxigraphBackend(SelectAndAsk):
    """A thin wrapper over ``pyoxigraph.Store``.

    >>> backend = OxigraphBackend.open(None)
    >>> backend.select("SELECT (1 AS ?one) {}").rows[0][0].value
    '1'
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.default: DefaultGraphRecord | None = None
        # The pyoxigraph query options that select the served dataset (benches reuse them).
        self.dataset_options: dict[str, Any] = {}
        self.read_dataset()

    def read_dataset(self) -> None:
        """Read the dataset's shape from the store's default-graph record.

        Once at open for a served store, which is read-only; a build calls it again each time
        it has written the record, so that its queries see the dataset they describe.
        """
        self.default = dataset.read(self.store)
        self.dataset_options = {"use_default_graph_as_union": True}
        self._default_only = self.dataset_options
        if self.default is not None:
            self.dataset_options = {
                "default_graph": list(self.default.parts),
                "named_graphs": [NamedNode(g) for g in self.named_graphs()],
            }
            self._default_only = {"default_graph": self.dataset_options["default_graph"]}

    @classmethod
    def open(cls, path: Path | None, read_only: bool = True) -> OxigraphBackend:
        if path is None:
            return cls(Store())
        if read_only and not path.is_dir():
            raise StoreMissing(f"no built store at {path}; run `ietfkg build` first")
        return cls(Store.read_only(str(path)) if read_only else Store(str(path)))

    def raw_query(self, query: str, **options: Any) -> Any:
        options.setdefault("prefixes", PREFIXES)
        if not _DATASET_OPTIONS & options.keys():  # the caller did not choose a dataset
            options.update(self.dataset_options if _may_name_graphs(query) else self._default_only)
        try:
            return self.store.query(query, **options)
        except SyntaxError as exc:
            raise oxigraph_error(query, str(exc)) from exc

    def select_strings(
        self, query: str, bindings: Mapping[str, Any] | None = None, limit: int | None = None
    ) -> Rows:
        """Rows of text cells (``Backend.select_strings``), serialized by pyoxigraph in one call.

        The whole result is serialized before ``limit`` applies: for bounded queries (loaders).

        >>> backend = OxigraphBackend.open(None)
        >>> backend.select_strings('SELECT ?a ?b ?c { BIND(<https://x.example/a> AS ?a) BIND("é"@fr AS ?b) }').rows
        [('<https://x.example/a>', '"é"@fr', None)]
        """
        result = self.raw_query(query, substitutions=variables(bindings))
        if not isinstance(result, QuerySolutions):
            raise BadQuery("expected a SELECT query")
        return tsv_rows(result.serialize(format=QueryResultsFormat.TSV).decode(), limit)

    def extend(self, quads: Iterable[Quad]) -> None:
        self.store.bulk_extend(quads)

    def extend_ntriples(self, ntriples: bytes, graph: NamedNode) -> None:
        """Write N-Triples into ``graph``: a build's batches, which it formats faster than it makes quads.
        Blank node labels are scoped to the call (the parser's), so the build writes no blank nodes."""
        self.store.bulk_load(ntriples, format=RdfFormat.N_TRIPLES, to_graph=graph)

    def quads(self) -> Iterator[Quad]:
        """Every quad of the store, the bookkeeping graphs' included."""
        return self.store.quads_for_pattern(None, None, None, None)

    def optimize(self) -> None:
        """Compact the on-disk store and write it out: the end of a build."""
        self.store.optimize()
        self.store.flush()

    def dump(self, rdf_format: RdfFormat, graph: Any | None = None) -> bytes:
        if graph is None and not rdf_format.supports_datasets:
            return self._union_dump(rdf_format)
        if graph is None and self.default is not None:  # the source graphs, without the bookkeeping ones
            quads = dataset.source_quads(self.default, self.store)
            return serialize(quads, format=rdf_format, prefixes=rdf_prefixes(rdf_format))
        return self.store.dump(format=rdf_format, from_graph=graph, prefixes=rdf_prefixes(rdf_format))

    def _union_dump(self, rdf_format: RdfFormat) -> bytes:
        # Triple formats cannot hold named graphs: serialize the union instead.
        triples = self.raw_query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        return serialize(triples, format=rdf_format, prefixes=rdf_prefixes(rdf_format))

    def default_graph(self) -> DefaultGraphRecord | None:
        """The store's default-graph record (None for a store built before it existed)."""
        return self.default

    def named_graphs(self) -> list[str]:
        graphs = (g.value for g in self.store.named_graphs())
        return self.default.sources(graphs) if self.default is not None else sorted(graphs)

    def close(self) -> None:
        self.store = Store()


_DATASET_OPTIONS = {"default_graph", "named_graphs", "use_default_graph_as_union"}


def _may_name_graphs(query: str) -> bool:
    """Whether the query may read the named graphs: only ``GRAPH`` does (FROM NAMED chooses its own
    dataset). Without it the list of named graphs is left out, which Oxigraph would otherwise take
    in on every query; a backslash may spell the keyword as ``\\u`` escapes, so it keeps the list.

    >>> _may_name_graphs("SELECT * { ?s ?p ?o }"), _may_name_graphs("SELECT ?g { GRAPH ?g { } }")
    (False, True)
    """
    return "\\" in query or "graph" in query.lower()


class InMemoryOxigraphBackend(OxigraphBackend):
    """Copies an on-disk store into memory at open: faster aggregates, more RAM."""

    @classmethod
    def open(cls, path: Path | None, read_only: bool = True) -> InMemoryOxigraphBackend:
        memory = Store()
        if path is not None:
            memory.bulk_extend(OxigraphBackend.open(path, read_only=True).quads())
        return cls(memory)
