"""`ietfkg stats`, `export`, `settings` and error handling, run as a user would."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat, parse

from tests.conftest import run_cli
from tests.test_rfc_editor import issued_rfcs


def test_stats_lists_sources_with_provenance(cli) -> None:
    out = cli("stats").stdout
    for source in ("rfc-editor", "datatracker-agenda", "power-map", "iesg-roll-calls", "iab-programs", "curated"):
        assert source in out
    assert "2024-01-06" in out  # the RFC Editor snapshot date
    assert "RFC" in out and "Person" in out


def test_export_one_graph_as_turtle(cli, tmp_path: Path) -> None:
    target = tmp_path / "curated.ttl"
    cli("export", "--format", "ttl", "--graph", "curated", "-o", str(target))
    triples = list(parse(path=str(target), format=RdfFormat.TURTLE))
    subjects = {t.subject.value for t in triples}
    assert "https://ietf-kg.example/group/secdir" in subjects
    # The curated graph states facts about groups; RFC titles come only from the RFC Editor graph.
    assert not any(t.predicate.value == "http://purl.org/dc/terms/title" for t in triples)


def test_export_whole_graph_keeps_named_graphs(cli, tmp_path: Path, snapshot_build) -> None:
    target = tmp_path / "all.nq"
    cli("export", "--format", "nq", "-o", str(target))
    graphs = {q.graph_name.value for q in parse(path=str(target), format=RdfFormat.N_QUADS)}
    assert {f"https://ietf-kg.example/graph/{s.info.name}" for s in snapshot_build.sources} <= graphs


def test_export_jsonld(cli, tmp_path: Path) -> None:
    target = tmp_path / "protocols.jsonld"
    cli("export", "--format", "jsonld", "--graph", "protocols", "-o", str(target))
    assert '"https://ietf-kg.example/protocol/tls"' in target.read_text("utf-8")


def test_unknown_graph_and_missing_store_are_clear(cli, tmp_path: Path) -> None:
    bad = cli("export", "--graph", "nope", check=False)
    assert bad.returncode == 2 and "no named graph 'nope'" in bad.stderr and "Traceback" not in bad.stderr
    missing = run_cli("stats", "--store", str(tmp_path / "empty"), check=False)
    assert missing.returncode != 0 and "ietfkg build" in missing.stderr and "Traceback" not in missing.stderr


def test_bad_sparql_is_a_clear_error(cli) -> None:
    bad = cli("query", "SELECT WHERE {", check=False)
    assert bad.returncode == 2 and "syntax error" in bad.stderr.lower() and "Traceback" not in bad.stderr


def test_store_from_environment(store_root: Path) -> None:
    result = run_cli("query", "--format", "csv", "SELECT (COUNT(*) AS ?n) WHERE { ?r a ietf:RFC }",
                     env={"IETFKG_STORE": str(store_root)})
    assert result.stdout.splitlines()[1] == str(issued_rfcs())
