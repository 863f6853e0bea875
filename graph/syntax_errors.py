"""A SPARQL syntax error said plainly: where it is, the word found there and what was expected.

The two parsers a query meets report errors in their own ways. Oxigraph says ``error at 3:18:
expected one of ABS, AVG, …`` (with character classes such as ``['0'..='9']`` and, for a prefixed
name nobody declared, ``Prefix not found`` among them); rdflib's pyparsing says ``Expected
{SelectQuery | ConstructQuery | …}, found 'SELEC' (at char 0), (line:1, col:1)``. Both become
one message, ``SPARQL syntax error at line L, column C: …``, naming the word found (or the end
of the query), the unknown prefix, or the query forms a query must start with.
"""

from __future__ import annotations

import re

from ietfkg.schema.errors import BadQuery

_OXIGRAPH = re.compile(r"error at (\d+):(\d+): expected (?:one of )?(.*)", re.DOTALL)
_PNAME_BEFORE = re.compile(r"((?:[A-Za-z][\w.-]*)?):[\w.:%\\-]*$")
_WORD = re.compile(r"[^\s{}()\[\];,]+|\S")
_FORMS = ("SelectQuery", "ConstructQuery", "DescribeQuery", "AskQuery")
MAX_EXPECTED = 12


def _offset(query: str, line: int, column: int) -> int:
    """The character offset of a 1-based line and column."""
    lines = query.splitlines(keepends=True)
    return sum(len(text) for text in lines[: line - 1]) + column - 1


def _found(query: str, offset: int) -> str:
    match = _WORD.match(query, offset)
    return "end of query" if match is None or offset >= len(query) else repr(match.group())


def _error(line: int, column: int, what: str) -> BadQuery:
    return BadQuery(f"SPARQL syntax error at line {line}, column {column}: {what}")


def _expected(items: list[str]) -> str:
    """Keywords and punctuation the parser wanted (its character classes say nothing to a user)."""
    kept = [item for item in items if item and not item.startswith("[")]
    if not kept:
        return ""
    shown = ", ".join(kept[:MAX_EXPECTED]) + (", …" if len(kept) > MAX_EXPECTED else "")
    return f"; expected {shown}"


def oxigraph_error(query: str, message: str) -> BadQuery:
    """Oxigraph's ``SyntaxError`` message for ``query``, said plainly.

    >>> oxigraph_error("SELECT * WHERE { ?s foo:bar ?o }", "error at 1:28: expected one of Prefix not found, [':']").message
    'SPARQL syntax error at line 1, column 21: unknown prefix foo in foo:bar; declare it: PREFIX foo: <…>'
    >>> print(oxigraph_error("ASK {\\n  ?s ?p }", 'error at 2:9: expected one of "{", [_]').message)
    SPARQL syntax error at line 2, column 9: unexpected '}'; expected "{"
    """
    match = _OXIGRAPH.match(message)
    if match is None:
        return BadQuery(f"SPARQL syntax error: {message}")
    line, column, expected = int(match.group(1)), int(match.group(2)), match.group(3)
    offset = _offset(query, line, column)
    if "Prefix not found" in expected:
        pname = _PNAME_BEFORE.search(query[:offset])
        if pname is not None:
            prefix, start = pname.group(1), pname.start()
            column -= offset - start
            name = prefix or "(the empty one)"
            return _error(line, column, f"unknown prefix {name} in {pname.group()}; declare it: PREFIX {prefix}: <…>")
    items = [item.strip() for item in re.split(r",\s(?![^\[]*\])", expected)]
    return _error(line, column, f"unexpected {_found(query, offset)}{_expected(items)}")


def pyparsing_error(query: str, lineno: int, col: int, loc: int, msg: str) -> BadQuery:
    """rdflib's parse error (a pyparsing ``ParseException``'s fields), said plainly.

    >>> pyparsing_error("SELEC * {}", 1, 1, 0, "Expected {SelectQuery | ConstructQuery | DescribeQuery | AskQuery}").message
    "SPARQL syntax error at line 1, column 1: unexpected 'SELEC'; a query is SELECT, CONSTRUCT, DESCRIBE or ASK (after any PREFIX and BASE)"
    """
    found = _found(query, loc)
    if all(form in msg for form in _FORMS):
        forms = "a query is SELECT, CONSTRUCT, DESCRIBE or ASK (after any PREFIX and BASE)"
        return _error(lineno, col, f"unexpected {found}; {forms}")
    if "end of text" in msg.removeprefix("Expected "):
        return _error(lineno, col, f"unexpected {found}; expected the end of the query")
    return _error(lineno, col, f"unexpected {found}")
