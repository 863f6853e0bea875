"""Throughput of /sparql against native Oxigraph, raw pyoxigraph and rdflib-endpoint (issue 5).

    .venv/bin/python bench/sparql_throughput.py --store var/store      # or: make bench

Two workloads, the same on every target:

* ``point``: ``SELECT ?p ?o WHERE { <entity> ?p ?o }`` rotating over a few hundred
  real entity IRIs read from the store (groups, RFCs, people);
* ``aggregate``: ``SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p`` over the
  whole default graph.

Every target answers from the same dataset: the default graph /sparql serves (the merge
of the source graphs, ``graph/dataset.py``), which native Oxigraph is asked for with
SPARQL Protocol ``default-graph-uri``/``named-graph-uri`` parameters and pyoxigraph in
process with the same query options.

Targets, all on the same build: ``ietfkg serve`` (default settings: cancellation,
row cap, negotiation on), ``oxigraph serve-read-only --union-default-graph`` on the
build directory, raw pyoxigraph in this process (a pool of ``concurrency`` threads
over one read-only ``Store``, serializing SPARQL JSON like a server would), and
rdflib-endpoint installed on first use into the throwaway venv ``--rdflib-venv``
(it pulls its own FastAPI/Starlette, so it never enters the project's
environment; skipped with a note when it cannot be installed). Every server listens on 127.0.0.1 only.

HTTP targets are driven by httpx's async client (``concurrency`` clients of one
connection each), asking for SPARQL JSON. A ``client ceiling``
row measures the client alone against a trivial in-process-free HTTP server that
answers a canned 200, so a target near that figure is client-bound, not slow.
Every phase is bounded by ``--requests`` and ``--max-seconds``, split over
``--rounds`` rounds that interleave the targets (load from other jobs then hits
them alike). It prints req/s,
p50 and p99 per target, workload and concurrency, and the throughput ratio to
native Oxigraph measured in the same run. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
from pyoxigraph import QueryResultsFormat, Store

sys.path.insert(0, str(Path(__file__).parent))
from loadtest import HOST, connections, free_port, ietfkg, machine, percentile
from sparql_bench import built, dataset_form, start, start_native, start_rdflib_endpoint, stop

from ietfkg.graph.oxigraph_backend import OxigraphBackend

AGGREGATE = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
ENTITY_CLASSES = (
    "https://ietf-kg.example/ns#Group",
    "https://ietf-kg.example/ns#RFC",
    "http://xmlns.com/foaf/0.1/Person",
)
JSON_RESULTS = "application/sparql-results+json"
NATIVE = "oxigraph serve-read-only"
_EMPTY = b'{"head":{"vars":[]},"results":{"bindings":[]}}'
CANNED = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/sparql-results+json\r\n"
    b"content-length: %d\r\n\r\n%s" % (len(_EMPTY), _EMPTY)
)
# A canned-answer HTTP/1.1 server, run as its own process so it does not share this one's GIL.
TRIVIAL_SERVER = f"""
import asyncio, sys
CANNED = {CANNED!r}
async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\\r\\n\\r\\n")
            length = 0
            for line in head.split(b"\\r\\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            writer.write(CANNED)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()
async def main():
    server = await asyncio.start_server(handle, "{HOST}", int(sys.argv[1]))
    async with server:
        await server.serve_forever()
asyncio.run(main())
"""


@dataclass
class Phase:
    target: str
    workload: str
    concurrency: int
    latencies: list[float]
    wall_s: float
    errors: int

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.wall_s if self.wall_s else 0.0


def entities(build: Path, per_class: int) -> list[str]:
    """``per_class`` IRIs of each entity class, spread over the store (deterministic)."""
    store = Store.read_only(str(build))
    picked: list[str] = []
    for cls in ENTITY_CLASSES:
        rows = store.query(
            f"SELECT DISTINCT ?e {{ ?e a <{cls}> }} ORDER BY ?e", use_default_graph_as_union=True
        )
        iris = [row[0].value for row in rows]
        step = max(1, len(iris) // per_class)
        picked += iris[::step][:per_class]
    return picked


def point_queries(iris: list[str]) -> list[str]:
    return [f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}" for iri in iris]


# -- HTTP targets -------------------------------------------------------------------
async def http_phase(
    url: str, queries: list[str], concurrency: int, total: int, max_s: float, form: dict[str, list[str]]
) -> tuple[list[float], float, int]:
    latencies: list[float] = []
    errors = 0
    async with connections(concurrency, timeout=120, headers={"Accept": JSON_RESULTS}) as clients:
        for i, client in enumerate(clients):  # open and warm each connection
            await client.post(url, data={"query": queries[i % len(queries)], **form})
        sent = 0
        began = time.perf_counter()
        stop_at = began + max_s

        async def worker(client: httpx.AsyncClient) -> None:
            nonlocal sent, errors
            while sent < total and time.perf_counter() < stop_at:
                query = queries[sent % len(queries)]
                sent += 1
                t0 = time.perf_counter()
                try:
                    response = await client.post(url, data={"query": query, **form})
                    await response.aread()
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors += 1

        await asyncio.gather(*(worker(client) for client in clients))
        return latencies, time.perf_counter() - began, errors


# -- raw pyoxigraph in this process -------------------------------------------------
def inprocess_phase(
    backend: OxigraphBackend, queries: list[str], concurrency: int, total: int, max_s: float
) -> tuple[list[float], float, int]:
    lock = threading.Lock()
    counter = iter(range(total))
    latencies: list[float] = []
    began = time.perf_counter()
    stop_at = began + max_s

    def worker() -> None:
        while time.perf_counter() < stop_at:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            t0 = time.perf_counter()
            result = backend.store.query(queries[index % len(queries)], **backend.dataset_options)
            result.serialize(format=QueryResultsFormat.JSON)
            elapsed = time.perf_counter() - t0
            with lock:
                latencies.append(elapsed)

    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    return latencies, time.perf_counter() - began, 0


def rdflib_endpoint_program(venv: Path) -> str | None:
    """The rdflib-endpoint program in ``venv``, installed there first if needed; None (with a note) if it cannot be."""
    program = venv / "bin" / "rdflib-endpoint"
    if not program.exists():
        print(f"installing rdflib-endpoint into the throwaway venv {venv} ...", file=sys.stderr)
        made = (
            subprocess.run(
                [sys.executable, "-m", "venv", str(venv)], capture_output=True, check=False
            ).returncode
            == 0
        )
        if made:
            pip = [str(venv / "bin" / "pip"), "install", "-q", "rdflib-endpoint", "uvicorn", "click"]
            made = subprocess.run(pip, capture_output=True, check=False).returncode == 0
        if not made or not program.exists():
            print(f"note: rdflib-endpoint could not be installed into {venv}: skipped")
            return None
    return str(program)


def result_rows(url: str, query: str, form: dict[str, list[str]]) -> int:
    response = httpx.post(url, data={"query": query, **form}, headers={"Accept": JSON_RESULTS}, timeout=300)
    response.raise_for_status()
    return len(json.loads(response.content)["results"]["bindings"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path("var/store"))
    parser.add_argument(
        "--oxigraph",
        default=str(Path(sys.executable).with_name("oxigraph")),
        help="the `oxigraph` program (PyPI package oxigraph)",
    )
    parser.add_argument(
        "--rdflib-venv",
        default=str(Path(tempfile.gettempdir()) / "ietfkg-rdflib-endpoint"),
        help="throwaway venv for rdflib-endpoint, created when missing ('' skips it)",
    )
    parser.add_argument("--entities", type=int, default=100, help="entities per class for point lookups")
    parser.add_argument("--requests", type=int, default=2000, help="point lookups per phase")
    parser.add_argument("--aggregate-requests", type=int, default=60, help="aggregates per phase")
    parser.add_argument(
        "--max-seconds", type=float, default=10.0, help="per phase: no new request after this"
    )
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--rounds", type=int, default=3, help="rounds per phase, interleaving the targets")
    args = parser.parse_args()
    build = built(args.store)
    points = point_queries(entities(build, args.entities))
    workloads = {"point": (points, args.requests), "aggregate": ([AGGREGATE], args.aggregate_requests)}

    servers: dict[str, str] = {}
    processes: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            port = free_port()
            servers["client ceiling"] = f"http://{HOST}:{port}/"
            processes.append(
                start(
                    "trivial server",
                    [sys.executable, "-c", TRIVIAL_SERVER, str(port)],
                    servers["client ceiling"],
                )
            )
            port = free_port()
            servers["ietf-kg /sparql"] = f"http://{HOST}:{port}/sparql"
            serve = ietfkg("serve", "--store", str(args.store), "--port", str(port))
            processes.append(start("ietf-kg", serve, servers["ietf-kg /sparql"]))
            if Path(args.oxigraph).exists():
                servers[NATIVE], native = start_native(args.oxigraph, build)
                processes.append(native)
            else:
                print(f"note: {args.oxigraph} not found: native Oxigraph skipped")
            rdflib_endpoint = rdflib_endpoint_program(Path(args.rdflib_venv)) if args.rdflib_venv else None
            if rdflib_endpoint:
                servers["rdflib-endpoint"], endpoint = start_rdflib_endpoint(
                    rdflib_endpoint, args.store, Path(tmp)
                )
                processes.append(endpoint)
            backend = OxigraphBackend(Store.read_only(str(build)))
            phases = run_all(servers, backend, workloads, args)
        finally:
            stop(processes)
    print(report(phases))
    print(f"\n{len(points)} point-lookup entities; machine: {machine()}")


def run_all(
    servers: dict[str, str], backend: OxigraphBackend, workloads: dict, args: argparse.Namespace
) -> list[Phase]:
    forms = {name: dataset_form(backend) if name == NATIVE else {} for name in servers}
    sizes = {
        name: result_rows(url, AGGREGATE, forms[name])
        for name, url in servers.items()
        if name != "client ceiling"
    }
    sizes["pyoxigraph in process"] = len(list(backend.store.query(AGGREGATE, **backend.dataset_options)))
    if len(set(sizes.values())) > 1:
        print(f"WARNING: the targets disagree on the aggregate's row count: {sizes}")
    phases: list[Phase] = []
    targets = [*servers, "pyoxigraph in process"]
    for workload, (queries, total) in workloads.items():
        for concurrency in args.concurrency:
            merged = {name: Phase(name, workload, concurrency, [], 0.0, 0) for name in targets}
            # Rounds interleave the targets, so load from other jobs on the machine hits them alike.
            per_round, round_s = -(-total // args.rounds), args.max_seconds / args.rounds
            for _ in range(args.rounds):
                for name, phase in merged.items():
                    if name in servers:
                        measured = asyncio.run(
                            http_phase(servers[name], queries, concurrency, per_round, round_s, forms[name])
                        )
                    else:
                        measured = inprocess_phase(backend, queries, concurrency, per_round, round_s)
                    phase.latencies += measured[0]
                    phase.wall_s += measured[1]
                    phase.errors += measured[2]
            phases += merged.values()
            print(f"  done: {workload} c={concurrency}", file=sys.stderr)
    return phases


def report(phases: list[Phase]) -> str:
    native = {(p.workload, p.concurrency): p.rate for p in phases if p.target == NATIVE}
    header = (
        f"{'workload':<10} {'conc':>4}  {'target':<26} {'requests':>8} {'req/s':>9} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'errors':>6} {'x native':>9}"
    )
    lines = [header]
    for p in phases:
        base = native.get((p.workload, p.concurrency))
        ratio = f"{p.rate / base:8.2f}x" if base and p.latencies else "        -"
        p50 = percentile(p.latencies, 50) * 1000 if p.latencies else float("nan")
        p99 = percentile(p.latencies, 99) * 1000 if p.latencies else float("nan")
        lines.append(
            f"{p.workload:<10} {p.concurrency:>4}  {p.target:<26} {len(p.latencies):>8} {p.rate:>9.1f} "
            f"{p50:>8.1f} {p99:>8.1f} {p.errors:>6} {ratio}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
