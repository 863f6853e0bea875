"""Session fixtures: one real build of the bundled snapshot, and a CLI runner."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from ietfkg.ingest.pipeline import BuildSummary, build
from ietfkg.schema.vocab import DEFAULT_BASE

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def snapshot_build(tmp_path_factory: pytest.TempPathFactory) -> BuildSummary:
    """The whole real snapshot, built (and SHACL-validated) once per test session."""
    return build(tmp_path_factory.mktemp("store"), DEFAULT_BASE)


@pytest.fixture(scope="session")
def store_root(snapshot_build: BuildSummary) -> Path:
    return snapshot_build.store.parent.parent


Cli = Callable[..., subprocess.CompletedProcess]


def cli_command(*args: str) -> list[str]:
    """The command line running the ``ietfkg`` entry point with this interpreter (the project's venv)."""
    return [sys.executable, "-c", "from ietfkg.api.cli import main; main()", *args]


def run_cli(*args: str, check: bool = True, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``ietfkg`` entry point as a user would."""
    command = cli_command(*args)
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"ietfkg {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


# The SHACL validation sees the same snapshot whatever the store, writes nothing into it, and
# `snapshot_build` (which every remote fixture needs) has run it: the two remote builds skip it.
# A validating `ietfkg build --store sparql+...` still runs in test_remote_faults' CLI test.
REMOTE_BUILD = ("--no-validate",)


@pytest.fixture(scope="session")
def remote_store(snapshot_build: BuildSummary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server on localhost, built into by `ietfkg build --store sparql+http://...`."""
    from tests.remote import oxigraph_server

    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        spec = "sparql+" + url
        run_cli("build", "-q", *REMOTE_BUILD, "--store", spec)
        yield spec


@pytest.fixture(scope="session")
def virtuoso_store(snapshot_build: BuildSummary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Virtuoso server on localhost, built into by `ietfkg build --store sparql+http://.../sparql`."""
    from tests.virtuoso import credentials, virtuoso_server

    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as url:
        spec = "sparql+" + url
        run_cli("build", "-q", *REMOTE_BUILD, "--store", spec, env=credentials())
        yield spec


STORES = {"embedded": "store_root", "oxigraph": "remote_store", "virtuoso": "virtuoso_store"}


@pytest.fixture(scope="session", params=list(STORES))
def store_spec(request: pytest.FixtureRequest) -> str:
    """Every CLI-level test runs on the embedded store and on two remote SPARQL servers, Oxigraph and Virtuoso."""
    return str(request.getfixturevalue(STORES[request.param]))


@pytest.fixture(scope="session")
def cli(store_spec: str) -> Cli:
    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        return run_cli(*args, "--store", store_spec, check=check)

    return run


@pytest.fixture(scope="session")
def select(cli: Cli) -> Callable[[str], list[dict[str, str]]]:
    """Run a SELECT through `ietfkg query --format json` and return rows of plain values."""

    def run(query: str) -> list[dict[str, str]]:
        out = json.loads(cli("query", "--format", "json", query).stdout)
        return [{k: v["value"] for k, v in row.items()} for row in out["results"]["bindings"]]

    return run


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="session")
def live_server(store_root: Path) -> Iterator[str]:
    """A real uvicorn server on 127.0.0.1 (free port) serving the snapshot store; yields its base URL."""
    from ietfkg.api.settings import Settings

    from tests.timeouts import QUERY_LIMIT_S

    with serve_app(Settings.from_env(store=str(store_root), query_timeout_s=QUERY_LIMIT_S)) as url:
        yield url


@contextmanager
def serve_app(settings: Any, backend: Any = None, wait_ready: bool = True) -> Iterator[str]:
    """Serve ``create_app(settings, backend)`` with uvicorn in a thread on a free port (through
    ietf-kg's own HTTP protocol, as ``ietfkg serve``); yield its URL once ``/healthz`` says ready
    (or, without ``wait_ready``, as soon as it listens)."""
    from ietfkg.api.app import create_app
    from ietfkg.api.http_server import UrlCapProtocol
    from tests.in_thread import served_in_thread

    with served_in_thread(create_app(settings, backend), "test server", http=UrlCapProtocol) as url:
        if wait_ready:
            _wait_until_ready(url)
        yield url


def _wait_until_ready(url: str) -> None:
    """Tests start once ``/healthz`` says ready, as a user's first query would after the ready log line."""
    import time

    import httpx

    for _ in range(2400):  # a safety stop for a server that never gets ready, far above any start-up
        try:
            if httpx.get(url + "/healthz", timeout=60).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"test server at {url} never became ready")


def fixture_store(root: Path, *trig_files: Path) -> Path:
    """A store directory (as ``ietfkg build`` lays it out) holding just the given TriG fixtures."""
    import gc

    from pyoxigraph import RdfFormat, Store

    from ietfkg.graph.store_dir import StoreDir

    store_dir = StoreDir(root)
    partial = store_dir.new_build()
    store = Store(str(partial))
    for path in trig_files:
        store.load(path=str(path), format=RdfFormat.TRIG)
    store.flush()
    del store
    gc.collect()  # release the store's lock before the directory is committed
    store_dir.commit(partial)
    return root



_RERUNS: list[pytest.TestReport] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.outcome == "rerun":
        _RERUNS.append(report)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Show what made each rerun test fail (tests/browser.py reruns a Chromium renderer crash).

    pytest-rerunfailures names rerun tests (``-rR``) but drops the failure itself, and the cause
    of that crash is still unknown: the step it happens at is the first clue.
    """
    if _RERUNS:
        terminalreporter.section("why tests were rerun")
        for report in _RERUNS:
            terminalreporter.write_line(f"{report.nodeid} ({report.when}):")
            lines = report.longreprtext.splitlines()
            # where in our tests it happened (the tail below is deep inside playwright)
            for line in lines:
                if re.match(r"tests/\S+\.py:\d+: ", line):
                    terminalreporter.write_line("  at " + line)
            for line in lines[-25:]:
                terminalreporter.write_line("    " + line)
