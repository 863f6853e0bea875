"""Dereferenceable entity pages: ``/<kind>/<key>`` for every IRI ``<base><kind>/<key>``.

Content negotiation (``Accept`` or ``format=``): a readable HTML page for
browsers (labels, types, statements in and out, provenance: the named graph of
every statement and ``prov:wasDerivedFrom``), Turtle / N-Triples / JSON-LD /
RDF/XML for machines (the statements about the entity and those pointing at it).
Unknown ids are 404. Reads go through ``AsyncStore`` (a thread under a timeout):
these are our own small bound queries, not user SPARQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from pyoxigraph import NamedNode, Triple
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ietfkg.api.html import templates
from ietfkg.api.sparql.negotiation import negotiate
from ietfkg.graph import exports
from ietfkg.graph.exports import curie
from ietfkg.graph.queries import load
from ietfkg.schema.errors import NotFound
from ietfkg.schema.vocab import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS

KINDS = ("group", "person", "doc", "protocol", "role", "graph", "agent")
MAX_LINKS_IN = 2000
MAX_LINKS_OUT = 5000
LABELS = (SKOS.prefLabel, FOAF.name, DCTERMS.title, SKOS.notation, RDFS.label, SKOS.altLabel)


def routes() -> list[Route]:
    """One route per entity kind, named ``entity-<kind>``."""
    return [
        Route(f"/{kind}/{{key:path}}", partial(entity, kind=kind), name=f"entity-{kind}") for kind in KINDS
    ]


@dataclass(frozen=True, slots=True)
class Value:
    """A term as the template shows it: text, and a link only when it is safe to follow."""

    text: str
    href: str | None = None
    note: str = ""  # datatype or language of a literal, or the IRI behind a label


class Linker:
    """Turns terms into display values: local IRIs link to their page, web IRIs link out."""

    def __init__(self, request: Request) -> None:
        settings = request.app.state.settings
        self.base = settings.base
        self.root = str(request.url_for("home"))

    def local(self, iri: str) -> str | None:
        if iri.startswith(self.base) and iri[len(self.base) :].partition("/")[0] in KINDS:
            return self.root + iri[len(self.base) :]
        return None

    def value(self, term: object, label: object | None = None) -> Value:
        if isinstance(term, NamedNode):
            iri = term.value
            # Only http(s) IRIs become links: never javascript:, data: or other schemes.
            href = self.local(iri) or (iri if iri.startswith(("http://", "https://")) else None)
            if label is not None:
                return Value(label.value, href, curie(iri))
            return Value(curie(iri), href)
        language = getattr(term, "language", None)
        datatype = getattr(term, "datatype", None)
        note = f"@{language}" if language else (curie(datatype.value) if datatype is not None else "")
        if note == "xsd:string":
            note = ""
        return Value(getattr(term, "value", str(term)), None, note)


async def entity(request: Request, kind: str) -> Response:
    key = request.path_params["key"]
    try:
        iri = NamedNode(request.app.state.settings.base + kind + "/" + key)
    except ValueError:  # not a valid IRI (a space, a quote, ...): it names no entity
        raise NotFound(f"no entity {kind}/{key}") from None
    store = request.app.state.store
    out = await store.select(load("entity_out"), {"entity": iri}, MAX_LINKS_OUT)
    into = await store.select(load("entity_in"), {"entity": iri}, MAX_LINKS_IN)
    if not out.rows and not into.rows:
        raise NotFound(f"no entity {iri.value}")
    fmt = negotiate(request, "rdf", None, html=True)
    if fmt is not None:
        triples = {Triple(iri, r[1], r[2]) for r in out.rows} | {Triple(r[1], r[2], iri) for r in into.rows}
        body = exports.serialize(sorted(triples, key=str), fmt)
        return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})
    link = Linker(request)
    context = {
        "iri": iri.value,
        "kind": kind,
        "title": _title(out.rows) or key,
        "types": [link.value(r[2]) for r in out.rows if r[1] == RDF.type],
        "labels": [(curie(r[1].value), link.value(r[2])) for r in out.rows if r[1] in LABELS],
        "out": [(link.value(r[1]), link.value(r[2], r[4]), link.value(r[3])) for r in out.rows],
        "into": [(link.value(r[1], r[4]), link.value(r[2]), link.value(r[3])) for r in into.rows],
        "into_truncated": into.truncated,
        "graphs": sorted({r[3].value for r in (*out.rows, *into.rows)}),
        "derived": [link.value(r[2]) for r in out.rows if r[1] == PROV.wasDerivedFrom],
        "formats": [(f.name, f.media_type) for f in exports.FORMATS if f.kind == "rdf" and f.holds_triples],
        "max_in": MAX_LINKS_IN,
    }
    context["graphs"] = [link.value(NamedNode(g)) for g in context["graphs"]]
    return templates.TemplateResponse(request, "entity.html", context, headers={"Vary": "Accept"})


def _title(rows: list[tuple]) -> str | None:
    for prop in LABELS:
        for row in rows:
            if row[1] == prop:
                return row[2].value
    return None
