"""What every page view gets: the request, the entity, a linker, and bound named queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyoxigraph import NamedNode
from starlette.requests import Request

from ietfkg.api.pages.links import Linker, Value
from ietfkg.graph.backends import Rows
from ietfkg.graph.queries import load

MAX_LIST = 2000  # rows of one list on a page; a longer list says it was cut


@dataclass(frozen=True, slots=True)
class Listing:
    """Rows of a named query as dicts of plain values (``str`` or ``None``) and the terms behind them."""

    rows: list[dict[str, Any]]
    truncated: bool

    def first(self) -> dict[str, Any]:
        return self.rows[0] if self.rows else {}


def text(term: object) -> str | None:
    """A cell as text: an IRI's string, a literal's lexical form, ``None`` when unbound."""
    return None if term is None else getattr(term, "value", str(term))


@dataclass(frozen=True, slots=True)
class Page:
    request: Request
    iri: NamedNode
    kind: str
    key: str
    link: Linker

    async def terms(self, name: str, limit: int = MAX_LIST, about: bool = True, **bindings: Any) -> Rows:
        """Run ``graph/queries/<name>.rq`` with ``bindings`` bound, and ``?entity`` when ``about``."""
        store = self.request.app.state.store
        return await store.select(load(name), {"entity": self.iri, **bindings} if about else bindings, limit)

    async def rows(self, name: str, limit: int = MAX_LIST, about: bool = True, **bindings: Any) -> Listing:
        """``terms`` with cells as text (an IRI as its string); a view links a cell through ``named``."""
        result = await self.terms(name, limit, about, **bindings)
        rows = [{var: text(term) for var, term in zip(result.variables, row, strict=True)} for row in result.rows]
        return Listing(rows, result.truncated)

    def named(self, iri: str | None, label: str | None) -> Value | None:
        return None if iri is None else self.link.named(NamedNode(iri), label)
