"""Serializer registry by name, alias and media type, for query results and graphs.

One table serves the CLI ``--format`` option, the SPARQL endpoint's ``Accept``
header and ``format=`` override. Two kinds exist: ``results`` (SELECT/ASK, the
SPARQL 1.1 result formats) and ``rdf`` (CONSTRUCT/DESCRIBE and exports).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat
from pyoxigraph import serialize as serialize_rdf

from ietfkg.schema.errors import UnknownFormat
from ietfkg.schema.vocab import PREFIXES


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    kind: str  # "results" | "rdf"
    media_type: str
    extension: str
    native: QueryResultsFormat | RdfFormat
    aliases: tuple[str, ...] = ()


FORMATS: tuple[Format, ...] = (
    Format("json", "results", "application/sparql-results+json", "srj", QueryResultsFormat.JSON, ("srj",)),
    Format("xml", "results", "application/sparql-results+xml", "srx", QueryResultsFormat.XML, ("srx",)),
    Format("csv", "results", "text/csv", "csv", QueryResultsFormat.CSV),
    Format("tsv", "results", "text/tab-separated-values", "tsv", QueryResultsFormat.TSV),
    Format("ttl", "rdf", "text/turtle", "ttl", RdfFormat.TURTLE, ("turtle",)),
    Format("nt", "rdf", "application/n-triples", "nt", RdfFormat.N_TRIPLES, ("ntriples", "n-triples")),
    Format("nq", "rdf", "application/n-quads", "nq", RdfFormat.N_QUADS, ("nquads", "n-quads")),
    Format("trig", "rdf", "application/trig", "trig", RdfFormat.TRIG),
    Format("jsonld", "rdf", "application/ld+json", "jsonld", RdfFormat.JSON_LD, ("json-ld",)),
    Format("xml", "rdf", "application/rdf+xml", "rdf", RdfFormat.RDF_XML, ("rdfxml", "rdf")),
)

_BY_KEY: dict[tuple[str, str], Format] = {}
for _fmt in FORMATS:
    for _key in (_fmt.name, _fmt.media_type, *_fmt.aliases):
        _BY_KEY[(_key, _fmt.kind)] = _fmt


def names(kind: str) -> list[str]:
    return [f.name for f in FORMATS if f.kind == kind]


def get(name: str, kind: str) -> Format:
    """Resolve a name, alias or media type for one kind of result.

    >>> get("text/turtle", "rdf").name, get("srj", "results").media_type
    ('ttl', 'application/sparql-results+json')
    """
    fmt = _BY_KEY.get((name.strip().lower(), kind))
    if fmt is None:
        raise UnknownFormat(name, names(kind))
    return fmt


def kind_of(result: object) -> str:
    return "results" if isinstance(result, (QuerySolutions, QueryBoolean)) else "rdf"


def serialize(result: object, fmt: Format) -> bytes:
    """Serialize a pyoxigraph query result (solutions, boolean or triples)."""
    if fmt.kind == "rdf":
        prefixes = PREFIXES if fmt.native in (RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.RDF_XML) else None
        return serialize_rdf(result, format=fmt.native, prefixes=prefixes)
    return result.serialize(format=fmt.native)  # type: ignore[attr-defined]
