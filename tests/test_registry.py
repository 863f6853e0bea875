"""The registry (ingest/registry.py) is the one list of sources: every source module is in it,
and the snapshot build, the live build and the apart reader all take their sources from it."""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path

import pytest

from ietfkg.graph.progress import QuietReporter
from ietfkg.ingest import live, registry, sources
from ietfkg.ingest.fetch.http_cache import HttpCache
from ietfkg.ingest.fetch.http_client import HttpSettings, LiveClient
from ietfkg.ingest.sources.base import Source

INGEST = Path(registry.__file__).parent
SHARED = {"base"}  # helpers, not a source


def _source_modules() -> set[str]:
    return {m.name for m in pkgutil.iter_modules(sources.__path__)} - SHARED


def test_every_source_module_has_one_row_and_every_row_a_module() -> None:
    modules = [r.module for r in registry.ROWS]
    assert sorted(modules) == sorted(_source_modules())
    names = [r.name for r in registry.ROWS]
    assert len(set(names)) == len(names) == len(modules)


def test_each_row_names_what_its_module_has() -> None:
    config = live.LiveConfig(cache_dir=Path("unused"))
    for row in registry.ROWS:
        module = row.load()
        assert hasattr(module, "read") == row.snapshot, row
        assert hasattr(module, "live") == row.live, row
        if row.snapshot:
            assert module.INFO.name == row.name
        if hasattr(module, "live_info"):
            assert module.live_info(config).name == row.name
    assert [r.name for r in registry.ROWS if r.synced] == list(config.synced())


def test_the_snapshot_build_reads_the_rows_with_a_snapshot_reader_in_order() -> None:
    built = registry.snapshot_sources()
    assert [s.info.name for s in built] == [r.name for r in registry.ROWS if r.snapshot]
    assert (
        [s.info.name for s in built if s.apart]
        == [r.name for r in registry.ROWS if r.apart]
        == ["relaton-subseries"]
    )
    # the real files: the RFC Editor reader finds every RFC JSON of the bundled tarball
    (rfcs,) = (s for s in built if s.info.name == "rfc-editor")
    assert sum(1 for _ in rfcs.read(Path(str(INGEST / "snapshot")), {}, pytest.fail)) > 9000


def test_the_live_build_swaps_in_the_live_sources_and_keeps_the_rest(tmp_path: Path) -> None:
    config = live.LiveConfig(cache_dir=tmp_path)
    with LiveClient(HttpSettings(rate_per_s=0), HttpCache(tmp_path / "http")) as client:
        built = live.live_sources(config, client, QuietReporter())
    assert [s.info.name for s in built] == [r.name for r in registry.ROWS]
    snapshot = {s.info.name: s for s in registry.snapshot_sources()}
    for row, source in zip(registry.ROWS, built, strict=True):
        assert isinstance(source, Source)
        assert (source == snapshot.get(row.name)) == (not row.live), row.name  # the very same reader


def _names_a_source(node: ast.AST, wanted: set[str]) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and sub.value in wanted:
            return True
        if isinstance(sub, ast.Attribute) and (sub.attr == "INFO" or sub.attr in wanted):
            return True
    return False


def source_lists(text: str, wanted: set[str]) -> list[int]:
    """Lines of the tuple, list and set literals in ``text`` with three or more items naming a source."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(text))
        if isinstance(node, (ast.Tuple, ast.List, ast.Set))
        and sum(_names_a_source(e, wanted) for e in node.elts) >= 3
    ]


def test_no_module_lists_the_sources_but_the_registry() -> None:
    wanted = _source_modules() | {r.name for r in registry.ROWS}
    listed = {
        f"{path.relative_to(INGEST)}:{line}"
        for path in INGEST.rglob("*.py")
        if path.name != "registry.py"
        for line in source_lists(path.read_text("utf-8"), wanted)
    }
    assert listed == set()
    # the check sees a list like the one live.py kept before it read the registry
    assert source_lists('x = (bundled["power-map"], bundled["curated"], Source(a.INFO, read))', wanted) == [1]
