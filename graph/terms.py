"""SPARQL ``VALUES`` blocks from RDF terms, the one way values are written into query text.

Terms are serialized by pyoxigraph itself (``str(NamedNode(iri))``, ``str(Literal(v))``):
it escapes quotes and newlines, and ``NamedNode`` refuses an invalid IRI, so no
request value is ever spliced in as raw text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ietfkg.schema.errors import BadQuery


def values_block(names: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """``VALUES`` over the variables ``names``, one row of terms per item of ``rows``.

    >>> from pyoxigraph import Literal, NamedNode
    >>> values_block(["s"], [[NamedNode("http://x/a")], [NamedNode("http://x/b")]])
    'VALUES ?s { <http://x/a> <http://x/b> }'
    >>> values_block(["s", "q"], [[NamedNode("http://x/a"), Literal('say "hi"')]])
    'VALUES (?s ?q) { (<http://x/a> "say \\\\"hi\\\\"") }'
    """
    if not all(name.isidentifier() for name in names):
        raise BadQuery("binding names must be plain variable names")
    if len(names) == 1:
        return f"VALUES ?{names[0]} {{ " + " ".join(str(row[0]) for row in rows) + " }"
    cells = " ".join("(" + " ".join(str(term) for term in row) + ")" for row in rows)
    return "VALUES (" + " ".join(f"?{name}" for name in names) + f") {{ {cells} }}"


def fill_values(query: str, var: str, terms: Iterable[Any]) -> str:
    """Fill the ``VALUES ?var { UNDEF }`` slot of a named query with terms.

    >>> from pyoxigraph import NamedNode
    >>> fill_values("SELECT * { VALUES ?s { UNDEF } ?s ?p ?o }", "s", [NamedNode("https://x.example/a")])
    'SELECT * { VALUES ?s { <https://x.example/a> } ?s ?p ?o }'
    """
    slot = "VALUES ?" + var + " { UNDEF }"
    if slot not in query:
        raise ValueError(f"query has no {slot!r} slot")
    return query.replace(slot, values_block([var], ([t] for t in terms)), 1)


_WHERE_BRACE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind_values(query: str, bindings: Mapping[str, Any] | None) -> str:
    """Put bound values first in the WHERE group, so the store joins from them.

    A trailing VALUES clause would be joined only after the whole pattern was
    evaluated; inside the group it drives the evaluation, like pyoxigraph's
    ``substitutions``. Used for our own named queries, which all have a WHERE.

    >>> from pyoxigraph import NamedNode
    >>> bind_values("SELECT ?o WHERE { ?s ?p ?o }", {"s": NamedNode("http://x/a")})
    'SELECT ?o WHERE { VALUES ?s { <http://x/a> } ?s ?p ?o }'
    """
    if not bindings:
        return query
    block = values_block(list(bindings), [list(bindings.values())])
    match = _WHERE_BRACE.search(query) or re.search(r"\{", query)
    if match is None:
        raise BadQuery("cannot bind values: the query has no group pattern")
    return f"{query[: match.end()]} {block}{query[match.end() :]}"
