"""/sparql against native Oxigraph, driven by wrk: a load generator that is not the bottleneck.

    .venv/bin/python bench/sparql_wrk.py --store var/store      # or: make bench

A Python client on the same two cores spends about as much CPU per request as the
server it measures, so it under-measures the faster side. ``wrk`` (C, Debian's
package) does not. Targets, all on the same build and 127.0.0.1 only:

* ``/sparql``: ``ietfkg serve`` with its default settings (cancellation, row cap,
  negotiation, worker processes), twice: with one server process (the default) and
  with one per core (``IETFKG_SERVER_PROCESSES``), each holding its own store;
* native: ``oxigraph serve-read-only`` on the build directory, asked for the same
  dataset with SPARQL Protocol ``default-graph-uri``/``named-graph-uri``;
* floor: a trivial Starlette endpoint on the same uvicorn returning a fixed SPARQL
  JSON body (a real point lookup's answer): what the HTTP stack alone costs, so the
  headroom left to ietf-kg's own per-request work is visible.

Workloads: point lookups ``SELECT ?p ?o WHERE { <e> ?p ?o }`` rotating over 300 real
entities (groups, RFCs, people; a Lua script cycles the request bodies), with
keep-alive and with a new connection per request (``Connection: close``, as
SPARQLWrapper and curl do); and the ``GROUP BY ?p`` aggregate over the whole graph.
Each measure runs ``--rounds`` times, the targets interleaved so load from other jobs
hits them alike; the median req/s of the rounds is printed with min and max, and the
ratio to native Oxigraph in the same run, with the machine's load average over the
runs (other jobs on a shared machine slow every target, the single-process ones most).
``IETFKG_SPARQL_INLINE_ROWS=0`` in the environment measures /sparql with every query
sent to a worker process. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx
from pyoxigraph import Store

sys.path.insert(0, str(Path(__file__).parent))
from loadtest import HOST, free_port, machine, serving
from sparql_bench import AGGREGATE, JSON_RESULTS, built, dataset_form, entities, point_queries, start, start_native, stop

from ietfkg.graph.oxigraph_backend import OxigraphBackend

FLOOR_APP = """
import sys, uvicorn
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
BODY = open(sys.argv[1], "rb").read()
async def answer(request):
    await request.body()
    return Response(BODY, media_type=sys.argv[3])
app = Starlette(routes=[Route("/{endpoint}", answer, methods=["GET", "POST"])])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""

LUA = """
local bodies = {%s}
local i = 0
request = function()
  i = i %% #bodies + 1
  return wrk.format("POST", nil, nil, bodies[i])
end
"""


@dataclass
class Measure:
    name: str
    queries: list[str]
    close: bool
    rates: dict[str, list[float]] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    loads: list[float] = field(default_factory=list)  # the 1-minute load average after each run


def lua_script(queries: list[str], form: dict[str, list[str]], close: bool, tmp: Path) -> Path:
    """A wrk script posting each query in turn (form-encoded, with the dataset parameters)."""
    bodies = [urlencode([("query", q), *((k, v) for k, vs in form.items() for v in vs)]) for q in queries]
    return wrk_script(bodies, "application/x-www-form-urlencoded", JSON_RESULTS, close, tmp)


def wrk_script(bodies: list[str], content_type: str, accept: str, close: bool, tmp: Path) -> Path:
    """A wrk script POSTing ``bodies`` in turn, one per request, with these headers."""
    headers = [f'wrk.headers["Content-Type"] = "{content_type}"', f'wrk.headers["Accept"] = "{accept}"']
    if close:
        headers.append('wrk.headers["Connection"] = "close"')
    quoted = ", ".join("[==[" + b + "]==]" for b in bodies)
    path = tmp / f"wrk-{abs(hash((tuple(bodies), close)))}.lua"
    path.write_text("\n".join(headers) + "\n" + LUA % quoted)
    return path


def run_wrk(url: str, script: Path, seconds: float, threads: int, connections: int) -> tuple[float, int]:
    """wrk's requests/s and its failed answers (non-2xx, socket errors, timeouts)."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "30s", "-s", str(script), url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failures = int(non2xx.group(1)) if non2xx else 0
    # wrk counts a read "error" each time a server closes a Connection: close socket; connects and timeouts are real
    failures += int(socket.group(1)) + int(socket.group(4)) if socket else 0
    return rate, failures


def start_floor(body: bytes, tmp: Path, endpoint: str = "sparql", media_type: str = JSON_RESULTS) -> tuple[str, subprocess.Popen]:
    """The trivial endpoint answering ``body`` at ``/<endpoint>``: its URL and process."""
    answer = tmp / f"answer-{endpoint}.json"
    answer.write_bytes(body)
    port = free_port()
    url = f"http://{HOST}:{port}/{endpoint}"
    return url, start("floor", [sys.executable, "-c", FLOOR_APP, str(answer), str(port), media_type], url)


def report(measures: list[Measure], targets: list[str]) -> str:
    compared = [t for t in targets if t != "native"]
    lines = [
        f"| measure | {' | '.join(targets)} | {' | '.join(t + ' ÷ native' for t in compared)} | load average |",
        "|---|" + "---|" * (len(targets) + len(compared) + 1),
    ]
    for m in measures:
        medians = {t: statistics.median(m.rates[t]) for t in targets if m.rates.get(t)}
        cells = [
            f"{medians[t]:,.0f} req/s ({min(m.rates[t]):,.0f}–{max(m.rates[t]):,.0f})"
            + (f", {m.failures[t]} failed" if m.failures.get(t) else "")
            if t in medians else "—"
            for t in targets
        ]
        native = medians.get("native")
        ratio = lambda t: f"{medians[t] / native:.2f}x" if native and t in medians else "—"  # noqa: E731
        load = f"{min(m.loads):.1f}–{max(m.loads):.1f}" if m.loads else "—"
        ratios = [f"**{ratio(t)}**" if t.startswith("/sparql") else ratio(t) for t in compared]
        lines.append(f"| {m.name} | {' | '.join(cells)} | {' | '.join(ratios)} | {load} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", default="var/store")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each wrk run (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per measure and target (default 3)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `apt-get install wrk` (make bench does it)")
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")

    build = built(Path(args.store))
    iris = entities(build, 100)
    form = dataset_form(OxigraphBackend(Store.read_only(str(build))))
    points = point_queries(iris)
    measures = [
        Measure("point lookups, keep-alive", points, close=False),
        Measure("point lookups, new connection per request", points, close=True),
        Measure("`GROUP BY ?p` aggregate, keep-alive", [AGGREGATE], close=False),
    ]
    cores = os.cpu_count() or 1
    with (
        tempfile.TemporaryDirectory(prefix="ietfkg-wrk-") as tmp_name,
        serving(args.store, {"IETFKG_SERVER_PROCESSES": "1"}) as one,
        serving(args.store, {"IETFKG_SERVER_PROCESSES": str(cores)}) as per_core,
    ):
        tmp = Path(tmp_name)
        sparql = one + "/sparql"
        sample = httpx.post(sparql, data={"query": points[0]}, headers={"Accept": JSON_RESULTS}, timeout=60)
        native_url, native = start_native(oxigraph, build)
        floor_url, floor = start_floor(sample.content, tmp)
        urls = {
            "/sparql": (sparql, {}),
            f"/sparql, {cores} processes": (per_core + "/sparql", {}),
            "native": (native_url, form),
            "floor": (floor_url, {}),
        }
        try:
            for m in measures:
                for round_ in range(args.rounds):
                    for target, (url, target_form) in urls.items():
                        if target == "floor" and m.queries == [AGGREGATE]:
                            continue  # the floor answers one fixed body: it has no aggregate to compute
                        script = lua_script(m.queries, target_form, m.close, tmp)
                        rate, failed = run_wrk(url, script, args.seconds, args.threads, args.connections)
                        m.rates.setdefault(target, []).append(rate)
                        m.failures[target] = m.failures.get(target, 0) + failed
                        m.loads.append(os.getloadavg()[0])
                    time.sleep(0.5)
        finally:
            stop([native, floor])
    print(
        f"wrk -t{args.threads} -c{args.connections}, {args.seconds:g} s per run, median of {args.rounds} rounds "
        f"(min–max), {len(iris)} entities rotating; store {args.store}"
    )
    print(report(measures, list(urls)))
    print(f"/sparql: ietfkg serve, one server process; /sparql, {cores} processes: one per core (IETFKG_SERVER_PROCESSES)")
    print("floor: a fixed SPARQL JSON body from a trivial Starlette endpoint on the same uvicorn")
    print("machine:", machine(), "| load average: the 1-minute figure after each run (the machine is shared)")
    print("date:", time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))


if __name__ == "__main__":
    main()
