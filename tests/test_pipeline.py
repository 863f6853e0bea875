"""Build edge cases on a small hand-made snapshot: bad records, strict mode, atomic swap."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import tarfile
import time
from io import BytesIO
from pathlib import Path

import psutil
import pytest
from pyoxigraph import Store

from ietfkg.graph.oxigraph_backend import OxigraphBackend
from ietfkg.graph.store_dir import StoreDir
from ietfkg.ingest.pipeline import build
from ietfkg.schema.errors import BuildFailed
from ietfkg.schema.vocab import DEFAULT_BASE
from tests.conftest import FIXTURES, cli_command, run_cli


def _tar(path: Path, members: dict[str, object]) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name, content in members.items():
            data = (content if isinstance(content, str) else json.dumps(content)).encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, BytesIO(data))


@pytest.fixture()
def snapshot(tmp_path: Path) -> Path:
    """The hand-made snapshot, with its tarballs packed from tests/fixtures/rfcs.json."""
    root = tmp_path / "snapshot"
    shutil.copytree(FIXTURES / "snapshot", root)
    rfcs = json.loads((FIXTURES / "rfcs.json").read_text("utf-8"))
    rfcs.pop("_comment")
    (root / "rfc-editor").mkdir()
    _tar(root / "rfc-editor" / "rfc-json.tar.gz", rfcs)
    (root / "relaton-rfcsubseries").mkdir()
    _tar(root / "relaton-rfcsubseries" / "rfcsubseries-yaml.tar.gz",
         {"data/BCP0099.yaml": "id: BCP99\ndocnumber: BCP0099\n", "data/BCP0100.yaml": "id: [unclosed\n"})
    return root


def _rows(store_dir: Path, query: str) -> list[tuple[str, ...]]:
    backend = OxigraphBackend.open(StoreDir(store_dir).current())
    return [tuple(None if cell is None else cell.value for cell in row) for row in backend.select(query).rows]


def test_bad_records_are_counted_and_skipped(snapshot: Path, tmp_path: Path) -> None:
    summary = build(tmp_path / "store", DEFAULT_BASE, snapshot=snapshot)
    errors = {r.info.name: [str(e) for e in r.errors] for r in summary.sources}
    assert any("rfc9003.json" in e and "malformed JSON" in e for e in errors["rfc-editor"])
    assert any("rfc9004.json" in e for e in errors["rfc-editor"])
    assert any("programs.jsonl:2" in e for e in errors["iab-programs"])
    assert any("99" in e for e in errors["power-map"])  # role of an unknown person
    # read in a second process (ingest/apart.py): its errors come back with their file and record
    assert [e for e in errors["relaton-subseries"] if "BCP0100.yaml" in e and "malformed YAML" in e]
    numbers = _rows(tmp_path / "store", "SELECT ?n WHERE { ?r ietf:rfcNumber ?n } ORDER BY ?n")
    assert numbers == [("9001",), ("9002",)]


def test_edge_cases_land_in_the_graph(snapshot: Path, tmp_path: Path) -> None:
    build(tmp_path / "store", DEFAULT_BASE, snapshot=snapshot)
    cycle = _rows(tmp_path / "store", "SELECT ?a ?b WHERE { ?x ietf:obsoletes ?y . ?x ietf:rfcNumber ?a . ?y ietf:rfcNumber ?b } ORDER BY ?a")
    assert cycle == [("9001", "9002"), ("9002", "9001")]
    no_authors = _rows(tmp_path / "store", "SELECT ?c WHERE { ?r ietf:rfcNumber 9002 OPTIONAL { ?r dcterms:creator ?c } }")
    assert no_authors == [(None,)]
    # "Z. Ünicode-Smith" resolves to the full name; "B. Smith" must not merge with "Adam Smith".
    authors = _rows(tmp_path / "store", "SELECT DISTINCT ?name WHERE { ?r ietf:rfcNumber 9001 ; dcterms:creator/foaf:name ?name } ORDER BY ?name")
    assert authors == [("B. Smith",), ("Zoë Ünicode-Smith",)]
    seats = _rows(tmp_path / "store", """
        SELECT ?name ?start ?end WHERE { ?m org:role ietf:role-ad ; org:member/foaf:name ?name ;
          ietf:startDate ?start ; ietf:endDate ?end ; prov:wasDerivedFrom ?url . FILTER(CONTAINS(STR(?url), "minutes")) }
        ORDER BY ?name""")
    # Bob is "incoming" on 2020-01-01, so his seat starts 2020-02-01; Zoë's regrets still count as her seat.
    assert sorted(set(seats)) == [("Bob Newcomer", "2020-02-01", "2020-02-01"), ("Zoë Ünicode-Smith", "2020-01-01", "2020-02-01")]


def test_strict_fails_and_keeps_the_previous_store(snapshot: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    build(store, DEFAULT_BASE, snapshot=snapshot, sources=_without_bad_sources())
    before = StoreDir(store).current()
    with pytest.raises(BuildFailed, match="strict"):
        build(store, DEFAULT_BASE, snapshot=snapshot, strict=True)
    assert StoreDir(store).current() == before
    assert not list((store / "builds").glob("*.partial"))


def test_a_failed_build_leaves_no_validator_behind(snapshot: Path, tmp_path: Path) -> None:
    def validators() -> list[psutil.Process]:
        return [c for c in psutil.Process().children(recursive=True) if "validation_worker" in " ".join(c.cmdline())]

    with pytest.raises(BuildFailed, match="strict"):
        build(tmp_path / "store", DEFAULT_BASE, snapshot=snapshot, strict=True)
    assert validators() == []


def _without_bad_sources():
    from ietfkg.ingest import registry

    return tuple(s for s in registry.snapshot_sources() if s.info.name in {"datatracker-agenda", "curated"})


def test_cli_strict_reports_without_traceback(snapshot: Path, tmp_path: Path) -> None:
    result = run_cli("build", "-q", "--strict", "--snapshot", str(snapshot), "--store", str(tmp_path / "s"), check=False)
    assert result.returncode != 0
    assert "bad records" in result.stderr and "Traceback" not in result.stderr


def test_killed_build_leaves_previous_store_serving(snapshot: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    build(store, DEFAULT_BASE, snapshot=snapshot)
    before = StoreDir(store).current()
    # A full real build takes seconds: kill it with SIGKILL once it has started writing.
    command = cli_command("build", "-q", "--store", str(store))
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list((store / "builds").glob("*.partial")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list((store / "builds").glob("*.partial")), "the build never started writing"
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL  # killed mid-way, not already finished
    assert StoreDir(store).current() == before
    assert _rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?r ietf:rfcNumber ?x }") == [("2",)]
    build(store, DEFAULT_BASE, snapshot=snapshot)
    assert StoreDir(store).current() != before
    assert not list((store / "builds").glob("*.partial"))


def test_store_layout_keeps_one_previous_build(snapshot: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    for _ in range(3):
        build(store, DEFAULT_BASE, snapshot=snapshot, validate=False)
    finished = [p for p in (store / "builds").iterdir() if p.is_dir()]
    assert len(finished) == 2 and StoreDir(store).current() in finished
    Store.read_only(str(StoreDir(store).current()))


def test_source_triple_counts_are_what_each_graph_holds(snapshot_build) -> None:
    """Records repeat statements (an author's name in each of their RFCs): the count is of the graph."""
    backend = OxigraphBackend.open(snapshot_build.store)
    rows = backend.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
    in_store = {g.value: int(n.value) for g, n in rows}
    counted = {DEFAULT_BASE + "graph/" + r.info.name: r.triples for r in snapshot_build.sources}
    assert counted == {g: in_store[g] for g in counted} and sum(counted.values()) > 200_000
    recorded = backend.select("SELECT ?g ?n WHERE { ?g ietf:tripleCount ?n }").rows  # what `ietfkg stats` shows
    assert {g.value: int(n.value) for g, n in recorded} == counted


def test_build_directories_sort_in_build_order(tmp_path: Path) -> None:
    """Pruning keeps the last two builds by name: names made within one second must still sort."""
    store_dir = StoreDir(tmp_path)
    made = []
    for _ in range(20):  # far faster than a second
        partial = store_dir.new_build()
        made.append(store_dir.commit(partial))
    kept = sorted(p for p in store_dir.builds.iterdir() if p.is_dir())
    assert kept == made[-2:] and store_dir.current() == made[-1]
