"""Look at a SPARQL query before it runs: its form, whether it names its own dataset,
and whether a public read-only endpoint must refuse it (Update, ``SERVICE``).

Two ways to get there, both on the event loop for short queries:

* ``screen(query)``: a few microseconds, for the plain queries most users send. It
  answers only when the text cannot hide anything to refuse: no backslash (SPARQL
  unescapes ``\\u`` codepoints before parsing, and ``\\'`` may sit inside a
  prefixed name), and none of the words that start ``SERVICE``, ``FROM`` or an
  Update appear *anywhere* in it, in any case, even inside IRIs, strings or
  comments. The form is then the keyword right after the prologue (``BASE`` /
  ``PREFIX`` declarations and comments), matched with the exact token grammar.
  Anything else returns ``None``.
* ``analyse(query)``: rdflib's full SPARQL parser (about a millisecond per query,
  so short queries are cached by text), for everything the screen declines.

A syntax error the screen lets through is caught by Oxigraph in the worker and
answered as the same ``bad_query``.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from ietfkg.graph.syntax_errors import pyparsing_error
from ietfkg.schema.errors import BadQuery, Forbidden, LimitExceeded

MAX_QUERY_CHARS = 100_000
INLINE_QUERY_CHARS = 4_096  # shorter queries: analysis cached and run on the event loop


@dataclass(frozen=True, slots=True)
class Analysis:
    form: str  # select | ask | construct | describe
    uses_from: bool

    @property
    def kind(self) -> str:
        return "results" if self.form in ("select", "ask") else "rdf"


# -- the screen -------------------------------------------------------------------
# Words whose presence sends a query to the full parser: SERVICE, FROM (a dataset
# clause changes how the query runs) and every Update operation.
_NEEDS_PARSER = re.compile(
    r"\\|service|from|insert|delete|load|clear|create|drop|copy|move|add|with|using", re.IGNORECASE
)
_BLANK = re.compile(r"(?:\s+|\#[^\n\r]*)*")  # whitespace and comments only: an empty query
IRIREF = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_PNAME_NS = r"(?:[A-Za-z][\w.-]*)?:"
PROLOGUE = rf"(?:\s+|\#[^\n\r]*|BASE\s*{IRIREF}|PREFIX\s*{_PNAME_NS}\s*{IRIREF})*"  # declarations, comments
_PROLOGUE_THEN_FORM = re.compile(rf"{PROLOGUE}(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:-])", re.IGNORECASE)


def screen(query: str) -> Analysis | None:
    """The analysis of a plain query, or ``None`` when only the full parser may judge it.

    >>> screen("PREFIX ex: <http://ex.org/#> # a comment\\nselect * { ?s ex:p ?o }")
    Analysis(form='select', uses_from=False)
    >>> screen("SELECT * { SERVICE <http://127.0.0.1/> { ?s ?p ?o } }") is None
    True
    >>> screen("PREFIX select: <http://x/> ASK { ?s select:p ?o }")
    Analysis(form='ask', uses_from=False)
    """
    if len(query) > INLINE_QUERY_CHARS or _NEEDS_PARSER.search(query):
        return None
    match = _PROLOGUE_THEN_FORM.match(query)
    return Analysis(match.group(1).lower(), False) if match else None


# -- the full parser --------------------------------------------------------------
_PARSER_LOCK = threading.RLock()  # pyparsing's packrat cache is shared state


def _names(node: Any) -> set[str]:
    """Names of every grammar rule in an rdflib parse tree."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            found.add(item.name)
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or hasattr(item, "asList"):
            stack.extend(item)
    return found


def analyse(query: str) -> Analysis:
    """The form of a read-only query; refuses updates and SERVICE (blocking: call in a thread).

    >>> analyse("SELECT * { ?s ?p ?o }")
    Analysis(form='select', uses_from=False)
    >>> analyse("DELETE WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    ietfkg.schema.errors.Forbidden: this endpoint is read-only: SPARQL Update is refused
    """
    if len(query) > MAX_QUERY_CHARS:
        raise LimitExceeded(f"query longer than {MAX_QUERY_CHARS:,} characters")
    if _BLANK.fullmatch(query):
        raise BadQuery("empty query: give a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    with _PARSER_LOCK:
        try:
            tree = parseQuery(query)
        except ParseBaseException as exc:
            if _is_update(query):
                raise Forbidden("this endpoint is read-only: SPARQL Update is refused") from None
            raise pyparsing_error(query, exc.lineno, exc.col, exc.loc, exc.msg) from None
    names = _names(tree)
    if "ServiceGraphPattern" in names:
        raise Forbidden("SERVICE is refused: this endpoint never fetches other URLs")
    form = tree[1].name.removesuffix("Query").lower()
    return Analysis(form, "DatasetClause" in names)


def _is_update(query: str) -> bool:
    """The text parses as an Update with at least one operation (a bare prologue is no update)."""
    try:
        return bool(parseUpdate(query).get("request"))
    except ParseBaseException:
        return False


_analyse_short = functools.lru_cache(maxsize=4_096)(analyse)  # keys at most INLINE_QUERY_CHARS long
_screen_short = functools.lru_cache(maxsize=4_096)(screen)  # a client repeats its queries: scan each text once


async def analysis_of(query: str) -> Analysis:
    """The screen's answer, else ``analyse(query)``: short queries cached on the event loop, unless the parser is busy."""
    screened = _screen_short(query) if len(query) <= INLINE_QUERY_CHARS else None
    if screened is not None:
        return screened
    if len(query) <= INLINE_QUERY_CHARS and _PARSER_LOCK.acquire(blocking=False):
        try:
            return _analyse_short(query)
        finally:
            _PARSER_LOCK.release()
    return await anyio.to_thread.run_sync(analyse, query)
