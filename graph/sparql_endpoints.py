"""Where a remote SPARQL server takes queries, updates and Graph Store requests.

``--store sparql+<url>`` names a server. A URL with no path is Oxigraph's layout
(``/query``, ``/update``, ``/store``). A URL with a path is the query endpoint
itself, and one GET of it (a SPARQL service description) tells the rest: the
``Server`` header identifies Oxigraph and Virtuoso, whose update and Graph Store
endpoints sit at known places; any other server is read through its query URL,
updated there when its description lists SPARQL 1.1 Update, and its default
graph is taken as it is when the description declares ``sd:UnionDefaultGraph``
(as ietf-kg's own ``/sparql`` does). ``IETFKG_REMOTE_QUERY_URL``,
``IETFKG_REMOTE_UPDATE_URL`` and ``IETFKG_REMOTE_STORE_URL`` override each one
(Fuseki: ``/<ds>/query``, ``/<ds>/update``, ``/<ds>/data``; GraphDB:
``/repositories/<r>``, ``/repositories/<r>/statements``,
``/repositories/<r>/rdf-graphs/service``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlsplit, urlunsplit

from pyoxigraph import NamedNode, RdfFormat, parse

SCHEME = "sparql+"
SD = "http://www.w3.org/ns/sparql-service-description#"
DESCRIPTION_TYPES = "text/turtle, application/rdf+xml;q=0.9, application/n-triples;q=0.8"
_RDF_FORMATS = {
    "text/turtle": RdfFormat.TURTLE,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/n-triples": RdfFormat.N_TRIPLES,
}


@dataclass(frozen=True, slots=True)
class Endpoints:
    query: str
    update: str | None
    store: str | None
    server: str = "oxigraph"  # the layout: oxigraph, virtuoso or sparql (any other server)
    union_default: bool = False  # the server's default graph is already the union of its graphs

    def overridden(self) -> Endpoints:
        """These endpoints with ``IETFKG_REMOTE_*_URL`` from the environment put in."""
        env = os.environ.get
        return replace(
            self,
            query=env("IETFKG_REMOTE_QUERY_URL") or self.query,
            update=env("IETFKG_REMOTE_UPDATE_URL") or self.update,
            store=env("IETFKG_REMOTE_STORE_URL") or self.store,
        )


@dataclass(frozen=True, slots=True)
class Probe:
    """What one GET of a query endpoint answered: its ``Server`` header and body."""

    server: str
    media_type: str
    body: bytes


def target(url: str) -> str:
    """The server URL of a ``--store`` value, without the ``sparql+`` prefix and a trailing slash."""
    parts = urlsplit(url.removeprefix(SCHEME))
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), parts.query, ""))


def needs_probe(url: str) -> bool:
    """Whether the layout depends on what the server says (a URL with a path), unless all is overridden."""
    env = os.environ
    if all(env.get(f"IETFKG_REMOTE_{k}_URL") for k in ("QUERY", "UPDATE", "STORE")):
        return False
    return bool(urlsplit(target(url)).path)


def oxigraph_layout(root: str) -> Endpoints:
    """
    >>> oxigraph_layout("http://127.0.0.1:7878").store
    'http://127.0.0.1:7878/store'
    """
    return Endpoints(query=root + "/query", update=root + "/update", store=root + "/store")


def from_url(url: str) -> Endpoints:
    """The layout known from the URL alone: Oxigraph's for a URL with no path.

    >>> from_url("sparql+http://127.0.0.1:7878").query
    'http://127.0.0.1:7878/query'
    """
    return oxigraph_layout(target(url)).overridden()


def discover(url: str, probe: Callable[[str], Probe], authenticated: bool) -> Endpoints:
    """The endpoints of the server ``url`` names; ``probe`` GETs a query URL (a service description)."""
    if not needs_probe(url):
        return from_url(url)
    query = target(url)
    answer = probe(query)
    parts = urlsplit(query)
    origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    server = answer.server.lower()
    if server.startswith("oxigraph"):
        root = query.removesuffix("/query")
        found = oxigraph_layout(root)
    elif server.startswith("virtuoso"):
        found = _virtuoso(origin, query, authenticated)
    else:
        features = _description(answer)
        found = Endpoints(
            query=query,
            update=query if NamedNode(SD + "SPARQL11Update") in features else None,
            store=None,
            server="sparql",
            union_default=NamedNode(SD + "UnionDefaultGraph") in features,
        )
    return replace(found, query=query).overridden()


def _virtuoso(origin: str, query: str, authenticated: bool) -> Endpoints:
    # Virtuoso takes updates and Graph Store writes from an authenticated user only
    # at its -auth endpoints (HTTP Digest); the plain ones are for anonymous reads.
    if authenticated:
        return Endpoints(query, origin + "/sparql-auth", origin + "/sparql-graph-crud-auth", "virtuoso")
    return Endpoints(query, query, origin + "/sparql-graph-crud", "virtuoso")


def _description(answer: Probe) -> set[object]:
    """The objects of the description's ``sd:supportedLanguage`` and ``sd:feature`` statements."""
    rdf_format = _RDF_FORMATS.get(answer.media_type)
    if rdf_format is None or not answer.body:
        return set()
    wanted = {NamedNode(SD + "supportedLanguage"), NamedNode(SD + "feature")}
    try:
        return {t.object for t in parse(answer.body, format=rdf_format, base_iri="http://x/") if t.predicate in wanted}
    except SyntaxError:
        return set()

