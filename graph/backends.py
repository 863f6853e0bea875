"""The ``Backend`` protocol and a registry of backends chosen by name.

Like rdflib's plugin registry: ``register(name, module, class)`` records where a
backend lives and ``get(name)`` imports it on first use, so optional backends
cost nothing until asked for. Settings and the CLI pass names, never classes.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pyoxigraph import Quad, Variable

from ietfkg.schema.errors import UnknownBackend


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

    def ask(self, query: str, bindings: Mapping[str, Any] | None = None) -> bool: ...

    def raw_query(self, query: str, **options: Any) -> Any: ...

    def extend(self, quads: Iterable[Quad]) -> None: ...

    def dump(self, rdf_format: Any, graph: Any | None = None) -> bytes: ...

    def named_graphs(self) -> list[str]: ...

    def close(self) -> None: ...


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


def variables(bindings: Mapping[str, Any] | None) -> dict[Variable, Any] | None:
    return {Variable(k): v for k, v in bindings.items()} if bindings else None


register("oxigraph", "ietfkg.graph.oxigraph_backend", "OxigraphBackend")
register("memory", "ietfkg.graph.oxigraph_backend", "InMemoryOxigraphBackend")
