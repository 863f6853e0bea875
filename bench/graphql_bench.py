"""GraphQL latency and throughput next to a raw SPARQL baseline on the same store and server.

Starts ``ietfkg serve`` on a free loopback port, then for each scenario sends a
bounded number of requests at concurrency 1 and 8 and prints p50/p99 latency
and requests per second, with the GraphQL / SPARQL ratio. The SPARQL baselines
go through ``/sparql`` of the same server, so both pay the same HTTP cost:

- Security Area: the explorer's nested query (area -> WGs -> chairs, RFCs ->
  protocols) vs one hand-written SPARQL query returning the same facts as rows;
- path: ``path(person/eric-rescorla -> protocol/mls, maxHops: 4)`` vs a SPARQL
  query for the same three-hop route with its shape written out (SPARQL has no
  shortest-path operator, so this baseline knows the answer's shape in advance).

The server keeps the loader answers of earlier requests (``answer_cache``): after the first
request the Security Area query reads no store. A last line runs it on a second server with
that cache off (``IETFKG_ANSWER_CACHE=0``), where every request reads the store again.

Usage: ``.venv/bin/python bench/graphql_bench.py [--store var/store] [--requests 200]``.
Nothing is asserted; numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from loadtest import connections, serving

from ietfkg.api.graphql.explorer import PATH, SECURITY_AREA

SPARQL_SECURITY = """
SELECT ?wg ?acronym ?chairName ?rfc ?number ?title ?protocol WHERE {
  ?area skos:notation "sec" ; a ietf:Area .
  ?wg org:subOrganizationOf ?area ; a ietf:WorkingGroup ; skos:notation ?acronym .
  OPTIONAL { ?m org:organization ?wg ; org:role ietf:role-chair ; org:member ?chair . ?chair foaf:name ?chairName }
  OPTIONAL { ?rfc ietf:producedBy ?wg ; ietf:rfcNumber ?number ; dcterms:title ?title .
             OPTIONAL { ?rfc ietf:definesProtocol ?p . ?p skos:notation ?protocol } }
}
"""

SPARQL_PATH = """
SELECT ?role ?group ?via WHERE {
  ?m org:member <https://ietf-kg.example/person/eric-rescorla> ; org:role ?role ; org:organization ?group .
  ?wg org:subOrganizationOf ?group .
  <https://ietf-kg.example/protocol/mls> ietf:developedBy|^ietf:definesProtocol ?via .
  FILTER(?via = ?wg || EXISTS { ?via ietf:producedBy ?wg })
}
"""


async def measure(
    clients: list[httpx.AsyncClient], send, total: int, concurrency: int
) -> tuple[list[float], float]:
    latencies: list[float] = []
    queue = list(range(total))

    async def worker(client: httpx.AsyncClient) -> None:
        while queue:
            queue.pop()
            start = time.perf_counter()
            response = await send(client)
            latencies.append(time.perf_counter() - start)  # until the answer is in: checking it is ours
            response.raise_for_status()
            if response.headers["content-type"].startswith("application/json") and "errors" in response.json():
                raise RuntimeError(response.json()["errors"])

    started = time.perf_counter()
    await asyncio.gather(*(worker(client) for client in clients[:concurrency]))
    return latencies, total / (time.perf_counter() - started)


def graphql(query: str):
    async def send(client: httpx.AsyncClient) -> httpx.Response:
        return await client.post("/graphql", json={"query": query})

    return send


def sparql(query: str):
    async def send(client: httpx.AsyncClient) -> httpx.Response:
        return await client.post(
            "/sparql",
            content=query,
            headers={"content-type": "application/sparql-query", "accept": "application/sparql-results+json"},
        )

    return send


SCENARIOS = {
    "Security Area": (graphql(SECURITY_AREA), sparql(SPARQL_SECURITY)),
    "path (3 hops)": (graphql(PATH), sparql(SPARQL_PATH)),
}


def p50_p99(latencies: list[float]) -> tuple[float, float]:
    """Median and 99th percentile (nearest rank) of ``latencies`` in seconds, as milliseconds."""
    ordered = sorted(latencies)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


async def run(base: str, total: int) -> None:
    async with connections(8, base_url=base, timeout=60) as clients:
        print(f"{'scenario':<16}{'api':<9}{'conc':>5}{'p50 ms':>9}{'p99 ms':>9}{'req/s':>8}")
        for name, (gql_send, sparql_send) in SCENARIOS.items():
            for send in (gql_send, sparql_send):
                await measure(clients, send, 10, 1)  # warm-up: caches, adjacency index
            for concurrency in (1, 8):
                results = {}
                for api, send in (("graphql", gql_send), ("sparql", sparql_send)):
                    latencies, rate = await measure(clients, send, total, concurrency)
                    p50, p99 = p50_p99(latencies)
                    results[api] = (p50, rate)
                    print(f"{name:<16}{api:<9}{concurrency:>5}{p50:>9.1f}{p99:>9.1f}{rate:>8.0f}")
                g, s = results["graphql"], results["sparql"]
                print(
                    f"{'':<16}graphql / sparql at concurrency {concurrency}: "
                    f"{g[0] / s[0]:.2f}x p50, {g[1] / s[1]:.2f}x req/s"
                )


async def run_uncached(base: str, total: int) -> None:
    async with connections(1, base_url=base, timeout=60) as clients:
        send = graphql(SECURITY_AREA)
        await measure(clients, send, 10, 1)
        latencies, rate = await measure(clients, send, total, 1)
        p50, p99 = p50_p99(latencies)
        print(f"Security Area, answer cache off: graphql at concurrency 1, p50 {p50:.1f} ms, "
              f"p99 {p99:.1f} ms, {rate:.0f} req/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="var/store")
    parser.add_argument("--requests", type=int, default=200, help="requests per scenario and concurrency")
    args = parser.parse_args()
    if not (Path(args.store) / "current").exists():
        sys.exit(f"no built store in {args.store}: run `make build` or pass --store")
    with serving(args.store) as base:
        asyncio.run(run(base, args.requests))
    with serving(args.store, env={"IETFKG_ANSWER_CACHE": "0"}) as base:
        asyncio.run(run_uncached(base, args.requests))


if __name__ == "__main__":
    main()
