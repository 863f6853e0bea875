"""The query page for browsers: YASGUI (``@zazuko/yasgui``, copied from npm into
``static/vendor/yasgui/`` by ``make install``) set up for this endpoint by ``static/sparql/sparql.js``.

The page hands the script one JSON document (``settings``): the endpoint, the predeclared
prefixes and the entity namespaces' display prefixes, the classes and properties of the store
(for completion), the example queries, the download formats, the limits and how graph IRIs map
to entity pages. Nothing on it loads from another host: YASGUI's completions that would ask
prefix.cc or LOV are given this data instead, and YASR's chart plugins are not in the build.
"""

from __future__ import annotations

import logging
from itertools import takewhile
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from ietfkg.api import assets
from ietfkg.api.html import templates
from ietfkg.api.pages.links import KINDS
from ietfkg.api.sparql.limits import document
from ietfkg.api.sparql.negotiation import offered
from ietfkg.api.sparql.terms import display_prefixes, store_terms
from ietfkg.graph.queries import load, with_prefixes
from ietfkg.schema.vocab import ONTOLOGY_NS, PREFIXES

log = logging.getLogger("uvicorn.error")  # the server's own log, beside its request lines

# The examples the home page offers too (api/home.py).
EXAMPLES = (
    ("example_sec_wg_chairs", "Security Area working groups and their chairs"),
    ("example_rfcs_per_area", "RFCs per area"),
    ("example_obsoleted", "Who obsoleted what"),
    ("example_tls_graph", "TLS WG RFCs as RDF (CONSTRUCT)"),
)
# The README's "Questions the graph answers", the same text (tests/test_sparql_page.py checks).
README_EXAMPLES = (
    ("example_sec_ads_2015", "Security Area Directors in 2015"),
    ("example_sec_seat_2017", "Who held the Security AD seat on 2017-06-01 (certain or possible)"),
    ("example_seat_bounds", "The bounds of a seat, with their roll-call records"),
    ("example_rfc8446_sources", "RFC 8446: its WG, what it obsoletes, its protocol, and the sources"),
    ("example_irtf_rgs", "Research groups of the IRTF"),
    ("example_sec_collaborators", "Groups that collaborate with the Security Area"),
    ("example_groups_at_ietf115", "Groups that met at IETF 115"),
    ("example_bofs_at_ietf115", "BoFs at IETF 115"),
    ("example_when_tls_met", "When and where TLS met"),
    ("example_tls_drafts", "TLS WG drafts and the RFCs they became"),
    ("example_ietf115_drafts_no_rfc", "Drafts presented at IETF 115 that are no RFC"),
    ("example_rfc793_former_series", "The sub-series RFC 793 was part of"),
)


def query_link(request: Request, query: str) -> str:
    """The shareable address of the query page opened on ``query``."""
    return str(request.url_for("sparql")) + "?" + urlencode({"query": query})


async def query_page(request: Request) -> Response:
    examples = [_example(request, name, title) for name, title in (*EXAMPLES, *README_EXAMPLES)]
    limits = document(request.app.state.settings)
    settings = _settings(request, examples)
    settings["terms"] = await _store_terms(request)
    context = {
        "examples": examples, "settings": settings, "limits": limits,
        "assets_missing": assets.notice("the SPARQL query page"),
    }
    return templates.TemplateResponse(request, "sparql.html", context)


async def _store_terms(request: Request) -> dict[str, list[str]]:
    """The store's classes and properties; none when they cannot be read (a remote store that
    times out, say): the page works without them, and the next page load tries again."""
    try:
        return await request.app.state.derived.get("sparql_terms", store_terms)
    except Exception as exc:  # any store failure: completion is an extra, the page is not
        log.warning("the SPARQL page completes no classes or properties: %s", exc)
        return {"classes": [], "properties": []}


def example_query(name: str) -> str:
    """The named example as the page shows it: its comment, PREFIX lines, then the query."""
    lines = load(name).splitlines(keepends=True)
    opening = len(list(takewhile(lambda line: line.startswith("#"), lines)))
    return "".join(lines[:opening]) + with_prefixes("".join(lines[opening:]))


def _example(request: Request, name: str, title: str) -> dict[str, str]:
    text = example_query(name)
    return {"name": name, "title": title, "query": text, "href": query_link(request, text)}


def _settings(request: Request, examples: list[dict[str, str]]) -> dict[str, Any]:
    app_settings = request.app.state.settings
    limits = document(app_settings)
    return {
        "endpoint": str(request.url_for("sparql")),
        "examples": examples,
        "prefixes": PREFIXES,
        "display_prefixes": display_prefixes(app_settings.base),
        "formats": {kind: [[f.name, f.media_type] for f in offered(kind)] for kind in ("results", "rdf")},
        "whole_formats": limits["streamed_whole"]["formats"],
        "max_rows": limits["max_rows"],
        "max_url_bytes": limits["max_url_bytes"],
        "truncation_header": limits["truncation_header"]["name"],
        "pages": {"base": app_settings.base, "root": str(request.url_for("home")), "kinds": list(KINDS)},
        "ontology": ONTOLOGY_NS,
    }
