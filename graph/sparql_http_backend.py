"""A backend on a remote SPARQL 1.1 server (Protocol + Graph Store Protocol).

Selected with ``--store sparql+http://host:port/path``: queries go to
``<path>/query``, updates to ``<path>/update`` and Graph Store uploads to
``<path>/store`` (Oxigraph's layout); each can be overridden with
``IETFKG_REMOTE_QUERY_URL``, ``IETFKG_REMOTE_UPDATE_URL`` and
``IETFKG_REMOTE_STORE_URL``. Credentials come from the environment only:
``IETFKG_REMOTE_TOKEN`` (bearer) or ``IETFKG_REMOTE_USER``/``IETFKG_REMOTE_PASSWORD``.

Queries see the merge of the named graphs, as with the embedded store, by
listing its parts as ``default-graph-uri`` (standard SPARQL Protocol, so any
compliant server does it): the parts named by the store's default-graph record
(``graph/dataset.py``), else every named graph. Bound values are passed as a ``VALUES``
block built from terms the library serializes, never by splicing.
Transient failures (connection errors, 5xx, 429) are retried with exponential
backoff; when the server stays down, ``StoreUnavailable`` says so clearly.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    Quad,
    QueryResultsFormat,
    RdfFormat,
    parse,
    parse_query_results,
    serialize,
)

from ietfkg.graph import dataset
from ietfkg.graph.backends import Rows, SelectAndAsk, tsv_rows
from ietfkg.graph.dataset import DefaultGraphRecord
from ietfkg.graph.exports import rdf_prefixes
from ietfkg.graph.terms import bind_values
from ietfkg.schema.errors import BadQuery, StoreError, StoreUnavailable
from ietfkg.schema.vocab import PREFIXES

SCHEME = "sparql+"
RESULTS_JSON = "application/sparql-results+json"
RESULTS_TSV = "text/tab-separated-values"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"


@dataclass(frozen=True, slots=True)
class Endpoints:
    query: str
    update: str
    store: str

    @classmethod
    def from_url(cls, url: str) -> Endpoints:
        """Endpoints from a ``sparql+http(s)://`` URL, overridable by environment.

        >>> Endpoints.from_url("sparql+http://127.0.0.1:7878").query
        'http://127.0.0.1:7878/query'
        """
        parts = urlsplit(url.removeprefix(SCHEME))
        root = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
        env = os.environ.get
        return cls(
            query=env("IETFKG_REMOTE_QUERY_URL", root + "/query"),
            update=env("IETFKG_REMOTE_UPDATE_URL", root + "/update"),
            store=env("IETFKG_REMOTE_STORE_URL", root + "/store"),
        )


def _auth() -> tuple[httpx.Auth | None, dict[str, str]]:
    token = os.environ.get("IETFKG_REMOTE_TOKEN")
    if token:
        return None, {"Authorization": f"Bearer {token}"}
    user = os.environ.get("IETFKG_REMOTE_USER")
    if user:
        return httpx.BasicAuth(user, os.environ.get("IETFKG_REMOTE_PASSWORD", "")), {}
    return None, {}


def _prologue() -> str:
    # One line, no newline: the server's error line numbers stay those of the user's query.
    return "".join(f"PREFIX {name}: {NamedNode(iri)} " for name, iri in PREFIXES.items())


class SparqlHttpBackend(SelectAndAsk):
    """The ``Backend`` protocol over HTTP; one shared connection pool."""

    def __init__(
        self, endpoints: Endpoints, timeout_s: float = 30.0, retries: int = 4, backoff_s: float = 0.25
    ) -> None:
        auth, headers = _auth()
        self.endpoints = endpoints
        self.retries = retries
        self.backoff_s = backoff_s
        self.client = httpx.Client(timeout=timeout_s, auth=auth, headers={"User-Agent": "ietf-kg", **headers})
        self._graphs: list[str] | None = None  # every named graph on the server
        self._default: tuple[DefaultGraphRecord | None] | None = None  # read once; (None,): no record

    @classmethod
    def open(cls, url: str, read_only: bool = True) -> SparqlHttpBackend:
        """From a ``sparql+http://`` URL; ``IETFKG_REMOTE_{TIMEOUT_S,RETRIES,BACKOFF_S}`` tune the transport."""
        env = os.environ.get
        return cls(
            Endpoints.from_url(url),
            timeout_s=float(env("IETFKG_REMOTE_TIMEOUT_S", "30")),
            retries=int(env("IETFKG_REMOTE_RETRIES", "4")),
            backoff_s=float(env("IETFKG_REMOTE_BACKOFF_S", "0.25")),
        )

    # -- transport ---------------------------------------------------------------
    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        delay = self.backoff_s
        for attempt in range(self.retries + 1):
            try:
                response = self.client.request(method, url, **kwargs)
            except httpx.TransportError as exc:
                failure: str = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code < 500 and response.status_code != 429:
                    return self._checked(response)
                failure = f"HTTP {response.status_code}"
            if attempt < self.retries:
                time.sleep(delay)
                delay *= 2
        raise StoreUnavailable(
            f"SPARQL server at {url} unavailable after {self.retries + 1} tries ({failure})"
        )

    @staticmethod
    def _checked(response: httpx.Response) -> httpx.Response:
        if response.status_code == 400:
            raise BadQuery(
                f"SPARQL syntax error or bad request, says the server: {response.text.strip()[:500]}"
            )
        if response.status_code >= 400:
            raise StoreError(
                f"SPARQL server answered HTTP {response.status_code}: {response.text.strip()[:500]}"
            )
        return response

    # -- reads -------------------------------------------------------------------
    def named_graphs(self) -> list[str]:
        """The source graphs (bookkeeping graphs of the default-graph record left out)."""
        default = self.default_graph()
        return default.sources(self._all_graphs()) if default is not None else self._all_graphs()

    def _all_graphs(self) -> list[str]:
        if self._graphs is None:
            response = self._post_query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", union=False)
            solutions = parse_query_results(response.content, format=QueryResultsFormat.JSON)
            self._graphs = sorted(s["g"].value for s in solutions)
        return self._graphs

    def default_graph(self) -> DefaultGraphRecord | None:
        if self._default is None:
            response = self._post_query(dataset.RECORD_QUERY, union=False)
            self._default = (
                dataset.from_solutions(parse_query_results(response.content, format=QueryResultsFormat.JSON)),
            )
        return self._default[0]

    def refresh(self) -> None:
        """Forget cached graph names and the default graph (after a build swapped new graphs in)."""
        self._graphs = None
        self._default = None

    def _post_query(
        self,
        query: str,
        union: bool = True,
        default_graph: Any = None,
        accept: str = f"{RESULTS_JSON}, {N_TRIPLES};q=0.9",
    ) -> httpx.Response:
        # A protocol dataset with only default-graph-uri has no named graphs, so
        # the source graphs are also listed as named-graph-uri to keep GRAPH ?g working.
        params: list[tuple[str, str]] = []
        if default_graph is not None:
            graphs = default_graph if isinstance(default_graph, list) else [default_graph]
            params += [("default-graph-uri", g.value) for g in graphs if isinstance(g, NamedNode)]
        elif union:
            default = self.default_graph()
            parts = [g.value for g in default.parts] if default is not None else self.named_graphs()
            params += [("default-graph-uri", g) for g in parts]
        if default_graph is not None or union:
            params += [("named-graph-uri", g) for g in self.named_graphs()]
        return self._send(
            "POST",
            self.endpoints.query,
            params=params,
            content=(_prologue() + query).encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": accept},
        )

    def raw_query(self, query: str, **options: Any) -> Any:
        """Like ``OxigraphBackend.raw_query``: ``substitutions`` maps pyoxigraph Variables to terms."""
        substitutions = options.get("substitutions") or {}
        text = bind_values(query, {variable.value: term for variable, term in substitutions.items()})
        response = self._post_query(text, default_graph=options.get("default_graph"))
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if media == RESULTS_JSON:
            return parse_query_results(response.content, format=QueryResultsFormat.JSON)
        return [q.triple for q in parse(response.content, format=RdfFormat.N_TRIPLES)]

    def select_strings(
        self, query: str, bindings: Mapping[str, Any] | None = None, limit: int | None = None
    ) -> Rows:
        """Rows of text cells (``Backend.select_strings``): the server's own TSV results, split as they come."""
        response = self._post_query(bind_values(query, bindings), accept=RESULTS_TSV)
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if media != RESULTS_TSV:
            raise BadQuery(f"expected a SELECT query (the server answered {media or 'no content type'})")
        return tsv_rows(response.text, limit)

    def dump(self, rdf_format: RdfFormat, graph: Any | None = None) -> bytes:
        if graph is not None:
            response = self._send(
                "GET", self.endpoints.store, params={"graph": graph.value}, headers={"Accept": N_TRIPLES}
            )
            return serialize(
                parse(response.content, format=RdfFormat.N_TRIPLES),
                format=rdf_format,
                prefixes=rdf_prefixes(rdf_format),
            )
        response = self._send("GET", self.endpoints.store, headers={"Accept": N_QUADS})
        quads = dataset.source_quads(self.default_graph(), parse(response.content, format=RdfFormat.N_QUADS))
        if rdf_format.supports_datasets:
            return serialize(quads, format=rdf_format)
        return serialize((q.triple for q in quads), format=rdf_format)

    # -- writes ------------------------------------------------------------------
    def extend(self, quads: Iterable[Quad]) -> None:
        """Upload quads with one Graph Store Protocol POST per named graph."""
        by_graph: dict[str, list[Any]] = defaultdict(list)
        for quad in quads:
            key = "" if isinstance(quad.graph_name, DefaultGraph) else quad.graph_name.value
            by_graph[key].append(quad.triple)
        for graph, triples in by_graph.items():
            params = {"graph": graph} if graph else {"default": ""}
            self._send(
                "POST",
                self.endpoints.store,
                params=params,
                content=serialize(triples, format=RdfFormat.N_TRIPLES),
                headers={"Content-Type": N_TRIPLES},
            )
        self.refresh()

    def replace_dataset(self, quads: Iterable[Quad], stamp: str, owned: str) -> None:
        """Swap in a whole new dataset: upload into staging graphs, then MOVE them in one update.

        Readers see the old graphs until the single update request runs; a
        failed upload leaves them untouched (the staging graphs are dropped).
        Our graphs (IRIs starting with ``owned``) that the new dataset lacks are
        dropped in the same request; other graphs on a shared server are left alone.
        """
        by_graph: dict[str, list[Any]] = defaultdict(list)
        for quad in quads:
            if isinstance(quad.graph_name, NamedNode):
                by_graph[quad.graph_name.value].append(quad)
        staging = {graph: f"{graph}#staging-{stamp}" for graph in by_graph}
        try:
            self.extend(
                Quad(q.subject, q.predicate, q.object, NamedNode(staging[g]))
                for g, qs in by_graph.items()
                for q in qs
            )
        except StoreError:
            self.update(" ;\n".join(f"DROP SILENT GRAPH {NamedNode(s)}" for s in staging.values()))
            raise
        stale = [
            g
            for g in self._all_graphs()
            if g.startswith(owned) and g not in by_graph and "#staging-" not in g
        ]
        operations = [f"MOVE SILENT GRAPH {NamedNode(s)} TO GRAPH {NamedNode(g)}" for g, s in staging.items()]
        operations += [f"DROP SILENT GRAPH {NamedNode(g)}" for g in stale]
        self.update(" ;\n".join(operations))

    def update(self, update: str) -> None:
        self._send(
            "POST",
            self.endpoints.update,
            content=update.encode(),
            headers={"Content-Type": "application/sparql-update"},
        )
        self.refresh()

    def close(self) -> None:
        self.client.close()
