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

from ietfkg.schema.errors import StoreMissing, UnknownBackend


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


def variables(bindings: Mapping[str, Any] | None) -> dict[Variable, Any] | None:
    return {Variable(k): v for k, v in bindings.items()} if bindings else None


register("oxigraph", "ietfkg.graph.oxigraph_backend", "OxigraphBackend")
register("memory", "ietfkg.graph.oxigraph_backend", "InMemoryOxigraphBackend")
register("sparql", "ietfkg.graph.sparql_http_backend", "SparqlHttpBackend")
