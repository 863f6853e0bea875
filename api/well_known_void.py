"""``/.well-known/void``: the VoID description of the dataset (RFC 5785 well-known path).

The description is the meta graph written at build time (``graph/void.py``):
the ``void:Dataset`` with its triple count, entities per class
(``void:classPartition``) and subsets, plus every source graph with its title,
origin, snapshot date and build time. Served as Turtle (default), JSON-LD,
N-Triples or RDF/XML; ``ietfkg export --graph meta`` writes the same triples.
"""

from __future__ import annotations

from functools import partial

from starlette.requests import Request
from starlette.responses import Response

from pyoxigraph import NamedNode

from ietfkg.api.sparql.negotiation import negotiate
from ietfkg.graph import dataset, exports
from ietfkg.graph.backends import Backend
from ietfkg.graph.exports import Format
from ietfkg.schema.vocab import Iris, meta_graph

_ALL = "CONSTRUCT WHERE { ?s ?p ?o }"


def _meta(backend: Backend, base: str, fmt: Format) -> bytes:
    meta = meta_graph(Iris(base)).value
    graph = dataset.find_graph(meta, backend.named_graphs(), backend.default_graph()) or dataset.find_graph(
        "meta", backend.named_graphs(), backend.default_graph()
    )
    triples = backend.raw_query(_ALL, default_graph=[NamedNode(graph or meta)])
    return exports.serialize(triples, fmt)


async def void(request: Request) -> Response:
    fmt = negotiate(request, "rdf", "ttl")
    assert fmt is not None
    store = request.app.state.store
    body = await store.run(partial(_meta, store.backend, request.app.state.settings.base, fmt))
    return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})
