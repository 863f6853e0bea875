"""A bounded soak: the mixed load against ``ietfkg serve`` on a remote store, with a rebuild in the middle.

    .venv/bin/python bench/soak.py                 # or: make soak  (five minutes)
    .venv/bin/python bench/soak.py --seconds 60    # a short trial

Loopback only, and it stops by itself. It starts ``oxigraph serve`` on a free
port of 127.0.0.1 with a fresh data directory, builds the bundled snapshot into
it (``ietfkg build --store sparql+http://…``), serves that store with ``ietfkg
serve``, and drives the mixed GraphQL / SPARQL / entity-page load of
``loadtest.py`` with eight connections for ``--seconds``. Half-way through it
builds again into the same server: a new generation of graphs is published and
the server's record switched to it while the load runs (the load goes on until at
least 30 s after the switch). The running ``ietfkg serve`` keeps answering from
the generation it started on, which the publish keeps; new readers get the new one. Every answer is checked: a non-2xx
status, a GraphQL ``errors`` key or a SPARQL result with no rows (data missing
during the swap) counts as an error. The server's memory (its process and its
SPARQL workers) is sampled every few seconds.

It prints the requests, errors by kind, statuses, the rebuild's duration and the
memory over time, and exits non-zero when there was any error or the memory at
the end is more than ``--memory-growth`` above the first sample after warm-up.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import cycle
from pathlib import Path

import httpx
import psutil
from loadtest import HOST, Call, connections, free_port, ietfkg, machine, serving, workload

from ietfkg.schema.vocab import IETF

SAMPLE_EVERY_S = 5.0
TAIL_S = 30.0  # load kept on after the switch, so the switch happens under load


@dataclass
class Soak:
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    requests: int = 0
    memory_mb: list[tuple[float, float]] = field(default_factory=list)
    rebuild_s: float | None = None
    rebuild_error: str = ""
    rebuilt_at: float | None = None  # seconds into the load when readers were switched
    generations: list[str] = field(default_factory=list)


def answered(call: Call, response: httpx.Response) -> bool:
    """True when the answer is whole: 2xx, no GraphQL errors, and a SPARQL result that has rows."""
    if not 200 <= response.status_code < 300:
        return False
    if call.kind == "graphql":
        return "errors" not in response.json()
    if call.kind == "sparql":
        body = response.json()
        return bool(body.get("boolean")) if "boolean" in body else bool(body["results"]["bindings"])
    return bool(response.content)


async def drive(base: str, seconds: float, concurrency: int, soak: Soak, start: float) -> None:
    """Load until ``seconds`` have passed and the rebuild switched readers at least ``TAIL_S`` ago."""
    calls = cycle(workload(120))

    def going() -> bool:
        now = time.perf_counter() - start
        if soak.rebuild_s is None and not soak.rebuild_error:
            return True
        return now < seconds or (soak.rebuilt_at is not None and now < soak.rebuilt_at + TAIL_S)

    async with connections(concurrency, base_url=base, timeout=60) as clients:

        async def worker(client: httpx.AsyncClient) -> None:
            while going():
                call = next(calls)
                soak.requests += 1
                try:
                    response = await client.request(
                        call.method, call.path, json=call.json, data=call.data, headers=call.headers
                    )
                    await response.aread()
                except httpx.HTTPError as exc:
                    soak.statuses[type(exc).__name__] += 1
                    soak.errors[call.kind] += 1
                    continue
                soak.statuses[response.status_code] += 1
                if not answered(call, response):
                    soak.errors[call.kind] += 1

        await asyncio.gather(*(worker(client) for client in clients))


def server_tree_mb(port: int) -> float:
    """Resident memory of the process listening on ``port`` and its children (the SPARQL workers)."""
    for proc in psutil.process_iter(["pid"]):
        try:
            if any(
                c.status == psutil.CONN_LISTEN and c.laddr.port == port for c in proc.net_connections("tcp")
            ):
                tree = [proc, *proc.children(recursive=True)]
                return sum(p.memory_info().rss for p in tree) / 2**20
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return 0.0


def sample_memory(port: int, soak: Soak, stop: threading.Event, start: float) -> None:
    while not stop.wait(SAMPLE_EVERY_S):
        soak.memory_mb.append((time.perf_counter() - start, server_tree_mb(port)))


def rebuild(store: str, soak: Soak, after_s: float, start: float) -> None:
    time.sleep(after_s)
    began = time.perf_counter()
    result = subprocess.run(
        ietfkg("build", "-q", "--no-validate", "--store", store), check=False, capture_output=True, text=True
    )
    soak.rebuilt_at = time.perf_counter() - start
    soak.rebuild_s = time.perf_counter() - began
    if result.returncode != 0:
        soak.rebuild_error = result.stderr.strip()[-500:]


def served_generation(oxigraph_url: str) -> str:
    """The generation the record graph on the server points readers at."""
    query = f"SELECT ?g WHERE {{ GRAPH ?record {{ ?s {IETF.generation} ?g }} }}"
    response = httpx.get(oxigraph_url + "/query", params={"query": query}, headers={"Accept": "text/csv"})
    return ",".join(response.text.splitlines()[1:]) or "(none)"


class OxigraphServer:
    """``oxigraph serve`` on a free loopback port and a fresh data directory, for the ``with`` block."""

    def __init__(self, location: Path) -> None:
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        command = [binary, "serve", "--location", str(location), "--bind", f"{HOST}:{self.port}"]
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def __enter__(self) -> str:
        for _ in range(600):
            try:
                httpx.get(self.url + "/query", params={"query": "ASK {}"}, timeout=2).raise_for_status()
                return self.url
            except httpx.HTTPError:
                if self.proc.poll() is not None:
                    raise SystemExit("oxigraph serve exited at start") from None
                time.sleep(0.1)
        raise SystemExit("oxigraph serve did not answer")

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def report(soak: Soak, seconds: float, elapsed: float, growth_limit: float) -> tuple[str, bool]:
    warm = [mb for t, mb in soak.memory_mb if t >= min(30.0, seconds / 4)] or [0.0]
    growth = (warm[-1] - warm[0]) / warm[0] if warm[0] else 0.0
    fivexx = sum(n for status, n in soak.statuses.items() if isinstance(status, int) and status >= 500)
    lines = [
        f"soak: {seconds:g} s of mixed graphql/sparql/page load, 8 connections, rebuild started at {seconds / 2:g} s",
        f"requests: {soak.requests} in {elapsed:.0f} s ({soak.requests / elapsed:.1f} req/s)",
        f"statuses: {dict(sorted(soak.statuses.items(), key=str))}",
        f"errors: {sum(soak.errors.values())} {dict(soak.errors)}   5xx: {fivexx}",
        f"rebuild into the served store: {'failed: ' + soak.rebuild_error if soak.rebuild_error else 'ok'}"
        + (
            f" in {soak.rebuild_s:.1f} s, record switched at {soak.rebuilt_at:.0f} s of {elapsed:.0f} s"
            if soak.rebuild_s is not None and soak.rebuilt_at is not None
            else " (did not run)"
        ),
        "served generation: " + " -> ".join(soak.generations),
        "memory (server + workers, MB): "
        + "  ".join(f"{t:.0f}s={mb:.0f}" for t, mb in soak.memory_mb[:: max(1, len(soak.memory_mb) // 12)]),
        (
            f"memory after warm-up: first {warm[0]:.0f} MB, last {warm[-1]:.0f} MB, max {max(warm):.0f} MB, "
            f"growth {growth:+.1%} (limit {growth_limit:+.0%})"
        ),
        "machine: " + machine(),
    ]
    switched = len(soak.generations) == 2 and soak.generations[0] != soak.generations[1]
    ok = switched and not soak.errors and not fivexx and not soak.rebuild_error and soak.rebuild_s is not None
    return "\n".join(lines), ok and growth <= growth_limit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=300.0, help="length of the load (default 300)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--memory-growth", type=float, default=0.2, help="allowed growth after warm-up (0.2 = 20%%)"
    )
    args = parser.parse_args()

    soak = Soak()
    with tempfile.TemporaryDirectory(prefix="ietfkg-soak-") as tmp, OxigraphServer(Path(tmp) / "db") as url:
        store = "sparql+" + url
        print(f"building the snapshot into oxigraph serve at {url} …", flush=True)
        subprocess.run(ietfkg("build", "-q", "--no-validate", "--store", store), check=True)
        with serving(store, {"IETFKG_QUERY_TIMEOUT_S": "30"}) as base:
            port = int(base.rsplit(":", 1)[1])
            print(f"ietfkg serve at {base}; load for {args.seconds:g} s …", flush=True)
            soak.generations.append(served_generation(url))
            stop = threading.Event()
            start = time.perf_counter()
            sampler = threading.Thread(target=sample_memory, args=(port, soak, stop, start), daemon=True)
            builder = threading.Thread(
                target=rebuild, args=(store, soak, args.seconds / 2, start), daemon=True
            )
            sampler.start()
            builder.start()
            asyncio.run(drive(base, args.seconds, args.concurrency, soak, start))
            elapsed = time.perf_counter() - start
            builder.join()
            stop.set()
            soak.generations.append(served_generation(url))
    text, ok = report(soak, args.seconds, elapsed, args.memory_growth)
    print(text)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
