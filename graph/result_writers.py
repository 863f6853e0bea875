"""The writer of every query result format (``graph/exports.py`` names them), with a row (or triple) cap.

pyoxigraph serializes a whole ``QuerySolutions`` at once and cannot stop after
*n* rows, so SELECT results are written here, row by row, in the four SPARQL 1.1
result formats (JSON, XML, CSV, TSV), chosen by the format's name. Graph results
(CONSTRUCT/DESCRIBE) and ASK go through pyoxigraph's own serializers, fed a
capped iterator. Every writer
takes a binary file-like ``out`` (anything with ``write(bytes)``), so the caller
decides whether bytes go to a file, a buffer or a pipe.

>>> import io
>>> from pyoxigraph import Store
>>> from ietfkg.graph.exports import get
>>> out = io.BytesIO()
>>> write_results(Store().query("SELECT ?x { VALUES ?x { 1 2 3 } }"), get("csv", "results"), out, max_rows=2)
Written(count=2, truncated=True)
>>> out.getvalue()
b'x\\r\\n1\\r\\n2\\r\\n'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

import orjson
from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, Triple
from pyoxigraph import serialize as serialize_rdf

from ietfkg.graph.exports import Format, rdf_prefixes
from ietfkg.schema.vocab import RDF, XSD

_XSD_STRING = XSD.string.value
_LANG_STRING = RDF.langString.value


@dataclass(frozen=True, slots=True)
class Written:
    count: int  # rows or triples written
    truncated: bool  # True when the cap cut the result


def write_results(result: Any, fmt: Format, out: IO[bytes], max_rows: int | None) -> Written:
    """Write a pyoxigraph query result (solutions, boolean or triples) capped at ``max_rows``."""
    if isinstance(result, QueryBoolean):
        out.write(result.serialize(format=fmt.native))
        return Written(1, False)
    if fmt.kind != "rdf":
        return write_rows([v.value for v in result.variables], result, fmt, out, max_rows)
    counted = _Capped(result, max_rows)
    serialize_rdf(counted, out, fmt.native, prefixes=rdf_prefixes(fmt.native))
    return Written(counted.count, counted.truncated)


def write_rows(names: list[str], rows: Iterable[Any], fmt: Format, out: IO[bytes], max_rows: int | None) -> Written:
    """Write SELECT rows (each a pyoxigraph solution or a tuple of terms and ``None``, in ``names``'
    order) in the result format ``fmt``, capped at ``max_rows``: the one writer of every SELECT answer,
    so one read from the store directly (``api/sparql/inline.py``) is written byte for byte alike.

    >>> from ietfkg.graph.exports import get
    >>> out = io.BytesIO()
    >>> write_rows(["x", "y"], [(NamedNode("https://x.example/a"), None)], get("tsv", "results"), out, None)
    Written(count=1, truncated=False)
    >>> out.getvalue()
    b'?x\\t?y\\n<https://x.example/a>\\t\\n'
    """
    counted = _Capped(rows, max_rows)
    _SOLUTION_WRITERS[fmt.name](names, counted, out)
    return Written(counted.count, counted.truncated)


class _Capped:
    """Iterate at most ``cap`` items, remembering whether more were left."""

    def __init__(self, items: Iterable[Any], cap: int | None) -> None:
        self._items, self._cap = iter(items), cap
        self.count, self.truncated = 0, False

    @property
    def bounded(self) -> bool:
        return self._cap is not None

    def __iter__(self) -> Iterator[Any]:
        for item in self._items:
            if self._cap is not None and self.count >= self._cap:
                self.truncated = True
                return
            self.count += 1
            yield item


# -- SPARQL 1.1 Query Results JSON ----------------------------------------------
# Each term becomes a small dict and orjson encodes a batch of rows in one call: escaping
# term by term in Python (``json``'s escaper, or ``json.dumps`` per term) was most of the
# cost of writing a short answer.
_BATCH = 512  # rows per orjson call: a streamed answer goes out in pieces of about this many


def _json_term(term: Any) -> dict[str, Any]:
    kind = type(term)
    if kind is NamedNode:
        return {"type": "uri", "value": term.value}
    if kind is Literal:
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return {"type": "literal", "value": term.value}
        return {"type": "literal", "value": term.value, "datatype": datatype}
    if kind is BlankNode:
        return {"type": "bnode", "value": term.value}
    if kind is Triple:
        parts = {p: _json_term(getattr(term, p)) for p in ("subject", "predicate", "object")}
        return {"type": "triple", "value": parts}
    raise TypeError(f"not an RDF term: {term!r}")


def _write_json(names: list[str], rows: Iterable[Any], out: IO[bytes]) -> None:
    head = b'{"head":{"vars":' + orjson.dumps(names) + b"}"
    if not getattr(rows, "bounded", False):
        out.write(head + b',"results":{"bindings":[')
        _write_bindings(names, rows, out)
        out.write(b"]}}")
        return
    # An extra top-level member (allowed by the format) says when the row cap cut the result. It goes
    # before "results", where streaming parsers (pyoxigraph's) accept it, so a capped result (at most
    # the cap's rows) is gathered first.
    bindings = io.BytesIO()
    _write_bindings(names, rows, bindings)
    cut = b',"truncated":true' if getattr(rows, "truncated", False) else b""
    out.write(head + cut + b',"results":{"bindings":[' + bindings.getvalue() + b"]}}")


def _write_bindings(names: list[str], rows: Iterable[Any], out: IO[bytes]) -> None:
    batch: list[dict[str, Any]] = []
    separator = b""
    for solution in rows:
        batch.append({name: _json_term(value) for name, value in zip(names, solution) if value is not None})
        if len(batch) == _BATCH:
            out.write(separator + orjson.dumps(batch)[1:-1])
            batch.clear()
            separator = b","
    if batch:
        out.write(separator + orjson.dumps(batch)[1:-1])


# -- SPARQL Query Results XML ---------------------------------------------------
def _xml_term(term: Any) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value not in (_XSD_STRING, _LANG_STRING):
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, Triple):
        parts = ("subject", "predicate", "object")
        return "<triple>" + "".join(f"<{p}>{_xml_term(getattr(term, p))}</{p}>" for p in parts) + "</triple>"
    raise TypeError(f"not an RDF term: {term!r}")


def _write_xml(names: list[str], rows: Iterable[Any], out: IO[bytes]) -> None:
    head = "".join(f"<variable name={quoteattr(n)}/>" for n in names)
    out.write(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        + f"<head>{head}</head><results>".encode()
    )
    for solution in rows:
        cells = "".join(
            f"<binding name={quoteattr(n)}>{_xml_term(value)}</binding>"
            for n, value in zip(names, solution)
            if value is not None
        )
        out.write(f"<result>{cells}</result>".encode())
    out.write(b"</results></sparql>\n")


# -- SPARQL 1.1 CSV and TSV -----------------------------------------------------
def _csv_value(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return "_:" + term.value
    if isinstance(term, Triple):
        return str(term)
    return term.value


def _write_csv(names: list[str], rows: Iterable[Any], out: IO[bytes]) -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(names)
    for solution in rows:
        writer.writerow([_csv_value(value) for value in solution])
        if text.tell() > 8192:
            out.write(text.getvalue().encode())
            text.seek(0)
            text.truncate()
    out.write(text.getvalue().encode())


def _write_tsv(names: list[str], rows: Iterable[Any], out: IO[bytes]) -> None:
    out.write(("\t".join("?" + n for n in names) + "\n").encode())
    for solution in rows:
        # str(term) is the N-Triples form, which escapes tabs and newlines.
        out.write(("\t".join("" if value is None else str(value) for value in solution) + "\n").encode())


_SOLUTION_WRITERS: dict[str, Callable[[list[str], Iterable[Any], IO[bytes]], None]] = {
    "json": _write_json,
    "xml": _write_xml,
    "csv": _write_csv,
    "tsv": _write_tsv,
}
