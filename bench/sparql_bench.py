"""Benchmark /sparql against native `oxigraph serve-read-only` and rdflib-endpoint, same data, same queries.

Not a test: run it by hand. The baselines are separate tools, best kept out of
the project's environment (rdflib-endpoint pulls FastAPI and its own Starlette):

    python3 -m venv /tmp/bench-venv
    /tmp/bench-venv/bin/pip install oxigraph==0.5.13 rdflib-endpoint click uvicorn
    .venv/bin/python bench/sparql_bench.py --store var/store \\
        --oxigraph /tmp/bench-venv/bin/oxigraph --rdflib-endpoint /tmp/bench-venv/bin/rdflib-endpoint

Each server gets the same queries (the /sparql page's examples, with PREFIX
declarations, as the baselines predeclare none) over HTTP, asking for SPARQL
JSON (N-Triples for CONSTRUCT). It prints the median time of each and the ratio to
native Oxigraph measured in the same run, and checks every server returns the
same number of rows. A baseline whose program is not given is skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil
from pyoxigraph import Store

sys.path.insert(0, str(Path(__file__).parent))
from loadtest import HOST, free_port, ietfkg

from ietfkg.api.sparql.page import EXAMPLES
from ietfkg.graph.oxigraph_backend import OxigraphBackend
from ietfkg.graph.queries import load
from ietfkg.graph.store_dir import StoreDir
from ietfkg.schema.vocab import PREFIXES

PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
# The workload of bench/sparql_wrk.py: point lookups over real entities, and one whole-graph aggregate.
AGGREGATE = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
ENTITY_CLASSES = (
    "https://ietf-kg.example/ns#Group",
    "https://ietf-kg.example/ns#RFC",
    "http://xmlns.com/foaf/0.1/Person",
)
JSON_RESULTS = "application/sparql-results+json"


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


def start(name: str, command: list[str], url: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    limit_s = 600
    deadline = time.monotonic() + limit_s
    while True:
        try:
            if httpx.post(url, data={"query": "ASK {}"}, timeout=5).status_code == 200:
                settle(process)
                return process
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemExit(f"{name} did not start: {' '.join(command)}")
        time.sleep(0.5)


def built(store: Path) -> Path:
    """The store's current build directory; exits with the command to run when there is none."""
    current = StoreDir(store).current()
    if current is None:
        raise SystemExit(f"no built store in {store}; run `ietfkg build --store {store}`")
    return current


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
        process.wait(timeout=30)


def start_native(program: str, build: Path) -> tuple[str, subprocess.Popen]:
    """``oxigraph serve-read-only`` on a build directory: its query URL and process."""
    port = free_port()
    url = f"http://{HOST}:{port}/query"
    command = [program, "serve-read-only", "--location", str(build), "--bind", f"{HOST}:{port}"]
    return url, start("oxigraph", [*command, "--union-default-graph"], url)


def start_rdflib_endpoint(program: str, store: Path, tmp: Path) -> tuple[str, subprocess.Popen]:
    """rdflib-endpoint serving the store's default graph, exported as N-Triples: its URL and process."""
    dump = tmp / "default-graph.nt"
    export = ietfkg("export", "--store", str(store), "--format", "nt", "-o", str(dump))
    subprocess.run(export, check=True, capture_output=True)
    port = free_port()
    url = f"http://{HOST}:{port}/"
    return url, start(
        "rdflib-endpoint", [program, "serve", "--host", HOST, "--port", str(port), str(dump)], url
    )


def settle(process: subprocess.Popen, quiet: float = 0.05, limit_s: float = 120) -> None:
    """Wait until the server and its children stop working on their own (startup copies, indexes):
    measure steady state, not startup, for every target alike. ``quiet``: cores busy at most."""
    root, window = psutil.Process(process.pid), 0.5
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        tree = [root, *root.children(recursive=True)]
        before = _cpu_seconds(tree)
        time.sleep(window)
        if _cpu_seconds(tree) - before < quiet * window:
            return


def _cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            total += sum(process.cpu_times()[:2])
        except psutil.NoSuchProcess:
            pass  # a child that exited (a worker replaced) counts no more
    return total


def dataset_form(backend: OxigraphBackend) -> dict[str, list[str]]:
    """SPARQL Protocol parameters asking a server for the dataset /sparql serves: the merge
    of the source graphs (``graph/dataset.py``), so both answer with the same rows."""
    if backend.default is None:
        return {}
    return {
        "default-graph-uri": [p.value for p in backend.default.parts],
        "named-graph-uri": backend.named_graphs(),
    }


def run(url: str, query: str, construct: bool, form: dict[str, list[str]]) -> tuple[float, int]:
    accept = "application/n-triples" if construct else "application/sparql-results+json"
    began = time.perf_counter()
    response = httpx.post(url, data={"query": query, **form}, headers={"Accept": accept}, timeout=300)
    elapsed = time.perf_counter() - began
    response.raise_for_status()
    if construct:
        size = sum(1 for line in response.text.splitlines() if line.strip())
    else:
        size = len(json.loads(response.content)["results"]["bindings"])
    return elapsed, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path("var/store"))
    parser.add_argument("--oxigraph", help="the `oxigraph` program (PyPI package oxigraph)")
    parser.add_argument("--rdflib-endpoint", help="the `rdflib-endpoint` program")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    current = built(args.store)

    servers: dict[str, str] = {}
    processes: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            port = free_port()
            servers["ietf-kg /sparql"] = f"http://{HOST}:{port}/sparql"
            uncapped = {**os.environ, "IETFKG_MAX_ROWS": "1000000", "IETFKG_QUERY_TIMEOUT_S": "300",
                        # throughput is measured with one server process per core unless the caller says
                        "IETFKG_SERVER_PROCESSES": os.environ.get("IETFKG_SERVER_PROCESSES", str(os.cpu_count() or 1))}
            serve = ietfkg("serve", "--store", str(args.store), "--port", str(port))
            processes.append(start("ietf-kg", serve, servers["ietf-kg /sparql"], uncapped))
            if args.oxigraph:
                servers["oxigraph serve-read-only"], native = start_native(args.oxigraph, current)
                processes.append(native)
            if args.rdflib_endpoint:
                servers["rdflib-endpoint"], endpoint = start_rdflib_endpoint(
                    args.rdflib_endpoint, args.store, Path(tmp)
                )
                processes.append(endpoint)
            form = dataset_form(OxigraphBackend(Store.read_only(str(current))))
            report(servers, args.repeat, {"oxigraph serve-read-only": form})
        finally:
            stop(processes)


def report(servers: dict[str, str], repeat: int, forms: dict[str, dict[str, list[str]]]) -> None:
    baseline = "oxigraph serve-read-only" if "oxigraph serve-read-only" in servers else "ietf-kg /sparql"
    for name, title in EXAMPLES:
        query = PROLOGUE + load(name)
        construct = "CONSTRUCT" in load(name)
        medians: dict[str, float] = {}
        sizes: dict[str, int] = {}
        for server, url in servers.items():
            form = forms.get(server, {})
            run(url, query, construct, form)  # warm-up
            times = []
            for _ in range(repeat):
                elapsed, sizes[server] = run(url, query, construct, form)
                times.append(elapsed)
            medians[server] = statistics.median(times)
        print(f"\n{title} ({name}): results per server {sizes}")
        if len(set(sizes.values())) > 1:
            print("  WARNING: the servers disagree on the result size")
        for server, median in medians.items():
            print(f"  {server:28s} {median * 1000:9.1f} ms   {median / medians[baseline]:6.2f}x {baseline}")


if __name__ == "__main__":
    main()
