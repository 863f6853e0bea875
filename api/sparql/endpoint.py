"""The SPARQL 1.1 Protocol endpoint: ``GET``/``POST /sparql``, read-only.

* A query arrives as ``GET ?query=``, a ``POST`` form (``query=``) or a ``POST``
  body of type ``application/sparql-query``; ``default-graph-uri`` and
  ``named-graph-uri`` choose the dataset (without them, and without FROM, the
  default graph is the merge of all source graphs, ``graph/dataset.py``).
* The query is looked at before it runs (``api/sparql/analysis.py``), to learn
  its form and to refuse what a public read-only endpoint must not do: SPARQL
  Update (also ``update=`` and ``application/sparql-update``) and ``SERVICE``
  (the store would fetch the URL: SSRF). FROM never fetches: Oxigraph reads FROM
  graphs from the store only.
* The answer is negotiated (``Accept``, or ``format=`` for download links) through
  ``graph/exports.py``: SELECT/ASK as SPARQL JSON, XML, CSV, TSV; CONSTRUCT/DESCRIBE
  as Turtle, N-Triples, JSON-LD, RDF/XML. It is streamed from a worker process
  (``api/sparql/pool.py``) under ``query_timeout_s``, unless it is a bounded point
  lookup (below). CSV, TSV and downloads
  carry every row; other answers stop at ``max_rows`` rows or triples, and a cut
  one says so in the ``IETFKG-Truncated`` header on every format (and a cut
  SPARQL-JSON result ends with ``"truncated": true``): ``api/sparql/limits.py``.
* ``GET /sparql`` without a query: a SPARQL service description for machines, the
  query page (YASGUI, ``api/sparql/page.py``) for browsers; a browser's ``GET
  /sparql?query=`` (no ``format=``) opens the page on that query, so a query's link can be shared.

The hot path stays lean: a plain query is screened in microseconds on the event
loop, and the verdict (the full parser's too, for other short queries) and the
negotiated format are cached by query text and ``Accept`` header; a bounded
one-triple-pattern SELECT (a point lookup) is answered in the server process,
without the hop to a worker, reading its subject's triples from the store directly
(``api/sparql/inline.py``: capped and flagged as a worker's answer would be, and
anything longer than ``sparql_inline_rows`` still goes to a worker); a result that
fits in one message from the worker is sent as a plain response with a
``Content-Length``, not streamed.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Send

from ietfkg.api.http_errors import wants_html
from ietfkg.api.request_text import form, utf8
from ietfkg.api.settings import Settings
from ietfkg.api.sparql import inline
from ietfkg.api.sparql.analysis import MAX_QUERY_CHARS, analysis_of
from ietfkg.api.sparql.limits import WHOLE_FORMATS, row_cap
from ietfkg.api.sparql.negotiation import accepted, is_download, negotiate, offered
from ietfkg.api.sparql.page import query_page
from ietfkg.api.sparql.pool import Job, WorkerPool
from ietfkg.graph import exports, truncation
from ietfkg.graph.backends import current_build, is_remote
from ietfkg.graph.queries import load
from ietfkg.schema.errors import BadQuery, IetfKgError, Forbidden, StoreMissing, UnknownFormat, UnsupportedMediaType
from ietfkg.schema.vocab import IETF, RDF, RDFS, SD, VOID, XSD

logger = logging.getLogger("uvicorn.error")  # the server's own log, beside its request lines

_FORMATS_NS = "http://www.w3.org/ns/formats/"
_FORMAT_IRIS = {  # W3C format IRIs for sd:resultFormat
    ("results", "json"): "SPARQL_Results_JSON",
    ("results", "xml"): "SPARQL_Results_XML",
    ("results", "csv"): "SPARQL_Results_CSV",
    ("results", "tsv"): "SPARQL_Results_TSV",
    ("rdf", "ttl"): "Turtle",
    ("rdf", "nt"): "N-Triples",
    ("rdf", "jsonld"): "JSON-LD",
    ("rdf", "xml"): "RDF_XML",
}


# -- the pool's life: run by the app lifespan (``pool.running()``) ------------------
def pool_for(store: str, size: int, backend: str = "oxigraph") -> WorkerPool | None:
    """The worker pool on the current build (or the remote server), or None when nothing is built.

    With a remote store the workers proxy to the server: killing one on timeout
    drops its HTTP request, and the server's own limits stop the query.
    """
    target = store if is_remote(store) else current_build(store)
    return None if target is None else WorkerPool(target, size, backend)


# -- reading the request ----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Params:
    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]


async def read_params(request: Request) -> Params:
    """The protocol parameters from the query string and, for POST, the body (UTF-8, strictly)."""
    values = form(request.scope["query_string"], "the URL's query string")
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()  # size capped by api/body_limit.py
        if media == "application/sparql-update":
            raise Forbidden("this endpoint is read-only: SPARQL Update is refused")
        if media == "application/sparql-query":
            values["query"] = [utf8(body, "the query")]
        elif media == "application/x-www-form-urlencoded":
            for key, items in form(body, "the form").items():
                values.setdefault(key, []).extend(items)
        else:
            raise UnsupportedMediaType(
                f"cannot read a {media or 'body without Content-Type'}: POST a query as "
                "application/sparql-query or as an application/x-www-form-urlencoded form"
            )
    if "update" in values:
        raise Forbidden("this endpoint is read-only: SPARQL Update is refused")
    queries = values.get("query", [])
    if len(queries) > 1:
        raise BadQuery("give exactly one query")
    return Params(
        queries[0] if queries else None,
        tuple(values.get("default-graph-uri", [])),
        tuple(values.get("named-graph-uri", [])),
    )


# -- the endpoint ------------------------------------------------------------------
async def sparql(request: Request) -> Response:
    params = await read_params(request)
    if params.query is None:
        return await service(request)
    if request.method == "GET" and "format" not in request.query_params and wants_html(request):
        return await query_page(request)  # a shared link: the page runs the query itself
    analysis = await analysis_of(params.query)
    fmt = negotiate(request, analysis.kind, "json" if analysis.kind == "results" else "ttl")
    assert fmt is not None
    pool: WorkerPool | None = request.app.state.sparql_pool
    if pool is None:
        raise StoreMissing("the SPARQL endpoint needs a built store on disk; run `ietfkg build`")
    settings = request.app.state.settings
    dataset_given = bool(params.default_graphs or params.named_graphs)
    download = is_download(request, fmt)
    job = Job(
        params.query,
        fmt.name,
        fmt.kind,
        row_cap(fmt, download, settings.max_rows),
        params.default_graphs if dataset_given else None,
        params.named_graphs if dataset_given else None,
        analysis.uses_from,
    )
    disposition = "attachment" if download else "inline"
    headers = {
        "Content-Disposition": f'{disposition}; filename="{analysis.form}-result.{fmt.extension}"',
        "Vary": "Accept",
    }
    if not dataset_given and analysis.form == "select":
        here = _answer_here(request, pool, params.query, fmt, job.max_rows)
        if here is not None:
            if here.truncated:
                headers[truncation.HEADER] = truncation.Truncation.of(fmt.kind, here.count).header
            return Response(here.body, media_type=fmt.media_type, headers=headers)
    head, chunks = await pool.answer(job, settings.query_timeout_s)  # errors so far: clean JSON errors
    first = await anext(chunks, b"")
    second = await anext(chunks, None) if first else None  # None: the whole result is in `first`
    if head.truncated:
        headers[truncation.HEADER] = truncation.Truncation.of(fmt.kind, head.count or 0).header
    if second is None:
        return Response(first, media_type=fmt.media_type, headers=headers)
    return BrokenOffStream(_prepend((first, second), chunks), media_type=fmt.media_type, headers=headers)


class BrokenOffStream(StreamingResponse):
    """A stream whose status is already sent: an error mid-way (the time limit, a dead worker)
    can only break the connection off, so the client sees an incomplete transfer rather than a
    short answer that looks whole. It is an expected end, logged in one line, not a traceback."""

    async def stream_response(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        sent = 0
        try:
            async for chunk in self.body_iterator:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
                sent += len(chunk)
        except IetfKgError as exc:
            logger.warning("streamed answer broken off after %d bytes: %s", sent, exc)
            return  # no final chunk: the server closes the connection without ending the body
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def _answer_here(
    request: Request, pool: WorkerPool, query: str, fmt: exports.Format, cap: int | None
) -> inline.Answer | None:
    """A bounded query's answer from the server's own store (``api/sparql/inline.py``), or
    ``None``: the worker path answers it. Only once the workers are ready (until then a query
    waits for them, as ``/healthz`` says), and never for a remote store (its queries must stay
    cancellable: the worker drops the HTTP request).

    It runs on the event loop, like the parser's verdict on a short query (``analysis_of``), and
    that is a choice, not an oversight: its cost is bounded, by the rows it reads (at most
    ``sparql_inline_rows`` + 1) and by the triples of its one subject (``inline.py``), to less
    than the HTTP handling of the request around it. A hop to a thread and back cost more than
    the lookup itself, and with ``server_processes`` at the cores there is no idle core for the
    thread to use (``bench/sparql_wrk.py``; README "Speed")."""
    settings: Settings = request.app.state.settings
    most = settings.sparql_inline_rows
    shaped = inline.shape(query) if most > 0 else None
    if shaped is None or not pool.ready or is_remote(settings.store):
        return None
    return inline.answer(request.app.state.store.backend, shaped, fmt, cap, most)


async def _prepend(head: tuple[bytes, ...], rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    for chunk in head:
        yield chunk
    async for chunk in rest:
        yield chunk


# -- GET /sparql without a query: service description or the query page -------------
async def service(request: Request) -> Response:
    try:
        fmt = negotiate(request, "rdf", "ttl", html=True)
    except UnknownFormat:
        if not _wants_results(request):
            raise
        raise BadQuery(
            "no query given: send one as query= (GET or a POST form) or as an application/sparql-query "
            "body; without a query /sparql answers its service description, in RDF (text/turtle, "
            "application/ld+json, ...)"
        ) from None
    if fmt is None:
        return await query_page(request)
    rows = (await request.app.state.store.select(load("sources"))).rows
    endpoint = NamedNode(str(request.url_for("sparql")))
    triples = _description(endpoint, [(r[0], r[6]) for r in rows])
    triples += _limits(endpoint, NamedNode(str(request.url_for("sparql_limits"))), request.app.state.settings)
    body = exports.serialize(triples, fmt)
    return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})


def _wants_results(request: Request) -> bool:
    """The client asked for query results (SPARQL JSON, XML, CSV, TSV): it meant to send a query."""
    results = {f.media_type for f in offered("results")}
    return any(media in results for media in accepted(request.headers.get("accept")))


def _limits(endpoint: NamedNode, document: NamedNode, settings: Settings) -> list[Triple]:
    """The endpoint's limits (``api/sparql/limits.py``), and a link to the JSON document that details them."""

    def number(value: float, datatype: NamedNode) -> Literal:
        return Literal(str(float(value)) if datatype == XSD.decimal else str(value), datatype=datatype)

    triples = [
        Triple(endpoint, RDFS.seeAlso, document),
        Triple(endpoint, IETF.limitsDocument, document),
        Triple(endpoint, IETF.maxRows, number(settings.max_rows, XSD.integer)),
        Triple(endpoint, IETF.queryTimeoutSeconds, number(settings.query_timeout_s, XSD.decimal)),
        Triple(endpoint, IETF.maxRequestBodyBytes, number(settings.max_body_bytes, XSD.integer)),
        Triple(endpoint, IETF.maxQueryCharacters, number(MAX_QUERY_CHARS, XSD.integer)),
        Triple(endpoint, IETF.truncationHeader, Literal(truncation.HEADER)),
    ]
    triples += [
        Triple(endpoint, IETF.completeResultFormat, NamedNode(_FORMATS_NS + _FORMAT_IRIS[("results", name)]))
        for name in WHOLE_FORMATS
    ]
    return triples


def _description(endpoint: NamedNode, graphs: list[tuple[NamedNode, Literal]]) -> list[Triple]:
    """The sd: description of this endpoint and its dataset."""
    dataset, default = BlankNode(), BlankNode()
    triples = [
        Triple(endpoint, RDF.type, SD.Service),
        Triple(endpoint, SD.endpoint, endpoint),
        Triple(endpoint, SD.supportedLanguage, SD.SPARQL11Query),
        Triple(endpoint, SD.feature, SD.UnionDefaultGraph),
        Triple(endpoint, SD.defaultDataset, dataset),
        Triple(dataset, RDF.type, SD.Dataset),
        Triple(dataset, SD.defaultGraph, default),
        Triple(default, RDF.type, SD.Graph),
    ]
    triples += [
        Triple(endpoint, SD.resultFormat, NamedNode(_FORMATS_NS + iri)) for iri in _FORMAT_IRIS.values()
    ]
    total = 0
    for graph, count in graphs:
        named, described = BlankNode(), BlankNode()
        total += int(count.value)
        triples += [
            Triple(dataset, SD.namedGraph, named),
            Triple(named, RDF.type, SD.NamedGraph),
            Triple(named, SD.name, graph),
            Triple(named, SD.graph, described),
            Triple(described, RDF.type, SD.Graph),
            Triple(described, VOID.triples, Literal(count.value, datatype=XSD.integer)),
        ]
    triples.append(Triple(default, VOID.triples, Literal(str(total), datatype=XSD.integer)))
    return triples
