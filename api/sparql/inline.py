"""Answer a bounded query in the server process, without the hop to a worker.

A worker process exists so that a query can be stopped: pyoxigraph cannot cancel
one. A query whose work is bounded by its own text needs no stopping, and the hop
there and back (two processes woken, the job and its answer copied) is most of
what a point lookup costs. So a query of one shape is answered here, on the event
loop (a hop to a thread costs more than such a lookup), with work capped by a LIMIT:

* a SELECT of plain variables (or ``*``) over **one triple pattern with a fixed
  subject** (an IRI or a prefixed name: a point lookup), its predicate and object
  variables, IRIs, prefixed names, plain literals or integers, no variable twice,
  with an optional ``LIMIT`` and nothing else (no FILTER, OPTIONAL, DISTINCT, ORDER
  BY, OFFSET, paths, subqueries, FROM: ``shape`` says ``None`` to anything else).
  Every match of such a pattern is a row, and Oxigraph reads a fixed subject's
  triples lazily from its subject index (on disk) or the subject's own list (in
  memory), never another subject's: so the work is bounded twice, by the ``LIMIT``
  (under a ``LIMIT`` of *n* it stops after *n* matches) and by the number of
  triples the subject has, whatever the predicate and object say (the graph's
  subjects have at most a few hundred; the README's "Speed" gives the figures). (A
  pattern with a variable subject is not bounded so: with a fixed predicate and
  object Oxigraph reads every match before the first row.);
* run with ``LIMIT most + 1`` (``most``: the row cap or the ``sparql_inline_rows``
  setting, whichever is lower; a larger answer goes to a worker, which also streams it), serialized to SPARQL JSON by Oxigraph itself. If more than
  ``most`` rows came, ``answer`` gives ``None`` and the worker path answers the
  query as before, with the row cap, the ``IETFKG-Truncated`` header and
  streaming. So a result served from here is never cut.

The screen (``api/sparql/analysis.py``) has already refused what must be refused;
this shape holds no keyword the screen would send to the parser.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import orjson
from pyoxigraph import QueryResultsFormat

from ietfkg.api.sparql.analysis import INLINE_QUERY_CHARS, IRIREF, PROLOGUE

_VAR = r"[?$][A-Za-z_][A-Za-z0-9_]*"
_PNAME = r"(?:[A-Za-z][A-Za-z0-9_-]*)?:[A-Za-z0-9_](?:[A-Za-z0-9_-]*)"
_LITERAL = rf"\"[^\"\\\n\r]*\"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^(?:{IRIREF}|{_PNAME}))?|[+-]?[0-9]+"
_TERM = rf"{_VAR}|{IRIREF}|{_PNAME}"
_ONE_PATTERN = re.compile(
    rf"(?P<head>{PROLOGUE}SELECT\s+(?:\*|(?:{_VAR}\s*)+?)\s*(?:WHERE\s*)?\{{\s*"
    rf"(?P<s>{IRIREF}|{_PNAME})\s+(?P<p>{_TERM}|(?-i:a))\s+(?P<o>{_TERM}|{_LITERAL})\s*\.?\s*\}})"
    r"(?:\s*LIMIT\s+(?P<limit>[0-9]+))?\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Shape:
    """A query ``answer`` may run here: its text up to the closing brace, and its own LIMIT."""

    head: str
    limit: int | None

    def limited(self, most: int) -> str:
        """The query, reading at most ``most + 1`` rows (one more, to see whether there were more)."""
        return f"{self.head} LIMIT {min(most + 1, self.limit if self.limit is not None else most + 1)}"


@functools.lru_cache(maxsize=4_096)
def shape(query: str) -> Shape | None:
    """The query's shape if it is a bounded one-pattern SELECT, else ``None``.

    >>> shape("SELECT ?p ?o WHERE { <https://x.example/a> ?p ?o }").limited(10)
    'SELECT ?p ?o WHERE { <https://x.example/a> ?p ?o } LIMIT 11'
    >>> shape("select * { ex:a a ?type } limit 3").limited(10)
    'select * { ex:a a ?type } LIMIT 3'
    >>> shape("SELECT ?s { ?s a ex:Thing }") is None  # every ex:Thing is read before the first row
    True
    >>> shape("SELECT ?x { ex:a ?x ?x }") is None  # a repeated variable filters: it may read everything
    True
    >>> shape("SELECT DISTINCT ?p { ?s ?p ?o }") is None
    True
    """
    if len(query) > INLINE_QUERY_CHARS:
        return None
    match = _ONE_PATTERN.fullmatch(query)
    if match is None:
        return None
    names = [match[t][1:] for t in ("s", "p", "o") if match[t][0] in "?$"]
    if len(set(names)) != len(names):
        return None
    limit = match["limit"]
    return Shape(match["head"], int(limit) if limit is not None else None)


def answer(backend: Any, shaped: Shape, most: int) -> bytes | None:
    """The SPARQL JSON answer if it has at most ``most`` rows, else ``None`` (bounded: reads ``most + 1`` rows at most)."""
    body: bytes = backend.raw_query(shaped.limited(most)).serialize(format=QueryResultsFormat.JSON)
    return body if len(orjson.loads(body)["results"]["bindings"]) <= most else None
