"""Named SPARQL queries, one per ``queries/*.rq`` file, loaded once.

Each file opens with a comment saying what it returns. Values reach a query
only as bound variables (``substitutions``) or as a ``VALUES`` block of terms
pyoxigraph serializes itself (``graph/terms.py``), never as raw text.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from pyoxigraph import NamedNode

from ietfkg.graph.terms import values_block
from ietfkg.schema.vocab import PREFIXES


@cache
def load(name: str) -> str:
    """The text of ``queries/<name>.rq``.

    >>> load("sources").lstrip().startswith("#")
    True
    """
    return (files("ietfkg.graph") / "queries" / f"{name}.rq").read_text("utf-8")


def names() -> list[str]:
    return sorted(p.name.removesuffix(".rq") for p in (files("ietfkg.graph") / "queries").iterdir() if p.name.endswith(".rq"))


def standalone(name: str, node: NamedNode) -> str:
    """The named query as a text a user can paste into /sparql: its PREFIXes, then ``?node`` bound.

    >>> standalone("viz_neighbours", NamedNode("https://x.example/g")).rstrip().splitlines()[-1]
    'VALUES ?node { <https://x.example/g> }'
    """
    return f"{with_prefixes(load(name)).rstrip()}\n{values_block(['node'], [[node]])}\n"


def with_prefixes(text: str) -> str:
    """``text`` with a PREFIX line for each predeclared prefix it uses, so it runs on any endpoint
    (and a SPARQL editor knows the prefixes).

    >>> with_prefixes("SELECT * { ?s a foaf:Person }").splitlines()[0]
    'PREFIX foaf: <http://xmlns.com/foaf/0.1/>'
    """
    used = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if f"{p}:" in text)
    return used + text
