"""``pip install .`` from a clean clone, into a fresh virtualenv, with no ``make`` step: the package
carries the front-end files its build step installed from npm, every face loads every asset it
names, and a face whose files are gone says why, on its page and in the server's log.

Real pip, real npm (the registries are reachable), a real ``ietfkg serve`` from the new venv on
the suite's built store; the dependencies the new venv imports are the suite's own (``make install``
resolved them from the same pyproject).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ietfkg.api import assets
from tests.test_sparql_workers import Server

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("/", "/graphql", "/viz", "/sparql")
HTML = {"Accept": "text/html"}
_ASSET_REF = re.compile(r"""(?:src|href)=["'](/static/[^"'?#]+)""")


@dataclass(frozen=True)
class Installed:
    clone: Path  # the clean copy pip built from (its node_modules came from the build step)
    ietfkg: Path  # the console script in the new venv
    vendor: Path  # static/vendor/ inside the installed package


def _clean_clone(target: Path) -> Path:
    """The tracked files of this checkout, as a fresh clone has them: no node_modules, no vendor/."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _lend_dependencies(venv: Path) -> None:
    """Let the new venv import its dependencies from this suite's venv, after ietf-kg is installed.

    What is under test is the package pip builds from a clean clone (its code, data and npm
    files); its dependencies are the ones ``make install`` resolved from the same pyproject, and
    installing them all again took most of this module's time. The path goes after the new
    venv's own site-packages, so ``ietfkg`` still comes from the new venv (``installed`` checks
    where), and only as a path: the suite's editable-install hook there is not run.
    """
    own = subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                         capture_output=True, text=True, check=True).stdout.strip()
    lent = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(own) / "zz-suite-dependencies.pth").write_text("".join(f"{path}\n" for path in sorted(lent)))


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("pip-install")
    clone = _clean_clone(base / "clone")
    assert not (clone / "node_modules").exists() and not (clone / "api" / "static" / "vendor").exists()
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("IETFKG_SKIP_ASSETS", None)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "--no-deps", str(clone)],
                         env=env, capture_output=True, text=True)
    assert pip.returncode == 0, pip.stdout[-3000:] + pip.stderr[-3000:]
    _lend_dependencies(venv)
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import ietfkg.api, pathlib; print(pathlib.Path(ietfkg.api.__file__).parent)"],
        capture_output=True, text=True, check=True, cwd=base,
    ).stdout.strip()
    return Installed(clone, venv / "bin" / "ietfkg", Path(where) / "static" / "vendor")


@pytest.fixture()
def served(installed: Installed, store_root: Path, tmp_path: Path) -> Iterator[Server]:
    server = Server(store_root, tmp_path / "server.log", ietfkg=[str(installed.ietfkg)])
    yield server
    server.proc.terminate()
    server.proc.wait(timeout=60)


def test_the_package_carries_every_front_end_file_npm_installed(installed: Installed) -> None:
    assert str(installed.vendor).startswith(str(installed.ietfkg.parents[1]))  # in the venv, not the clone
    for name, source in assets.ASSETS.items():
        carried = installed.vendor / name
        assert carried.is_file(), name
        assert carried.read_bytes() == (installed.clone / source).read_bytes(), name


def test_every_asset_the_installed_faces_load_answers_200(served: Server) -> None:
    loaded: set[str] = set()
    for page in PAGES:
        response = httpx.get(served.url + page, headers=HTML, timeout=60)
        assert response.status_code == 200, page
        loaded |= set(_ASSET_REF.findall(response.text))
    assert {"/static/vendor/cytoscape.min.js", "/static/vendor/graphiql/graphiql.min.js",
            "/static/vendor/yasgui/yasgui.min.js"} <= loaded
    statuses = {path: httpx.get(served.url + path, timeout=60).status_code for path in sorted(loaded)}
    assert {path: status for path, status in statuses.items() if status != 200} == {}
    assert "front-end files are not installed" not in served.log


def test_a_face_whose_files_are_gone_says_why(installed: Installed, store_root: Path, tmp_path: Path) -> None:
    gone = ("cytoscape.min.js", "yasgui/yasgui.min.js")
    for name in gone:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(installed.vendor / name, tmp_path / name)
    try:
        server = Server(store_root, tmp_path / "server.log", ietfkg=[str(installed.ietfkg)])
        try:
            viz = httpx.get(server.url + "/viz", headers=HTML, timeout=60)
            assert viz.status_code == 503  # a page that cannot draw anything says why instead
            assert "the area map cannot start" in viz.text and "make install" in viz.text
            assert "cytoscape.min.js" in viz.text
            sparql = httpx.get(server.url + "/sparql", headers=HTML, timeout=60)
            assert sparql.status_code == 200  # the endpoint works without its editor
            assert "the SPARQL query page cannot start" in sparql.text and "yasgui/yasgui.min.js" in sparql.text
            assert httpx.get(server.url + "/graphql", headers=HTML, timeout=60).status_code == 200  # its files are there
            warnings = [line for line in server.log.splitlines() if "front-end files are not installed" in line]
            assert len(warnings) == 2 and not [w for w in warnings if "GraphQL explorer" in w]
        finally:
            server.proc.terminate()
            server.proc.wait(timeout=60)
    finally:
        for name in gone:
            shutil.move(tmp_path / name, installed.vendor / name)
