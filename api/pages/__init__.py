"""Dereferenceable entity pages: ``/<kind>/<key>`` for every IRI ``<base><kind>/<key>``.

One view module and one template per page kind (as Datasette has one view module per page
kind): ``group``, ``person`` (also author organisations, ``agent/``), ``document`` (RFCs and
sub-series entries) and ``protocol``; ``other`` lists the statements of anything else once
each. Every row is read from the store through a named query (``graph/queries/page_*.rq``).

Content negotiation (``Accept`` or ``format=``): the summary for browsers, and Turtle /
N-Triples / JSON-LD / RDF/XML for machines (the statements about the entity and those pointing
at it). ``?view=data`` shows those statements as a table with their named graphs. Where each
statement comes from is behind a "sources" toggle. Unknown ids are 404.
"""

from __future__ import annotations

from functools import partial
from types import ModuleType

from pyoxigraph import NamedNode
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ietfkg.api.html import templates
from ietfkg.api.pages import data, document, group, meeting, other, person, protocol
from ietfkg.api.pages.links import KINDS, Linker, Value
from ietfkg.api.pages.page import Page
from ietfkg.api.sparql.negotiation import negotiate
from ietfkg.graph import exports
from ietfkg.graph.queries import load
from ietfkg.schema.errors import NotFound

__all__ = ["KINDS", "Linker", "Value", "routes"]

VIEWS: dict[str, ModuleType] = {
    "group": group, "person": person, "agent": person, "doc": document, "protocol": protocol, "meeting": meeting,
}
MAX_SOURCES = 500  # prov:wasDerivedFrom records listed under "sources"


def routes() -> list[Route]:
    """One route per entity kind, named ``entity-<kind>``."""
    return [Route(f"/{kind}/{{key:path}}", partial(entity, kind=kind), name=f"entity-{kind}") for kind in KINDS]


async def entity(request: Request, kind: str) -> Response:
    key = request.path_params["key"]
    try:
        iri = NamedNode(request.app.state.settings.base + kind + "/" + key)
    except ValueError:  # not a valid IRI (a space, a quote, ...): it names no entity
        raise NotFound(f"no entity {kind}/{key}") from None
    page = Page(request, iri, kind, key, Linker(request))
    if not await request.app.state.store.ask(load("page_exists"), {"entity": iri}):
        raise NotFound(f"no entity {iri.value}")
    headers = {"Vary": "Accept"}
    fmt = negotiate(request, "rdf", None, html=True)
    if fmt is not None:
        out, into = await data.statements(page)
        body = exports.serialize(data.triples(page, out, into), fmt)
        return Response(body, media_type=fmt.media_type, headers=headers)
    if request.query_params.get("view") == "data":
        template, context = data.TEMPLATE, data.context(page, *await data.statements(page))
        context["title"] = key
    else:
        view = VIEWS.get(kind, other)
        context = await view.context(page)
        template = view.TEMPLATE
        if context is None:  # typed otherwise than its path says: list its statements
            template, context = other.TEMPLATE, await other.context(page)
    context.update(await _common(page))
    return templates.TemplateResponse(request, template, context, headers=headers)


async def _common(page: Page) -> dict:
    """What every page kind shows around its summary: its IRI, the data links and the sources."""
    sources = await page.rows("page_sources", limit=MAX_SOURCES)
    graphs = {r["graph"]: r["title"] for r in sources.rows if r["graph"]}
    return {
        "iri": page.iri.value,
        "kind": page.kind,
        "formats": [(f.name, f.media_type) for f in exports.FORMATS if f.kind == "rdf" and f.holds_triples],
        "graphs": [page.named(g, title) for g, title in sorted(graphs.items())],
        "derived": [page.named(r["derived"], r["derived"]) for r in sources.rows if r["derived"]],
        "sources_truncated": sources.truncated,
    }
