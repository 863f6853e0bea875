"""Build benchmark: the whole ietf-kg build vs a raw pyoxigraph bulk load of the same triples.

Both run in fresh subprocesses on this machine in the same run; the output is
ratios (time and peak memory), never a pass/fail on wall-clock numbers.

    make bench        # or: .venv/bin/python bench/build_bench.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BUILD = """
import json, resource, sys, time
from pathlib import Path
from ietfkg.ingest.pipeline import build
from ietfkg.schema.vocab import DEFAULT_BASE
started = time.perf_counter()
summary = build(Path(sys.argv[1]), DEFAULT_BASE)
print(json.dumps({"seconds": time.perf_counter() - started, "triples": summary.triples,
                  "timings": summary.timings, "store": str(summary.store),
                  # the SHACL validator runs alongside in a child process: count both
                  "peak_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                              + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024}))
"""

BASELINE = """
import json, resource, sys, time
from pyoxigraph import RdfFormat, Store
started = time.perf_counter()
store = Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=RdfFormat.N_QUADS)
store.optimize()
store.flush()
print(json.dumps({"seconds": time.perf_counter() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

# The source graphs only (as `ietfkg export --format nq` writes them): the merged
# default graph the build adds is the build's own work, not part of the baseline.
DUMP = """
import sys
from pathlib import Path
from pyoxigraph import RdfFormat, Store
from ietfkg.graph.oxigraph_backend import OxigraphBackend
Path(sys.argv[2]).write_bytes(OxigraphBackend(Store.read_only(sys.argv[1])).dump(RdfFormat.N_QUADS))
"""


def _run(script: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)  # medians of 5: the machine varies by 20% run to run
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        builds = [_run(BUILD, str(root / f"store{i}")) for i in range(runs)]
        dump = root / "all.nq"
        subprocess.run([sys.executable, "-c", DUMP, builds[-1]["store"], str(dump)], check=True)
        baselines = [_run(BASELINE, str(dump), str(root / f"raw{i}")) for i in range(runs)]
    build_s = statistics.median(b["seconds"] for b in builds)
    base_s = statistics.median(b["seconds"] for b in baselines)
    build_mb = max(b["peak_mb"] for b in builds)
    base_mb = max(b["peak_mb"] for b in baselines)
    print(f"triples: {builds[-1]['triples']:,} (N-Quads dump {dump.name})")
    print(f"{'':28}{'median s':>10}{'peak MB':>10}")
    print(f"{'raw pyoxigraph bulk_load':28}{base_s:>10.2f}{base_mb:>10.0f}")
    print(f"{'ietfkg build (all phases)':28}{build_s:>10.2f}{build_mb:>10.0f}")
    print(f"build / baseline: {build_s / base_s:.1f}x time, {build_mb / base_mb:.1f}x peak memory")
    phases = {k: statistics.median(b["timings"][k] for b in builds) for k in builds[-1]["timings"]}
    print("build phases (median s): " + ", ".join(f"{k} {v:.2f}" for k, v in phases.items()))
    print("  (SHACL runs in a second process during the build; `validate` is the wait for it at the end)")
    without = build_s - phases.get("validate", 0.0)
    print(f"build without that wait / baseline: {without / base_s:.1f}x time")


if __name__ == "__main__":
    main()
