"""The entity queries the GraphQL panel hands out to paste into /sparql answer what ietf-kg's own
reads of the same files answer (with ``?node`` bound by the engine), on the real snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from ietfkg.api.graphql.types_common import ENTITY_QUERIES
from ietfkg.graph.backends import Backend, Rows
from ietfkg.graph.oxigraph_backend import OxigraphBackend
from ietfkg.graph.queries import load, standalone
from ietfkg.graph.store_dir import StoreDir

BASE = "https://ietf-kg.example/"
# entities with links and with roles: a protocol, an area, an RFC, a WG, a person
CASES = [("viz_neighbours", BASE + "protocol/tls"), ("viz_neighbours", BASE + "group/sec"),
         ("viz_neighbours", BASE + "doc/rfc8446"), ("viz_node_roles", BASE + "group/sec"),
         ("viz_node_roles", BASE + "group/tls"), ("viz_node_roles", BASE + "person/105815")]


@pytest.fixture(scope="module")
def direct(store_root: Path) -> Backend:
    return OxigraphBackend.open(StoreDir(store_root).current())


def test_every_entity_query_is_tried() -> None:
    assert {name for name, _ in CASES} == set(ENTITY_QUERIES)


@pytest.mark.parametrize(("name", "iri"), CASES)
def test_a_pasted_entity_query_answers_as_the_bound_one(direct: Backend, name: str, iri: str) -> None:
    bound = direct.select(load(name), bindings={"node": NamedNode(iri)})
    pasted = direct.select(standalone(name, NamedNode(iri)))
    assert bound.rows and pasted.variables == bound.variables
    assert sorted(comparable(pasted)) == sorted(comparable(bound))


def comparable(rows: Rows) -> list[tuple[str, ...]]:
    """Rows as text, a GROUP_CONCAT of types read as a set (the engine joins them in no set order)."""
    def cell(variable: str, term: object) -> str:
        text = "" if term is None else str(getattr(term, "value", term))
        return " ".join(sorted(text.split())) if variable.lower().endswith("types") else text

    return [tuple(cell(v, term) for v, term in zip(rows.variables, row)) for row in rows.rows]
