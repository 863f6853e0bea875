"""The ``Backend`` protocol and a registry of backends chosen by name.

Like rdflib's plugin registry: ``register(name, module, class)`` records where a
backend lives and ``get(name)`` imports it on first use, so optional backends
cost nothing until asked for. Settings and the CLI pass names, never classes.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Mapping
from itertools import islice
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pyoxigraph import Quad, QueryBoolean, QuerySolutions, Variable

from ietfkg.schema.errors import BadQuery, StoreMissing, UnknownBackend

if TYPE_CHECKING:
    from ietfkg.graph.dataset import DefaultGraphRecord


@dataclass(frozen=True, slots=True)
class Rows:
    """Materialized SELECT result: variable names, rows of terms (or None), truncation flag."""

    variables: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    truncated: bool = False


class Backend(Protocol):
    """What the rest of the code needs from an RDF store (reads see the union graph)."""

    def select(
        self, query: str, bindings: Mapping[str, Any] | None = None, limit: int | None = None
    ) -> Rows: ...

    def select_strings(
        self, query: str, bindings: Mapping[str, Any] | None = None, limit: int | None = None
    ) -> Rows:
        """Like ``select``, for bulk reads: each cell is a term written as text (``None`` if unbound),
        as the SPARQL TSV results format writes it (``<iri>``, ``"text"@en``, ``"2024-01"^^<dt>``,
        ``_:b0``, or a bare number or boolean). The store serializes the whole result at once, so no
        Python term object is built per cell; ``cell_value`` and ``cell_language`` read the cells."""
        ...

    def ask(self, query: str, bindings: Mapping[str, Any] | None = None) -> bool: ...

    def raw_query(self, query: str, **options: Any) -> Any: ...

    def extend(self, quads: Iterable[Quad]) -> None: ...

    def dump(self, rdf_format: Any, graph: Any | None = None) -> bytes: ...

    def named_graphs(self) -> list[str]: ...

    def default_graph(self) -> DefaultGraphRecord | None:
        """The record of the default graph's parts and source graphs, if the store has one."""
        ...

    def close(self) -> None: ...


class SelectAndAsk:
    """``select`` and ``ask`` over a backend's ``raw_query``: one implementation for every backend."""

    def raw_query(self, query: str, **options: Any) -> Any:
        raise NotImplementedError

    def select(self, query: str, bindings: Mapping[str, Any] | None = None, limit: int | None = None) -> Rows:
        return solution_rows(self.raw_query(query, substitutions=variables(bindings)), limit)

    def ask(self, query: str, bindings: Mapping[str, Any] | None = None) -> bool:
        result = self.raw_query(query, substitutions=variables(bindings))
        if not isinstance(result, QueryBoolean):
            raise BadQuery("expected an ASK query")
        return bool(result)


def solution_rows(result: Any, limit: int | None, cut: bool = False) -> Rows:
    """``Rows`` of a SELECT result, at most ``limit``; ``cut``: the store already cut the result."""
    if not isinstance(result, QuerySolutions):
        raise BadQuery("expected a SELECT query")
    names = tuple(v.value for v in result.variables)
    taken = list(islice(result, limit + 1 if limit is not None else None))
    truncated = cut or (limit is not None and len(taken) > limit)
    rows = [tuple(solution) for solution in taken[:limit]]  # in variable order: by name is slower
    return Rows(names, rows, truncated)


_BACKENDS: dict[str, tuple[str, str]] = {}


def register(name: str, module: str, cls: str) -> None:
    _BACKENDS[name] = (module, cls)


def known() -> list[str]:
    return sorted(_BACKENDS)


def get(name: str) -> type:
    if name not in _BACKENDS:
        raise UnknownBackend(name, known())
    module, cls = _BACKENDS[name]
    return getattr(importlib.import_module(module), cls)


def open_backend(name: str, path: Path | None, read_only: bool = True) -> Backend:
    """Open a backend by name on a store directory (``None`` = empty, in memory)."""
    return get(name).open(path, read_only=read_only)


def is_remote(spec: str) -> bool:
    """A ``--store`` value naming a SPARQL server rather than a directory."""
    return spec.startswith(("sparql+http://", "sparql+https://"))


def current_build(spec: str) -> Path | None:
    """The directory of the build being served from a local store, or None if none is built."""
    from ietfkg.graph.store_dir import StoreDir

    return StoreDir(Path(spec)).current()


def open_store(spec: str, backend: str = "oxigraph") -> Backend:
    """Open what ``--store`` names: a remote SPARQL server, or the current build of a store directory."""
    if is_remote(spec):
        return get("sparql").open(spec)
    build = current_build(spec)
    if build is None:
        raise StoreMissing(f"no built store in {spec}; run `ietfkg build --store {spec}`")
    return open_backend(backend, build)


def tsv_rows(text: str, limit: int | None = None) -> Rows:
    r"""``Rows`` of text cells from a SPARQL TSV result (see ``Backend.select_strings``).

    >>> tsv_rows('?s\t?n\n<http://x/a>\t8446\n<http://x/b>\t\n')
    Rows(variables=('s', 'n'), rows=[('<http://x/a>', '8446'), ('<http://x/b>', None)], truncated=False)
    """
    # Empty cells are unbound variables; most rows have none, so only those rows are rebuilt.
    lines = text.split("\n")
    if lines[-1] == "":  # every line, the header included, ends with a newline
        lines.pop()
    names = tuple(name.removeprefix("?") for name in lines[0].split("\t")) if lines and lines[0] else ()
    body = lines[1:]
    truncated = limit is not None and len(body) > limit
    if truncated:
        body = body[:limit]
    rows = [tuple(line.split("\t")) for line in body]
    for i, row in enumerate(rows):
        if "" in row:
            rows[i] = tuple(cell or None for cell in row)
    return Rows(names, rows, truncated)


_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1) or match.group(2)
    return chr(int(code, 16)) if code else _ESCAPES.get(match.group(3), match.group(3))


def _literal_end(cell: str) -> int:
    return cell.rindex(cell[0])  # a lang tag or datatype IRI never holds a quote


def cell_value(cell: str) -> str:
    r"""The value of a text cell: an IRI without brackets, a literal's unescaped text, a blank node id.

    >>> cell_value("<https://x.example/a>"), cell_value('"a\\tb \\"c\\""@en'), cell_value("8446")
    ('https://x.example/a', 'a\tb "c"', '8446')
    >>> cell_value('"2024-01"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'), cell_value("_:b0")
    ('2024-01', 'b0')
    """
    first = cell[0]
    if first == "<":
        return cell[1:-1]
    if first == '"' or first == "'":
        end = _literal_end(cell)
        quotes = 3 if cell.startswith(first * 3) and end >= 5 else 1  # Turtle long strings, from other servers
        text = cell[quotes:end - quotes + 1]
        return _ESCAPE.sub(_unescape, text) if "\\" in text else text
    if cell.startswith("_:"):
        return cell[2:]
    return cell  # a number or boolean written bare


def cell_language(cell: str) -> str | None:
    """The language tag of a literal cell, else None.

    >>> cell_language('"Sécurité"@fr'), cell_language("<https://x.example/a>")
    ('fr', None)
    """
    if cell[0] != '"' and cell[0] != "'":
        return None
    tail = cell[_literal_end(cell) + 1:]
    return tail[1:] if tail.startswith("@") else None


def variables(bindings: Mapping[str, Any] | None) -> dict[Variable, Any] | None:
    return {Variable(k): v for k, v in bindings.items()} if bindings else None


register("oxigraph", "ietfkg.graph.oxigraph_backend", "OxigraphBackend")
register("memory", "ietfkg.graph.oxigraph_backend", "InMemoryOxigraphBackend")
register("sparql", "ietfkg.graph.sparql_http_backend", "SparqlHttpBackend")
