"""Answer a bounded query in the server process, without the hop to a worker.

A worker process exists so that a query can be stopped: pyoxigraph cannot cancel
one. A query whose work is bounded by its own text needs no stopping, and the hop
there and back (two processes woken, the job and its answer copied) is most of
what a point lookup costs. So a query of one shape is answered here, on the event
loop (a hop to a thread costs more than such a lookup), with work capped:

* a SELECT of plain variables (or ``*``) over **one triple pattern with a fixed
  subject** (an IRI or a prefixed name: a point lookup), its predicate and object
  variables, IRIs, prefixed names, plain literals or integers, no variable twice,
  with an optional ``LIMIT`` and nothing else (no FILTER, OPTIONAL, DISTINCT, ORDER
  BY, OFFSET, paths, subqueries, FROM: ``shape`` says ``None`` to anything else).
  Every match of such a pattern is a row, and a fixed subject's triples are read
  from its own index entries, never another subject's: so the work is bounded
  twice, by the rows read (at most ``most + 1``, below) and by the number of
  triples the subject has, whatever the predicate and object say (the graph's
  subjects have at most a few hundred). (A pattern with a variable subject is not
  bounded so: with a fixed predicate and object Oxigraph reads every match before
  the first row.);
* when the pattern holds only IRIs and variables and the store records its
  default graph (``graph/dataset.py``: disjoint parts, so each triple once), the
  rows are the subject's quads in each part, read with ``quads_for_pattern`` in
  the order the parts are listed: what Oxigraph's own evaluation of the query on
  that default graph reads, in the same order, without parsing and planning a
  query. Anything else (a literal, whose lexical form Oxigraph's parser may
  normalize; ``BASE``; an older store) runs as the query itself under a LIMIT;
* at most ``most + 1`` rows are read (``most``: the row cap or the
  ``sparql_inline_rows`` setting, whichever is lower), counted before anything is
  written. Past the row cap the answer is cut there and says so, as a worker's
  would (``IETFKG-Truncated``, and ``"truncated": true`` in JSON); past
  ``sparql_inline_rows`` (or for a format without a cap: CSV, TSV, downloads)
  ``answer`` gives ``None`` and a worker answers the query, streaming it;
* the rows are written by the writer the workers use (``graph/result_writers.py``),
  so the bytes are the same in every result format.

The screen (``api/sparql/analysis.py``) has already refused what must be refused;
this shape holds no keyword the screen would send to the parser.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
from dataclasses import dataclass
from typing import Any

from pyoxigraph import NamedNode

from ietfkg.api.sparql.analysis import INLINE_QUERY_CHARS, IRIREF, PROLOGUE
from ietfkg.graph.exports import Format
from ietfkg.graph.oxigraph_backend import OxigraphBackend
from ietfkg.graph.result_writers import write_rows
from ietfkg.schema.vocab import PREFIXES, RDF

_VAR = r"[?$][A-Za-z_][A-Za-z0-9_]*"
_PNAME = r"(?:[A-Za-z][A-Za-z0-9_-]*)?:[A-Za-z0-9_](?:[A-Za-z0-9_-]*)"
_LITERAL = rf"\"[^\"\\\n\r]*\"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^(?:{IRIREF}|{_PNAME}))?|[+-]?[0-9]+"
_TERM = rf"{_VAR}|{IRIREF}|{_PNAME}"
_ONE_PATTERN = re.compile(
    rf"(?P<head>(?P<prologue>{PROLOGUE})SELECT\s+(?P<vars>\*|(?:{_VAR}\s*)+?)\s*(?:WHERE\s*)?\{{\s*"
    rf"(?P<s>{IRIREF}|{_PNAME})\s+(?P<p>{_TERM}|(?-i:a))\s+(?P<o>{_TERM}|{_LITERAL})\s*\.?\s*\}})"
    r"(?:\s*LIMIT\s+(?P<limit>[0-9]+))?\s*",
    re.IGNORECASE,
)
# One declaration (or blank, or comment) of a prologue the pattern above has matched whole.
_DECLARATION = re.compile(
    rf"\s+|\#[^\n\r]*|(?P<base>BASE)\s*{IRIREF}|PREFIX\s*(?P<prefix>(?:[A-Za-z][\w.-]*)?):\s*(?P<iri>{IRIREF})",
    re.IGNORECASE,
)
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True, slots=True)
class Shape:
    """A query ``answer`` may run here: its text up to the closing brace, its own LIMIT and, when
    the store can be read directly, the pattern's terms (``None`` for a variable) and its columns."""

    head: str
    limit: int | None
    pattern: tuple[NamedNode | None, NamedNode | None, NamedNode | None] | None = None
    names: tuple[str, ...] = ()  # the projected variables, in order
    columns: tuple[int | None, ...] = ()  # for each: 1 predicate, 2 object, None unbound

    def limited(self, most: int) -> str:
        """The query, reading at most ``most + 1`` rows (one more, to see whether there were more)."""
        return f"{self.head} LIMIT {self.reads(most)}"

    def reads(self, most: int) -> int:
        """How many rows to read: ``most + 1``, or fewer if the query's own LIMIT says so."""
        return min(most + 1, self.limit if self.limit is not None else most + 1)


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
    >>> shape("PREFIX ex: <https://x.example/> SELECT ?o { ex:a a ?o }").pattern[1].value
    'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'
    >>> shape('SELECT ?p { <https://x.example/a> ?p "x" }').pattern is None  # a literal: run as a query
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
    shaped = Shape(match["head"], int(limit) if limit is not None else None)
    return _direct(shaped, match) or shaped


def _direct(shaped: Shape, match: re.Match[str]) -> Shape | None:
    """The shape with its pattern resolved to terms, or ``None`` when only the query engine should read it."""
    prefixes = _prologue_prefixes(match["prologue"])
    if prefixes is None:
        return None
    pattern: list[NamedNode | None] = []
    variables: dict[str, int] = {}
    for position, text in enumerate((match["s"], match["p"], match["o"])):
        if text[0] in "?$":
            variables[text[1:]] = position
            pattern.append(None)
            continue
        term = _named_node(text, prefixes)
        if term is None:
            return None
        pattern.append(term)
    projected = match["vars"]
    if projected == "*":
        names = tuple(sorted(variables))  # Oxigraph lists the variables of ``*`` by name
    else:
        names = tuple(v[1:] for v in projected.split())
        if len(set(names)) != len(names):
            return None  # a column twice: let the engine judge it
    columns = tuple(variables.get(name) for name in names)
    return Shape(shaped.head, shaped.limit, (pattern[0], pattern[1], pattern[2]), names, columns)


def _prologue_prefixes(prologue: str) -> dict[str, str] | None:
    """The prefixes a query may use (the predeclared ones, then its own), or ``None`` if it sets a BASE."""
    prefixes = dict(PREFIXES)
    position = 0
    while position < len(prologue):
        declaration = _DECLARATION.match(prologue, position)
        assert declaration is not None, "the prologue was matched whole"
        if declaration["base"]:
            return None
        if declaration["iri"]:
            prefixes[declaration["prefix"]] = declaration["iri"][1:-1]
        position = declaration.end()
    return prefixes


def _named_node(text: str, prefixes: dict[str, str]) -> NamedNode | None:
    """The IRI a pattern's constant names, or ``None``: a literal, a relative IRI, an unknown prefix."""
    if text == "a":
        return RDF.type
    if text.startswith("<"):
        iri = text[1:-1]
    elif text[0] == '"' or text[0] in "+-0123456789":
        return None
    else:
        prefix, _, local = text.partition(":")
        if prefix not in prefixes:
            return None  # the engine answers bad_query
        iri = prefixes[prefix] + local
    if not _ABSOLUTE.match(iri):
        return None
    try:
        return NamedNode(iri)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Answer:
    body: bytes
    count: int  # rows written
    truncated: bool  # the row cap cut it


def answer(backend: Any, shaped: Shape, fmt: Format, cap: int | None, most: int) -> Answer | None:
    """The answer in ``fmt`` under the row cap ``cap`` (``None``: every row), if it has at most
    ``most`` rows or the cap cuts it first; else ``None`` (bounded: reads ``most + 1`` rows at most)."""
    bound = cap if cap is not None and cap <= most else most  # past it: cut here (the cap) or a worker
    names, rows = _rows(backend, shaped, shaped.reads(bound))
    if len(rows) > bound and bound != cap:
        return None
    out = io.BytesIO()
    written = write_rows(names, rows, fmt, out, cap)
    return Answer(out.getvalue(), written.count, written.truncated)


def _rows(backend: Any, shaped: Shape, reads: int) -> tuple[list[str], list[Any]]:
    """The projected variables and at most ``reads`` rows, from the store's default graph."""
    record = backend.default if isinstance(backend, OxigraphBackend) else None
    if shaped.pattern is not None and record is not None:
        s, p, o = shaped.pattern
        quads = itertools.chain.from_iterable(backend.store.quads_for_pattern(s, p, o, g) for g in record.parts)
        columns = shaped.columns
        rows = [
            tuple(None if c is None else (quad.predicate if c == 1 else quad.object) for c in columns)
            for quad in itertools.islice(quads, reads)
        ]
        return list(shaped.names), rows
    result = backend.raw_query(f"{shaped.head} LIMIT {reads}")
    return [v.value for v in result.variables], list(result)
