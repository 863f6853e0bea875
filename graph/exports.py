"""The registry of formats by name, alias and media type, for query results and graphs.

One table serves the CLI ``--format`` option, the SPARQL endpoint's ``Accept``
header and ``format=`` override, the pages and VoID. Three kinds exist: ``results``
(SELECT/ASK, the SPARQL 1.1 result formats), ``rdf`` (CONSTRUCT/DESCRIBE and
exports) and ``network`` (the entity graph as GraphML or GEXF, written by
``graph/entity_graph.py``).

Every result is written by one writer per format, ``graph/result_writers.py``:
``serialize`` here (CLI, pages, VoID) and the ``/sparql`` workers (streamed and
capped) share it. ``native`` is pyoxigraph's serializer where one exists; a
format it lacks has ``native=None`` and a writer of its own there.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat

from ietfkg.schema.errors import UnknownFormat, UnknownFormatName
from ietfkg.schema.vocab import PREFIXES


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    kind: str  # "results" | "rdf" | "network"
    media_type: str
    extension: str
    native: QueryResultsFormat | RdfFormat | None
    aliases: tuple[str, ...] = ()

    @property
    def holds_triples(self) -> bool:
        """True for RDF formats that can hold a graph of triples (not only datasets)."""
        return isinstance(self.native, RdfFormat) and self.native not in (RdfFormat.N_QUADS, RdfFormat.TRIG)


FORMATS: tuple[Format, ...] = (
    Format("json", "results", "application/sparql-results+json", "srj", QueryResultsFormat.JSON,
           ("srj", "application/json")),
    Format("xml", "results", "application/sparql-results+xml", "srx", QueryResultsFormat.XML,
           ("srx", "application/xml", "text/xml")),
    Format("csv", "results", "text/csv", "csv", QueryResultsFormat.CSV),
    Format("tsv", "results", "text/tab-separated-values", "tsv", QueryResultsFormat.TSV),
    # "n3": what SPARQLWrapper sends as format= for N3; Turtle is N3.
    Format("ttl", "rdf", "text/turtle", "ttl", RdfFormat.TURTLE, ("turtle", "n3", "application/x-turtle")),
    Format("nt", "rdf", "application/n-triples", "nt", RdfFormat.N_TRIPLES, ("ntriples", "n-triples", "text/plain")),
    Format("nq", "rdf", "application/n-quads", "nq", RdfFormat.N_QUADS, ("nquads", "n-quads")),
    Format("trig", "rdf", "application/trig", "trig", RdfFormat.TRIG),
    Format("jsonld", "rdf", "application/ld+json", "jsonld", RdfFormat.JSON_LD, ("json-ld", "application/json")),
    Format("xml", "rdf", "application/rdf+xml", "rdf", RdfFormat.RDF_XML,
           ("rdfxml", "rdf", "rdf+xml", "application/xml", "text/xml")),
    Format("graphml", "network", "application/graphml+xml", "graphml", None),
    Format("gexf", "network", "application/gexf+xml", "gexf", None),
)

_BY_KEY: dict[tuple[str, str], Format] = {}
for _fmt in FORMATS:
    for _key in (_fmt.name, _fmt.media_type, *_fmt.aliases):
        _BY_KEY[(_key, _fmt.kind)] = _fmt


def names(kind: str) -> list[str]:
    return [f.name for f in FORMATS if f.kind == kind]


def is_known(name: str) -> bool:
    """``name`` is the name, an alias or the media type of some format, of any kind."""
    return any(key == name.strip().lower() for key, _ in _BY_KEY)


def find(name: str, kinds: tuple[str, ...]) -> Format:
    """Resolve a name, alias or media type among several kinds (the first kind that has it wins).

    >>> find("gexf", ("rdf", "network")).kind
    'network'
    """
    for kind in kinds:
        fmt = _BY_KEY.get((name.strip().lower(), kind))
        if fmt is not None:
            return fmt
    raise UnknownFormatName(name, [n for kind in kinds for n in names(kind)])


def get(name: str, kind: str) -> Format:
    """Resolve a name, alias or media type for one kind of result.

    >>> get("text/turtle", "rdf").name, get("srj", "results").media_type
    ('ttl', 'application/sparql-results+json')
    """
    fmt = _BY_KEY.get((name.strip().lower(), kind))
    if fmt is None:
        raise UnknownFormat(name, names(kind))
    return fmt


def result_kind(result: object) -> str:
    return "results" if isinstance(result, (QuerySolutions, QueryBoolean)) else "rdf"


def curie(iri: str) -> str:
    """A prefixed name for display (pages, network exports) when one of our prefixes fits.

    >>> curie("http://www.w3.org/ns/org#member"), curie("https://example.org/x")
    ('org:member', 'https://example.org/x')
    """
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def rdf_prefixes(native: RdfFormat) -> dict[str, str] | None:
    """Our prefixes for the RDF formats that can declare them, else None."""
    return PREFIXES if native in (RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.RDF_XML) else None


def serialize(result: object, fmt: Format) -> bytes:
    """A whole pyoxigraph query result (solutions, boolean or triples) in ``fmt``, uncapped.

    >>> from pyoxigraph import Store
    >>> serialize(Store().query("SELECT ?x { VALUES ?x { 1 } }"), get("csv", "results"))
    b'x\\r\\n1\\r\\n'
    """
    from ietfkg.graph.result_writers import write_results  # it reads this table: imported on use

    out = io.BytesIO()
    write_results(result, fmt, out, None)
    return out.getvalue()
