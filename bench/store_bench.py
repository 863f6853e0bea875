"""Serving benchmark: the same queries on the on-disk store and on an in-memory copy.

    .venv/bin/python bench/store_bench.py [--store var/store]

Prints median latency per query for both and the ratio; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from ietfkg.graph.oxigraph_backend import InMemoryOxigraphBackend, OxigraphBackend
from ietfkg.graph.store_dir import StoreDir

QUERIES = {
    "point lookup": "SELECT ?p ?o WHERE { <https://ietf-kg.example/doc/rfc8446> ?p ?o }",
    "3-pattern join": """SELECT ?wg ?title WHERE { ?wg org:subOrganizationOf/skos:notation "sec" .
                           ?rfc ietf:producedBy ?wg ; dcterms:title ?title }""",
    "GROUP BY ?p": "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p",
    "ADs on a date": """SELECT ?name WHERE { ?m org:role ietf:role-ad ; org:member/foaf:name ?name ;
                          ietf:startDate ?s ; ietf:endDate ?e . FILTER(?s <= "2020-06-01"^^xsd:date && ?e >= "2020-06-01"^^xsd:date) }""",
}


def _median_ms(backend: OxigraphBackend, query: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        backend.select(query)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", default="var/store")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    current = StoreDir(Path(args.store)).current()
    if current is None:
        raise SystemExit(f"no built store in {args.store}: run `make build` first")
    disk = OxigraphBackend.open(current)
    started = time.perf_counter()
    memory = InMemoryOxigraphBackend.open(current)
    print(f"in-memory copy made in {time.perf_counter() - started:.2f} s")
    print(f"{'query':18}{'disk ms':>10}{'memory ms':>11}{'disk/memory':>13}")
    for name, query in QUERIES.items():
        on_disk, in_memory = _median_ms(disk, query, args.repeat), _median_ms(memory, query, args.repeat)
        print(f"{name:18}{on_disk:>10.2f}{in_memory:>11.2f}{on_disk / in_memory:>12.1f}x")


if __name__ == "__main__":
    main()
