"""Named SPARQL queries, one per ``queries/*.rq`` file, loaded once.

Each file opens with a comment saying what it returns. Values reach a query
only as bound variables (``substitutions``) or as a ``VALUES`` block of terms
pyoxigraph serializes itself (``graph/terms.py``), never as raw text.
"""

from __future__ import annotations

import re
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


_WHERE = re.compile(r"\bWHERE\s*\{")


def standalone(name: str, node: NamedNode) -> str:
    """The named query as a text a user can paste into /sparql: its PREFIXes, and ``?node`` bound
    first thing in its WHERE. (A ``VALUES`` after the query would join after the grouping, so the
    engine would first work out every entity's answer.)

    >>> text = standalone("viz_neighbours", NamedNode("https://x.example/g"))
    >>> text.split("WHERE {", 1)[1].splitlines()[1]
    '  VALUES ?node { <https://x.example/g> }'
    """
    text = with_prefixes(load(name))
    where = _WHERE.search(text)
    if where is None:
        raise ValueError(f"queries/{name}.rq has no WHERE {{ to bind ?node in")
    return f"{text[:where.end()]}\n  {values_block(['node'], [[node]])}{text[where.end():]}"


def with_prefixes(text: str) -> str:
    """``text`` with a PREFIX line for each predeclared prefix it uses, so it runs on any endpoint
    (and a SPARQL editor knows the prefixes).

    >>> with_prefixes("SELECT * { ?s a foaf:Person }").splitlines()[0]
    'PREFIX foaf: <http://xmlns.com/foaf/0.1/>'
    """
    used = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if f"{p}:" in text)
    return used + text


_VALUES = re.compile(r"VALUES\s+\?(\w+)\s*\{([^}]*)\}")
_OPENS_MINUS = re.compile(r"MINUS\s*\{\s*$")
_TERM = re.compile(r"<([^>]*)>|(\w+):(\w[\w-]*)")


def values_lists(name: str) -> dict[str, set[str]]:
    """The IRIs each one-variable ``VALUES`` list of ``queries/<name>.rq`` holds, by variable
    (prefixed names expanded), so the vocabulary table can be checked against the files. A list
    that opens a ``MINUS`` says what the query leaves out, not what it follows, and is not one.

    >>> sorted(values_lists("home_counts")["class"])[0]
    'http://xmlns.com/foaf/0.1/Person'
    """
    found: dict[str, set[str]] = {}
    text = load(name)
    for match in _VALUES.finditer(text):
        if _OPENS_MINUS.search(text, 0, match.start()):
            continue
        var, body = match.groups()
        terms = {iri or PREFIXES[prefix] + local for iri, prefix, local in _TERM.findall(body)}
        if terms:
            found.setdefault(var, set()).update(terms)
    return found
