"""A bounded load test: a mixed GraphQL / SPARQL / entity-page workload against ``ietfkg serve``.

    .venv/bin/python bench/loadtest.py --store var/store      # or: make loadtest

Starts ``ietfkg serve`` on a free port of 127.0.0.1 (loopback only, always),
waits for it, warms it up, then runs the same fixed list of requests at each
concurrency (1 and 8 by default) with httpx's async client. Every phase is
bounded twice: by the number of requests (``--requests``) and by time
(``--max-seconds``: no new request starts after that). It then stops the server
and prints, per request kind, the requests done, throughput, p50, p99 and
errors (any non-2xx answer or transport failure), and the machine it ran on.
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from itertools import cycle
from pathlib import Path

import httpx

HOST = "127.0.0.1"  # never anything else: this tool must not load a machine other than this one

GRAPHQL = [
    "{ rfc(number: 8446) { title date group { acronym area { acronym } } authors { name } obsoletes { number } } }",
    '{ area(acronym: "sec") { name workingGroups(first: 10) { totalCount nodes { acronym name } } } }',
    '{ roles(group: "sec", role: "ad", at: "2020-06-01") { nodes { person { name } start end } } }',
    '{ search(text: "acme", first: 5) { nodes { __typename id } } }',
    '{ path(from: "group/tls", to: "protocol/mls", maxHops: 4) { length } }',
]
SPARQL = [
    "SELECT ?title WHERE { ?rfc ietf:rfcNumber 8446 ; dcterms:title ?title }",
    "SELECT ?acr WHERE { ?wg org:subOrganizationOf/skos:notation 'sec' ; skos:notation ?acr } ORDER BY ?acr",
    (
        "SELECT ?name WHERE { ?m org:organization/skos:notation 'sec' ; org:role ietf:role-ad ; "
        "org:member/foaf:name ?name ; ietf:startDate ?s ; ietf:endDate ?e . "
        "FILTER (?s <= '2015-12-31'^^xsd:date && ?e >= '2015-01-01'^^xsd:date) }"
    ),
    "ASK { ?rfc ietf:rfcNumber 9420 ; ietf:definesProtocol/skos:notation 'MLS' }",
]
PAGES = [
    ("/group/tls", "text/html"),
    ("/doc/rfc8446", "text/turtle"),
    ("/person/eric-rescorla", "text/html"),
    ("/protocol/tls", "application/ld+json"),
]


@dataclass(frozen=True, slots=True)
class Call:
    kind: str
    method: str
    path: str
    params: dict | None = None
    json: dict | None = None
    data: dict | None = None
    headers: dict = field(default_factory=dict)


def workload(total: int) -> list[Call]:
    """``total`` calls, the three kinds interleaved, each kind cycling through its requests."""
    kinds = [
        cycle([Call("graphql", "POST", "/graphql", json={"query": q}) for q in GRAPHQL]),
        cycle(
            [
                Call(
                    "sparql",
                    "POST",
                    "/sparql",
                    data={"query": q},
                    headers={"Accept": "application/sparql-results+json"},
                )
                for q in SPARQL
            ]
        ),
        cycle([Call("page", "GET", path, headers={"Accept": accept}) for path, accept in PAGES]),
    ]
    return [next(kinds[i % len(kinds)]) for i in range(total)]


@dataclass
class Phase:
    concurrency: int
    wall_s: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    skipped: int = 0


@asynccontextmanager
async def connections(count: int, **options: object) -> AsyncIterator[list[httpx.AsyncClient]]:
    """``count`` clients of one keep-alive connection each, one per concurrent worker (as wrk does).

    With one shared httpx pool, a connection released at the moment two requests are queued
    can be handed to both; the loser is re-queued and may wait hundreds of ms while every
    connection is busy with other workers (encode/httpcore#822). Measured here, ~0.6% of
    requests waited 0.1-2 s in the client before being sent, which a benchmark would charge
    to the server. A worker that owns its connection never queues.
    """
    one = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with AsyncExitStack() as stack:
        yield [
            await stack.enter_async_context(httpx.AsyncClient(limits=one, **options)) for _ in range(count)
        ]


async def send(client: httpx.AsyncClient, call: Call) -> bool:
    response = await client.request(
        call.method, call.path, params=call.params, json=call.json, data=call.data, headers=call.headers
    )
    await response.aread()
    if call.kind == "graphql" and response.status_code == 200:
        return "errors" not in response.json()
    return 200 <= response.status_code < 300


async def run_phase(base: str, calls: list[Call], concurrency: int, max_seconds: float) -> Phase:
    phase = Phase(concurrency)
    queue: asyncio.Queue[Call] = asyncio.Queue()
    for call in calls:
        queue.put_nowait(call)
    async with connections(concurrency, base_url=base, timeout=30) as clients:
        start = time.perf_counter()
        deadline = start + max_seconds

        async def worker(client: httpx.AsyncClient) -> None:
            while not queue.empty():
                if time.perf_counter() > deadline:
                    phase.skipped = queue.qsize()
                    return
                call = queue.get_nowait()
                began = time.perf_counter()
                try:
                    ok = await send(client, call)
                except httpx.HTTPError:
                    ok = False
                phase.latencies[call.kind].append(time.perf_counter() - began)
                if not ok:
                    phase.errors[call.kind] += 1

        await asyncio.gather(*(worker(client) for client in clients))
        phase.wall_s = time.perf_counter() - start
    return phase


def percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def report(phases: list[Phase]) -> str:
    lines = [
        f"{'concurrency':>11}  {'kind':<8} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}"
    ]
    for phase in phases:
        rows = sorted(phase.latencies.items())
        all_latencies = [v for _, values in rows for v in values]
        rows.append(("all", all_latencies))
        for kind, values in rows:
            errors = sum(phase.errors.values()) if kind == "all" else phase.errors.get(kind, 0)
            lines.append(
                f"{phase.concurrency:>11}  {kind:<8} {len(values):>8} {len(values) / phase.wall_s:>8.1f} "
                f"{percentile(values, 50) * 1000:>8.1f} {percentile(values, 99) * 1000:>8.1f} {errors:>6}"
            )
        if phase.skipped:
            lines.append(f"{'':>11}  (time bound reached: {phase.skipped} requests not sent)")
    return "\n".join(lines)


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
        platform.processor() or "unknown CPU",
    )
    mem_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    return f"{os.cpu_count()} CPUs ({model}), {mem_kb / 1024 / 1024:.1f} GB RAM, Python {platform.python_version()}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def ietfkg(*args: str) -> list[str]:
    """The command line running ``ietfkg`` with this interpreter (the project's venv)."""
    return [sys.executable, "-c", "from ietfkg.api.cli import main; main()", *args]


def start_server(store: str, port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``ietfkg serve`` on ``port``, once it answers ``/healthz`` (``env``: extra variables, e.g. settings)."""
    command = ietfkg("serve", "--store", store, "--host", HOST, "--port", str(port))
    server = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})}
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"ietfkg serve exited with {server.returncode}; is {store} built?")
        try:
            if httpx.get(f"http://{HOST}:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit("ietfkg serve did not answer /healthz within 120 s")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@contextmanager
def serving(store: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """``ietfkg serve`` on a free loopback port for the ``with`` block; yields its base URL."""
    port = free_port()
    server = start_server(store, port, env)
    try:
        yield f"http://{HOST}:{port}"
    finally:
        stop_server(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", default="var/store")
    parser.add_argument("--requests", type=int, default=600, help="requests per phase (default 600)")
    parser.add_argument("--concurrency", default="1,8", help="comma-separated concurrencies (default 1,8)")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="time bound per phase (default 60)")
    args = parser.parse_args()

    with serving(args.store) as base:
        warm = workload(len(GRAPHQL) * 3)  # every request at least once (indexes, caches, workers)
        asyncio.run(run_phase(base, warm, 1, args.max_seconds))
        calls = workload(args.requests)
        phases = [
            asyncio.run(run_phase(base, calls, int(c), args.max_seconds)) for c in args.concurrency.split(",")
        ]
    print(
        f"ietfkg serve on {base}, store {args.store}; {args.requests} requests per phase, "
        f"mixed graphql/sparql/page 1:1:1"
    )
    print(report(phases))
    print("machine:", machine())


if __name__ == "__main__":
    main()
