"""What the SPARQL page completes and abbreviates, read from the served store.

YASQE's class and property completers ask Linked Open Vocabularies, on another host, for terms
that may not be in this graph; the page gives them the classes and properties the store uses
instead, read once per app (the store is read-only for the app's life, ``api/derived.py``).
The display prefixes name the entity namespaces under the base (``group:tls``), so a result
table shows short names where it would show whole IRIs.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

from ietfkg.api.pages.links import KINDS
from ietfkg.graph.backends import Backend
from ietfkg.graph.queries import load
from ietfkg.schema.vocab import PREFIXES


def store_terms(backend: Backend) -> dict[str, list[str]]:
    """The IRIs of the classes and of the properties in the store, each list sorted."""
    found: dict[str, set[str]] = {"class": set(), "property": set()}
    for term, kind in backend.select(load("sparql_terms")).rows:
        if isinstance(term, NamedNode):  # not a blank-node class (an OWL restriction, say)
            found[kind.value].add(term.value)
    return {"classes": sorted(found["class"]), "properties": sorted(found["property"])}


def display_prefixes(base: str) -> dict[str, str]:
    """The predeclared prefixes, then one per entity namespace (``group:`` -> ``<base>group/``).

    >>> display_prefixes("https://x.example/")["group"], "ietf" in display_prefixes("https://x.example/")
    ('https://x.example/group/', True)
    """
    entities = {kind: f"{base}{kind}/" for kind in KINDS if kind not in PREFIXES}
    return {**PREFIXES, **entities}
