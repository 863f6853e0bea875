"""The describe loader's two forms of one query: ``gql_describe.rq`` (standard SPARQL, for remote
servers) and ``gql_describe_oxigraph.rq`` (what Oxigraph runs quickest, for the embedded store)
must give the same rows, and the embedded store must get the quicker one."""

from __future__ import annotations

import re
from pathlib import Path

from pyoxigraph import NamedNode

from ietfkg.api.graphql.loaders import describe_query
from ietfkg.graph.oxigraph_backend import InMemoryOxigraphBackend, OxigraphBackend
from ietfkg.graph.queries import load
from ietfkg.graph.terms import fill_values
from ietfkg.schema.vocab import DEFAULT_BASE

SECURITY_GROUPS = ("tls", "acme", "mls", "lamps", "oauth", "secdispatch", "cfrg", "saag", "secdir")


def left_out(name: str) -> set[str]:
    """The predicates a form of the describe query leaves out, as written in its file."""
    text = re.sub(r"#.*", "", load(name))
    listed = re.search(r"NOT IN \(([^)]*)\)", text) or re.search(r"MINUS \{\s*VALUES \?p \{([^}]*)\}", text)
    assert listed is not None, name
    return set(listed.group(1).replace(",", " ").split())


def sample(backend: OxigraphBackend) -> list[NamedNode]:
    """Every twentieth typed entity, and the Security Area groups with everything linked to them."""
    typed = backend.select("SELECT DISTINCT ?s WHERE { ?s a ?c FILTER(isIRI(?s)) } ORDER BY ?s").rows
    chosen = {row[0] for row in typed[::20]}
    for acronym in SECURITY_GROUPS:
        group = NamedNode(f"{DEFAULT_BASE}group/{acronym}")
        linked = backend.select(f"SELECT DISTINCT ?x WHERE {{ {{ ?x ?p {group} }} UNION {{ {group} ?p ?x }} FILTER(isIRI(?x)) }}")
        chosen |= {group} | {row[0] for row in linked.rows}
    return sorted(chosen, key=str)


def test_both_forms_leave_out_the_same_predicates() -> None:
    assert left_out("gql_describe") == left_out("gql_describe_oxigraph")
    assert len(left_out("gql_describe")) > 10


def test_both_forms_give_the_same_rows_on_the_snapshot(store_root: Path) -> None:
    backend = OxigraphBackend.open(store_root / "current", read_only=True)
    entities = sample(backend)
    assert len(entities) > 2000
    for start in range(0, len(entities), 500):
        batch = entities[start:start + 500]
        rows = [set(backend.select_strings(fill_values(load(name), "s", batch)).rows)
                for name in ("gql_describe", "gql_describe_oxigraph")]
        assert rows[0] == rows[1], sorted(rows[0] ^ rows[1])[:5]
        assert rows[0]  # the batch has statements at all


def test_the_embedded_store_gets_the_oxigraph_form() -> None:
    assert describe_query(InMemoryOxigraphBackend.open(None)) == "gql_describe_oxigraph"
    assert describe_query(OxigraphBackend.open(None)) == "gql_describe_oxigraph"
