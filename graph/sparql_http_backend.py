"""A backend on a remote SPARQL 1.1 server (Protocol + Graph Store Protocol).

Selected with ``--store sparql+<url>``; ``graph/sparql_endpoints.py`` finds the
query, update and Graph Store endpoints from the URL (Oxigraph's layout for a
URL with no path; a URL with a path is the query endpoint, and the server's
service description tells the rest). Credentials come from the environment
only: ``IETFKG_REMOTE_TOKEN`` (bearer) or ``IETFKG_REMOTE_USER``/
``IETFKG_REMOTE_PASSWORD`` (HTTP Basic, or Digest with ``IETFKG_REMOTE_AUTH=digest``,
the default for Virtuoso).

Queries see the merge of the source graphs, as with the embedded store, by
listing the parts the store's record names (``graph/dataset.py``) as
``default-graph-uri`` and its source graphs as ``named-graph-uri`` (standard
SPARQL Protocol, so any compliant server does it). A build publishes a new
generation of graphs and then rewrites the record (``graph/remote_publish.py``).
Bound values are passed as a ``VALUES`` block built from terms the library
serializes, never by splicing.

A result a server cut at its cap is never passed on as if it were whole: ietf-kg's
own ``/sparql`` says so with ``IETFKG-Truncated`` and streams every row of a
download, so the query is asked again as one (``format=`` in the URL); Virtuoso
says it stopped at its ``ResultSetMaxRows`` with ``X-SPARQL-MaxRows``, and that an
anytime query ran out of time with ``X-SQL-State: S1TAT``. A cut
that cannot be undone raises ``ResultCut`` (carrying what came), and ``select``
reports it as ``Rows.truncated``.

Failures are retried with exponential backoff only where sending a request again
cannot change the outcome: queries, Graph Store PUTs, ``DROP SILENT``; a request
that may have reached the server and is not idempotent (a SPARQL update, a Graph
Store POST) is retried only when the connection failed before it was sent. When
the server stays down, ``StoreUnavailable`` says so clearly.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from pyoxigraph import (
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    Triple,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    parse,
    parse_query_results,
    serialize,
)

from ietfkg.graph import dataset, sparql_endpoints, truncation, virtuoso_answers
from ietfkg.graph.backends import Rows, SelectAndAsk, solution_rows, tsv_rows
from ietfkg.graph.dataset import DefaultGraphRecord
from ietfkg.graph.exports import rdf_prefixes
from ietfkg.graph.progress import Reporter
from ietfkg.graph.remote_publish import Plan, publish
from ietfkg.graph.sparql_endpoints import Endpoints, Probe
from ietfkg.graph.terms import bind_values
from ietfkg.schema.errors import BadQuery, ResultCut, StoreError, StoreUnavailable
from ietfkg.schema.vocab import PREFIXES

RESULTS_JSON = "application/sparql-results+json"
RESULTS_TSV = "text/tab-separated-values"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"


def _auth(server: str) -> tuple[httpx.Auth | None, dict[str, str]]:
    env = os.environ.get
    token = env("IETFKG_REMOTE_TOKEN")
    if token:
        return None, {"Authorization": f"Bearer {token}"}
    user = env("IETFKG_REMOTE_USER")
    if not user:
        return None, {}
    password = env("IETFKG_REMOTE_PASSWORD", "")
    scheme = env("IETFKG_REMOTE_AUTH") or ("digest" if server == "virtuoso" else "basic")
    return (httpx.DigestAuth(user, password) if scheme == "digest" else httpx.BasicAuth(user, password)), {}


def _has_credentials() -> bool:
    return bool(os.environ.get("IETFKG_REMOTE_TOKEN") or os.environ.get("IETFKG_REMOTE_USER"))


# Failures after which a request may have reached the server (so only an idempotent one is sent again).
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout)


_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*\n|(?:PREFIX\s+[^:\s]*:\s*|BASE\s+)<[^>]*>)*", re.IGNORECASE)


def _is_graph_query(query: str) -> bool:
    """Whether the query answers with triples (CONSTRUCT, DESCRIBE) rather than results.

    >>> _is_graph_query("PREFIX ex: <http://x/> construct { ?s ?p ?o } WHERE { ?s ?p ?o }")
    True
    >>> _is_graph_query("SELECT * WHERE { ?s ?p ?o }")
    False
    """
    start = _PROLOGUE.match(query)
    rest = query[start.end() if start else 0 :].lstrip().upper()
    return rest.startswith(("CONSTRUCT", "DESCRIBE"))


def _prologue() -> str:
    # One line, no newline: the server's error line numbers stay those of the user's query.
    return "".join(f"PREFIX {name}: {NamedNode(iri)} " for name, iri in PREFIXES.items())


class SparqlHttpBackend(SelectAndAsk):
    """The ``Backend`` protocol over HTTP; one shared connection pool."""

    def __init__(
        self,
        endpoints: Endpoints | Callable[[Callable[[str], Probe]], Endpoints],
        timeout_s: float = 30.0,
        retries: int = 4,
        backoff_s: float = 0.25,
        write_rate: float = 256 * 1024,
    ) -> None:
        self.retries = retries
        self.backoff_s = backoff_s
        self.write_rate = write_rate
        self._timeout_s = timeout_s
        self._find_endpoints = endpoints if callable(endpoints) else None
        self._endpoints = None if callable(endpoints) else endpoints
        self._client: httpx.Client | None = None
        self._graphs: list[str] | None = None  # every named graph on the server
        self._default: tuple[DefaultGraphRecord | None] | None = None  # read once; (None,): no record
        self._tsv_ok = True  # False once the server's TSV results proved not to be SPARQL 1.1 TSV

    @classmethod
    def open(cls, url: str, read_only: bool = True) -> SparqlHttpBackend:
        """From a ``sparql+http://`` URL; ``IETFKG_REMOTE_{TIMEOUT_S,WRITE_RATE,RETRIES,BACKOFF_S}``
        tune the transport."""
        env = os.environ.get
        authenticated = _has_credentials()
        return cls(
            lambda probe: sparql_endpoints.discover(url, probe, authenticated),
            timeout_s=float(env("IETFKG_REMOTE_TIMEOUT_S", "30")),
            retries=int(env("IETFKG_REMOTE_RETRIES", "4")),
            backoff_s=float(env("IETFKG_REMOTE_BACKOFF_S", "0.25")),
            write_rate=float(env("IETFKG_REMOTE_WRITE_RATE", str(256 * 1024))),
        )

    # -- transport ---------------------------------------------------------------
    @property
    def endpoints(self) -> Endpoints:
        """The server's endpoints, found on first use (a server down at start-up is asked again later)."""
        if self._endpoints is None:
            assert self._find_endpoints is not None
            self._endpoints = self._find_endpoints(self._probe)
        return self._endpoints

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            auth, headers = _auth(self.endpoints.server)
            self._client = httpx.Client(
                timeout=self._timeout_s, auth=auth, headers={"User-Agent": "ietf-kg", **headers}
            )
        return self._client

    def _probe(self, url: str) -> Probe:
        with httpx.Client(timeout=self._timeout_s, headers={"User-Agent": "ietf-kg"}) as client:
            response = self._retried(
                lambda: client.get(url, headers={"Accept": sparql_endpoints.DESCRIPTION_TYPES}), url, True
            )
        media = response.headers.get("content-type", "").split(";")[0].strip()
        return Probe(response.headers.get("server", ""), media, response.content)

    def _send(self, method: str, url: str, idempotent: bool = True, **kwargs: Any) -> httpx.Response:
        response = self._retried(lambda: self.client.request(method, url, **kwargs), url, idempotent)
        return self._checked(response)

    def _retried(
        self, request: Callable[[], httpx.Response], url: str, idempotent: bool
    ) -> httpx.Response:
        """``request()``, sent again after a failure only when that cannot change the outcome."""
        delay = self.backoff_s
        for attempt in range(self.retries + 1):
            try:
                response = request()
            except _NOT_SENT as exc:
                failure = f"{type(exc).__name__}: {exc}"
            except httpx.TransportError as exc:
                if not idempotent:
                    raise StoreUnavailable(
                        f"no answer from the SPARQL server at {url} ({type(exc).__name__}: {exc}); the "
                        "request may have run there, so it is not sent again"
                    ) from exc
                failure = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code < 500 and response.status_code != 429:
                    return response
                if virtuoso_answers.refusal(response) is not None:
                    return response  # the query's own fault: asking again only repeats the wait
                if not idempotent and response.status_code != 503:
                    return response  # the server may have run it: _checked reports the error
                failure = f"HTTP {response.status_code}"
            if attempt < self.retries:
                time.sleep(delay)
                delay *= 2
        hint = ""
        if "Timeout" in failure:
            hint = f"; if the query is just slow, raise IETFKG_REMOTE_TIMEOUT_S (now {self._timeout_s:g} s)"
        raise StoreUnavailable(
            f"SPARQL server at {url} unavailable after {self.retries + 1} tries ({failure}){hint}"
        )

    @staticmethod
    def _checked(response: httpx.Response) -> httpx.Response:
        said = virtuoso_answers.without_query_echo(response.text)[:500]
        if response.status_code == 400:
            raise BadQuery(f"SPARQL syntax error or bad request, says the server: {said}")
        refused = virtuoso_answers.refusal(response)
        if refused is not None:
            raise StoreError(f"the SPARQL server refused the query: {refused}")
        if response.status_code >= 400:
            raise StoreError(f"SPARQL server answered HTTP {response.status_code}: {said}")
        return response

    def _write_timeout(self, body: bytes) -> float:
        """A write may take the read timeout plus the time to move its body at the slowest rate allowed:
        a large upload is not given up on while a small one's lost answer is noticed soon."""
        return self._timeout_s + len(body) / self.write_rate

    def _write_url(self, kind: str) -> str:
        url = self.endpoints.update if kind == "update" else self.endpoints.store
        if url is None:
            variable = "IETFKG_REMOTE_UPDATE_URL" if kind == "update" else "IETFKG_REMOTE_STORE_URL"
            raise StoreError(
                f"the SPARQL server at {self.endpoints.query} offers no {kind} endpoint that ietf-kg knows "
                f"of; set {variable} to write to it"
            )
        return url

    # -- reads -------------------------------------------------------------------
    def named_graphs(self) -> list[str]:
        """The source graphs: those the record lists, else every graph but its bookkeeping ones."""
        default = self.default_graph()
        if default is not None and default.listed is not None:
            return default.sources(())
        return default.sources(self._all_graphs()) if default is not None else self._all_graphs()

    def _all_graphs(self) -> list[str]:
        if self._graphs is None:
            graphs = self._graph_names("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
            if None in graphs:  # a server (Virtuoso) that does not list graphs for an empty pattern
                graphs = self._graph_names("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            self._graphs = sorted(g for g in graphs if g is not None)
        return self._graphs

    def _graph_names(self, query: str) -> list[str | None]:
        response = self._post_query(query, union=False)
        solutions = parse_query_results(response.content, format=QueryResultsFormat.JSON)
        return [s["g"].value if s["g"] is not None else None for s in solutions]

    def default_graph(self) -> DefaultGraphRecord | None:
        if self._default is None:
            self._default = (self.read_record(),)
        return self._default[0]

    def read_record(self) -> DefaultGraphRecord | None:
        """The server's default-graph record as it is now (not the one read at start)."""
        response = self._post_query(dataset.RECORD_QUERY, union=False)
        return dataset.from_solutions(parse_query_results(response.content, format=QueryResultsFormat.JSON))

    def refresh(self) -> None:
        """Forget cached graph names and the default graph (after a build published new graphs)."""
        self._graphs = None
        self._default = None

    def _dataset_params(self, union: bool, default_graph: Any) -> list[tuple[str, str]]:
        # A protocol dataset with only default-graph-uri has no named graphs, so
        # the source graphs are also listed as named-graph-uri to keep GRAPH ?g working.
        if default_graph is not None:
            graphs = default_graph if isinstance(default_graph, list) else [default_graph]
            params = [("default-graph-uri", g.value) for g in graphs if isinstance(g, NamedNode)]
        elif not union:
            return []
        else:
            default = self.default_graph()
            if default is None and self.endpoints.union_default:
                return []  # the server's own default graph is already the union (its description says so)
            parts = [g.value for g in default.parts] if default is not None else self.named_graphs()
            params = [("default-graph-uri", g) for g in parts]
        return params + [("named-graph-uri", g) for g in self.named_graphs()]

    def _post_query(
        self,
        query: str,
        union: bool = True,
        default_graph: Any = None,
        accept: str = f"{RESULTS_JSON}, {N_TRIPLES};q=0.9",
        download: bool = False,
    ) -> httpx.Response:
        # URL-encoded parameters in the body: the one way of the Protocol every server takes
        # (Virtuoso 7 never answers a POST of application/sparql-query).
        return self._send(
            "POST",
            self.endpoints.query,
            params={"format": accept} if download else None,
            data=_form([("query", _prologue() + query), *self._dataset_params(union, default_graph)]),
            headers={"Accept": accept},
        )

    def _whole_answer(self, query: str, accept: str, default_graph: Any = None) -> tuple[httpx.Response, str | None]:
        """The server's answer, asked again as a download if ietf-kg's row cap cut it; and, if it is
        cut all the same, what to tell the user (else ``None``)."""
        response = self._post_query(query, default_graph=default_graph, accept=accept)
        if truncation.HEADER in response.headers:
            response = self._post_query(query, default_graph=default_graph, accept=accept, download=True)
        return response, _cut_notice(response, self.endpoints.query)

    def raw_query(self, query: str, **options: Any) -> Any:
        """Like ``OxigraphBackend.raw_query``: ``substitutions`` maps pyoxigraph Variables to terms.

        Raises ``ResultCut`` (with the rows or triples that came) when the server cut the result."""
        substitutions = options.get("substitutions") or {}
        text = bind_values(query, {variable.value: term for variable, term in substitutions.items()})
        # One media type per query form: offered both, Virtuoso answers a CONSTRUCT as results JSON.
        accept = N_TRIPLES if _is_graph_query(text) else RESULTS_JSON
        response, cut = self._whole_answer(text, accept, options.get("default_graph"))
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if media == RESULTS_JSON:
            result: Any = _ask_answer(parse_query_results(response.content, format=QueryResultsFormat.JSON))
        else:
            result = [q.triple for q in parse(response.content, format=RdfFormat.N_TRIPLES)]
        if cut is not None:
            raise ResultCut(cut, partial=result)
        return result

    def select(self, query: str, bindings: Mapping[str, Any] | None = None, limit: int | None = None) -> Rows:
        try:
            rows = super().select(query, bindings, limit)
        except ResultCut as cut:
            rows = solution_rows(cut.partial, limit, cut=True)
        if self.endpoints.server != "virtuoso":
            return rows
        # Virtuoso writes booleans as 1 and 0
        return Rows(rows.variables, [tuple(_canonical(t) for t in row) for row in rows.rows], rows.truncated)

    def select_strings(
        self, query: str, bindings: Mapping[str, Any] | None = None, limit: int | None = None
    ) -> Rows:
        """Rows of text cells (``Backend.select_strings``): the server's own TSV results, split as they come.

        A server whose TSV is not SPARQL 1.1's (Virtuoso writes IRIs as quoted strings and
        drops language tags) is read as JSON results from then on, written into cells here.
        """
        if self._tsv_ok:
            response, cut = self._whole_answer(bind_values(query, bindings), RESULTS_TSV)
            media = response.headers.get("content-type", "").split(";")[0].strip()
            if media != RESULTS_TSV:
                raise BadQuery(f"expected a SELECT query (the server answered {media or 'no content type'})")
            if response.text[:1] in ("?", "\n", ""):
                rows = tsv_rows(response.text, limit)
                return Rows(rows.variables, rows.rows, True) if cut is not None else rows
            self._tsv_ok = False
        rows = self.select(query, bindings, limit)
        return Rows(rows.variables, [tuple(_cell(t) for t in row) for row in rows.rows], rows.truncated)

    def dump(self, rdf_format: RdfFormat, graph: Any | None = None) -> bytes:
        """The source graphs (or one) as the build named them: a published generation's graph IRIs,
        and the data's mentions of them, are written without the generation's suffix."""
        default = self.default_graph()
        built = _built_names(default)
        if graph is not None:
            triples = [built(t) for t in self._graph_triples(graph.value)]
            return serialize(
                triples, format=rdf_format, prefixes=rdf_prefixes(rdf_format)
            )
        if default is not None and default.listed is not None:
            # only the dataset's graphs: the server may hold other generations and other data
            quads = [Quad(*built(t), NamedNode(default.built_name(g))) for g in default.listed for t in self._graph_triples(g)]
        else:
            response = self._send("GET", self._write_url("store"), headers={"Accept": N_QUADS})
            quads = list(dataset.source_quads(default, parse(response.content, format=RdfFormat.N_QUADS)))
        if rdf_format.supports_datasets:
            return serialize(quads, format=rdf_format)
        return serialize((q.triple for q in quads), format=rdf_format)

    def _graph_triples(self, graph: str) -> list[Triple]:
        if self.endpoints.store is None:  # read-only servers: the same triples through the query endpoint
            query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {NamedNode(graph)} {{ ?s ?p ?o }} }}"
            return list(self.raw_query(query, default_graph=[NamedNode(graph)]))  # ResultCut if cut
        response = self._send("GET", self.endpoints.store, params={"graph": graph}, headers={"Accept": N_TRIPLES})
        return [q.triple for q in parse(response.content, format=RdfFormat.N_TRIPLES)]

    # -- writes ------------------------------------------------------------------
    def extend(self, quads: Iterable[Quad]) -> None:
        """Add quads with one Graph Store Protocol POST per named graph (not idempotent: never resent)."""
        by_graph: dict[str, list[Any]] = defaultdict(list)
        for quad in quads:
            key = "" if isinstance(quad.graph_name, DefaultGraph) else quad.graph_name.value
            by_graph[key].append(quad.triple)
        for graph, triples in by_graph.items():
            params = {"graph": graph} if graph else {"default": ""}
            body = serialize(triples, format=RdfFormat.N_TRIPLES)
            self._send(
                "POST",
                self._write_url("store"),
                idempotent=False,
                params=params,
                content=body,
                headers={"Content-Type": N_TRIPLES},
                timeout=self._write_timeout(body),
            )
        self.refresh()

    def publish(self, plan: Plan, journal: str, reporter: Reporter | None = None) -> list[str]:
        """Publish a new generation of our graphs (``graph/remote_publish.py``); returns the graphs dropped."""
        try:
            return publish(self, plan, journal, reporter)
        finally:
            self.refresh()

    def put_graph(self, graph: str, triples: list[Triple]) -> None:
        """Replace one graph with a Graph Store Protocol PUT (idempotent: resent after a failure)."""
        body = serialize(triples, format=RdfFormat.N_TRIPLES)
        self._send(
            "PUT",
            self._write_url("store"),
            params={"graph": graph},
            content=body,
            headers={"Content-Type": N_TRIPLES},
            timeout=self._write_timeout(body),
        )

    def drop_graph(self, graph: str) -> None:
        """``DROP SILENT GRAPH``: dropping a graph twice leaves it as dropping it once."""
        self._update(f"DROP SILENT GRAPH {NamedNode(graph)}", idempotent=True)

    def graph_sizes(self, graphs: Iterable[str]) -> dict[str, int]:
        """Triples per graph, as the server counts them now (graphs it lacks are left out)."""
        graphs = list(graphs)
        if not graphs:
            return {}
        values = " ".join(str(NamedNode(g)) for g in graphs)
        query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
        response = self._post_query(query, union=False)
        solutions = parse_query_results(response.content, format=QueryResultsFormat.JSON)
        return {s["g"].value: int(s["n"].value) for s in solutions}

    def objects(self, graph: str, predicate: NamedNode) -> set[str]:
        """The IRIs ``graph`` states as objects of ``predicate``, as the server holds them now."""
        query = f"SELECT ?o WHERE {{ GRAPH {NamedNode(graph)} {{ ?s {predicate} ?o }} }}"
        response = self._post_query(query, union=False)
        solutions = parse_query_results(response.content, format=QueryResultsFormat.JSON)
        return {s["o"].value for s in solutions if isinstance(s["o"], NamedNode)}

    def update(self, update: str) -> None:
        """Run a SPARQL update (not idempotent in general: never resent once it may have arrived)."""
        self._update(update, idempotent=False)

    def _update(self, update: str, idempotent: bool) -> None:
        body = update.encode()
        self._send(
            "POST",
            self._write_url("update"),
            idempotent=idempotent,
            content=body,
            headers={"Content-Type": "application/sparql-update"},
            timeout=self._write_timeout(body),
        )
        self.refresh()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def _cut_notice(response: httpx.Response, url: str) -> str | None:
    """What to tell the user when the server says it cut this answer at its cap; ``None`` when it did not."""
    cut = truncation.parse(response.headers.get(truncation.HEADER))
    if cut is not None:
        return (
            f"the SPARQL server at {url} cut the result at {cut} even when asked for all of it "
            f"({truncation.HEADER}: {cut.header}); read it in parts with ORDER BY, LIMIT and OFFSET, "
            "or raise the server's IETFKG_MAX_ROWS"
        )
    virtuoso_cap = response.headers.get("x-sparql-maxrows")
    if virtuoso_cap is not None:  # Virtuoso sends it when a result reached its ResultSetMaxRows
        return (
            f"the SPARQL server at {url} stopped at its cap of {virtuoso_cap} rows (X-SPARQL-MaxRows), so the "
            "result may be cut; raise ResultSetMaxRows in its virtuoso.ini, or read it in parts with "
            "ORDER BY, LIMIT and OFFSET"
        )
    return virtuoso_answers.partial_notice(response, url)


def _ask_answer(result: Any) -> Any:
    """``result``, with Virtuoso 7's answer to an ASK (a SELECT of one ``__ASK_RETVAL`` 1 or 0, or no row)
    read as the boolean it means."""
    if not isinstance(result, QuerySolutions) or [v.value for v in result.variables] != ["__ASK_RETVAL"]:
        return result
    answer = any(s["__ASK_RETVAL"] is not None and s["__ASK_RETVAL"].value not in ("0", "false") for s in result)
    return parse_query_results(b'{"head": {}, "boolean": %s}' % (b"true" if answer else b"false"),
                               format=QueryResultsFormat.JSON)


def _form(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Form fields with repeated names (``default-graph-uri``…), as httpx takes them."""
    fields: dict[str, list[str]] = defaultdict(list)
    for name, value in pairs:
        fields[name].append(value)
    return dict(fields)


def _built_names(record: DefaultGraphRecord | None) -> Callable[[Triple], Triple]:
    """Rewrites a triple's mentions of the record's graphs to their built names (identity without a generation)."""
    if record is None or record.generation is None:
        return lambda triple: triple
    renamed = {NamedNode(g): NamedNode(record.built_name(g)) for g in record.graphs()}

    def built(triple: Triple) -> Triple:
        s, p, o = triple
        return Triple(renamed.get(s, s), p, renamed.get(o, o))

    return built


_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def _canonical(term: Any) -> Any:
    """A boolean literal in its canonical form ("1" and "0" are valid but not canonical)."""
    if isinstance(term, Literal) and term.value in ("1", "0") and term.datatype.value == _XSD_BOOLEAN:
        return Literal("true" if term.value == "1" else "false", datatype=term.datatype)
    return term


def _cell(term: Any) -> str | None:
    """A term as a SPARQL TSV cell (``Backend.select_strings``)."""
    if term is None:
        return None
    if isinstance(term, Literal) and term.datatype.value in _BARE and term.language is None:
        return term.value
    return str(term)


_BARE = {
    "http://www.w3.org/2001/XMLSchema#integer",
    "http://www.w3.org/2001/XMLSchema#decimal",
    "http://www.w3.org/2001/XMLSchema#double",
    "http://www.w3.org/2001/XMLSchema#boolean",
}
