"""GraphQL driven by wrk, rotating over many different questions, warm and cold.

    .venv/bin/python bench/graphql_wrk.py --store var/store      # or: make bench

A Python client on the same two cores costs about as much CPU per request as the
server, so it under-measures; ``wrk`` (C, Debian's package) does not. Each family of
questions is a list of real GraphQL requests built from the store, and a Lua script
cycles through them, one per request:

* every area's working groups (one ``area(acronym:)`` request per area);
* 100 groups (name, state, chairs, their first RFCs);
* 100 people (name, roles with their groups, RFCs);
* 50 paths (``path(from: person, to: protocol)``);
* the explorer's Security Area query alone (the nested query the explorer opens with).

*Warm* is ``ietfkg serve`` with its defaults, after one pass over every question;
*cold* is a second server with the cross-request answer cache off
(``IETFKG_ANSWER_CACHE=0``), so every request reads the store. Both run in the same
rounds, interleaved, and the cold ÷ warm ratio is printed per family, with the floor:
a trivial Starlette endpoint on the same uvicorn answering a fixed GraphQL body.
Each server's CPU time per answered request (from ``/proc``) is printed too: on a
shared machine, requests per second follow the load of other programs, CPU per
request much less. Every question is asked once first and must answer without
``errors``. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from pyoxigraph import NamedNode, Store

sys.path.insert(0, str(Path(__file__).parent))
from loadtest import HOST, free_port, machine, start_server, stop_server
from sparql_bench import built, stop
from sparql_wrk import run_wrk, start_floor, wrk_script

from ietfkg.api.graphql.explorer import SECURITY_AREA
from ietfkg.schema.vocab import DEFAULT_BASE, IETF, SKOS

JSON = "application/json"

AREA = 'query { area(acronym: "%s") { name workingGroups(first: 100) { totalCount nodes { acronym name state } } } }'
GROUP = (
    'query { group(acronym: "%s") { name state chairs: leadership(role: "chair") { person { name } start end } '
    "documents(first: 10) { totalCount nodes { number title date } } } }"
)
PERSON = (
    'query { person(id: "%s") { name roles(first: 20) { nodes { kind start end group { acronym } } } '
    "documents(first: 10) { nodes { number title } } } }"
)
PATH = 'query { path(from: "%s", to: "%s", maxHops: 4) { length steps { forward relation { name } } } }'


def notations(store: Store, cls: NamedNode, limit: int) -> list[str]:
    """Up to ``limit`` acronyms of ``cls`` instances, spread over the sorted list (deterministic)."""
    rows = store.query(
        f"SELECT DISTINCT ?n {{ ?g a {cls} ; {SKOS.notation} ?n }} ORDER BY ?n", use_default_graph_as_union=True
    )
    return spread([row[0].value for row in rows], limit)


def role_holders(store: Store, base: str, limit: int) -> list[str]:
    """Global ids (``person/…``) of people who held a role, spread over the sorted list."""
    rows = store.query(
        "SELECT DISTINCT ?p { ?m <http://www.w3.org/ns/org#member> ?p } ORDER BY ?p", use_default_graph_as_union=True
    )
    return spread([row[0].value.removeprefix(base) for row in rows if row[0].value.startswith(base + "person/")], limit)


def protocols(store: Store, base: str, limit: int) -> list[str]:
    rows = store.query(f"SELECT DISTINCT ?p {{ ?p a {IETF.Protocol} }} ORDER BY ?p", use_default_graph_as_union=True)
    return spread([row[0].value.removeprefix(base) for row in rows], limit)


def spread(items: list[str], limit: int) -> list[str]:
    return items[:: max(1, len(items) // limit)][:limit]


def families(build: Path, base: str) -> dict[str, list[str]]:
    """Each family's GraphQL request bodies (JSON), built from what the store holds."""
    store = Store.read_only(str(build))
    people = role_holders(store, base, 100)
    targets = protocols(store, base, 50)
    questions = {
        "every area's WGs": [AREA % a for a in notations(store, IETF.Area, 1000)],
        "100 groups": [GROUP % g for g in notations(store, IETF.WorkingGroup, 100)],
        "100 people": [PERSON % p for p in people],
        "50 paths": [PATH % (people[i % len(people)], targets[i % len(targets)]) for i in range(50)],
        "Security Area": [SECURITY_AREA],
    }
    return {name: [json.dumps({"query": q}) for q in qs] for name, qs in questions.items()}


def check(url: str, bodies: list[str]) -> bytes:
    """Ask every question once (warming the server); exit naming the first that errs. Returns one answer."""
    answer = b""
    with httpx.Client(timeout=120, headers={"content-type": JSON}) as client:
        for body in bodies:
            response = client.post(url, content=body)
            if response.status_code != 200 or "errors" in response.json():
                raise SystemExit(f"{url} answered {response.status_code} to {body}: {response.text[:300]}")
            answer = answer or response.content
    return answer


@contextmanager
def serving(store: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, int]]:
    """``ietfkg serve`` on a free loopback port for the ``with`` block: its base URL and process id."""
    port = free_port()
    server = start_server(store, port, env)
    try:
        yield f"http://{HOST}:{port}", server.pid
    finally:
        stop_server(server)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of process ``pid`` (all its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(rates: dict[str, dict[str, list[float]]], cpu: dict[str, dict[str, list[float]]], targets: list[str]) -> str:
    lines = [
        f"| questions | {' | '.join(targets)} | cold ÷ warm | floor ÷ warm | CPU ms/request warm, cold | CPU cold ÷ warm |",
        "|---|" + "---|" * (len(targets) + 4),
    ]
    for name, by_target in rates.items():
        med = {t: statistics.median(by_target[t]) for t in targets}
        ms = {t: statistics.median(cpu[name][t]) for t in ("warm", "cold")}
        cells = [f"{med[t]:,.0f} req/s ({min(by_target[t]):,.0f}–{max(by_target[t]):,.0f})" for t in targets]
        lines.append(
            f"| {name} | {' | '.join(cells)} | **{med['cold'] / med['warm']:.2f}x** | {med['floor'] / med['warm']:.1f}x "
            f"| {ms['warm']:.1f}, {ms['cold']:.1f} | {ms['cold'] / ms['warm']:.2f}x |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", default="var/store")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each wrk run (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per family and target (default 3)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--families", default="", help="comma-separated families to run (default: all), e.g. 'Security Area'")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `apt-get install wrk` (make bench does it)")
    build = built(Path(args.store))
    with (
        tempfile.TemporaryDirectory(prefix="ietfkg-gql-wrk-") as tmp_name,
        serving(args.store) as (warm_base, warm_pid),
        serving(args.store, env={"IETFKG_ANSWER_CACHE": "0"}) as (cold_base, cold_pid),
    ):
        tmp = Path(tmp_name)
        questions = families(build, DEFAULT_BASE)
        if args.families:
            wanted = [name.strip() for name in args.families.split(",")]
            if unknown := set(wanted) - set(questions):
                raise SystemExit(f"no family {', '.join(sorted(unknown))}; the families: {', '.join(questions)}")
            questions = {name: questions[name] for name in wanted}
        urls = {"warm": warm_base + "/graphql", "cold": cold_base + "/graphql"}
        sample = b""
        for bodies in questions.values():
            sample = check(urls["warm"], bodies) or sample
            check(urls["cold"], bodies)
        floor_url, floor = start_floor(sample, tmp, "graphql", JSON)
        urls["floor"] = floor_url
        pids = {"warm": warm_pid, "cold": cold_pid, "floor": floor.pid}
        rates: dict[str, dict[str, list[float]]] = {name: {} for name in questions}
        cpu: dict[str, dict[str, list[float]]] = {name: {} for name in questions}  # ms per answered request
        failed: dict[str, int] = {}
        load_before = os.getloadavg()
        try:
            for _ in range(args.rounds):
                for name, bodies in questions.items():
                    script = wrk_script(bodies, JSON, JSON, False, tmp)
                    for target, url in urls.items():
                        before = cpu_seconds(pids[target])
                        rate, failures = run_wrk(url, script, args.seconds, args.threads, args.connections)
                        spent = cpu_seconds(pids[target]) - before
                        rates[name].setdefault(target, []).append(rate)
                        cpu[name].setdefault(target, []).append(1000 * spent / max(rate * args.seconds, 1))
                        failed[target] = failed.get(target, 0) + failures
                    time.sleep(0.5)
        finally:
            stop([floor])
    print(
        f"wrk -t{args.threads} -c{args.connections} keep-alive, {args.seconds:g} s per run, median of {args.rounds} "
        f"rounds (min–max); questions per family: "
        + ", ".join(f"{name} {len(bodies)}" for name, bodies in questions.items())
    )
    print(report(rates, cpu, list(urls)))
    print("warm: default server after one pass over every question; cold: IETFKG_ANSWER_CACHE=0")
    print("floor: a fixed GraphQL JSON body from a trivial Starlette endpoint on the same uvicorn")
    print("CPU ms/request: the server process's CPU time (all threads) during a run ÷ the requests it answered")
    print("failed answers (non-2xx, connect errors, timeouts):", failed)
    print("machine:", machine())
    print("load average (1, 5, 15 min) before the runs: {:.2f} {:.2f} {:.2f}; after: {:.2f} {:.2f} {:.2f}".format(
        *load_before, *os.getloadavg()))


if __name__ == "__main__":
    main()
