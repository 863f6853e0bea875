"""The front-end libraries the faces load, installed from the npm registry into ``static/vendor/``.

They are pinned in ``package.json`` / ``package-lock.json``. ``vendor`` runs ``npm ci`` and
copies the files listed in ``ASSETS``; it is the one way they get there, run by ``make install``
(``python api/assets.py``) and by the package build (``setup.py``), so ``pip install .`` on a
clean clone gives a package that carries them, as Jupyter's hatch-jupyter-builder does. A face
whose files are missing says so on its page and in the server's log instead of staying blank.

Standard library only: the package build runs this file before anything is installed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

STATIC = Path(__file__).parent / "static"
VENDOR = STATIC / "vendor"

# a file under static/vendor/ -> where `npm ci` puts it, under the project root
ASSETS: dict[str, str] = {
    "cytoscape.min.js": "node_modules/cytoscape/dist/cytoscape.min.js",
    "graphiql/graphiql.min.js": "node_modules/graphiql/graphiql.min.js",
    "graphiql/graphiql.min.css": "node_modules/graphiql/graphiql.min.css",
    "graphiql/react.production.min.js": "node_modules/react/umd/react.production.min.js",
    "graphiql/react-dom.production.min.js": "node_modules/react-dom/umd/react-dom.production.min.js",
    "yasgui/yasgui.min.js": "node_modules/@zazuko/yasgui/build/yasgui.min.js",
    "yasgui/yasgui.min.css": "node_modules/@zazuko/yasgui/build/yasgui.min.css",
}
# which face needs which of them
FACES: dict[str, tuple[str, ...]] = {
    "the GraphQL explorer": tuple(name for name in ASSETS if name.startswith("graphiql/")),
    "the area map": ("cytoscape.min.js",),
    "the SPARQL query page": tuple(name for name in ASSETS if name.startswith("yasgui/")),
}
HOW_TO_INSTALL = (
    "run `make install` in a clone, or reinstall with `pip install .` (its build step needs npm "
    "and the npm registry)"
)


class AssetsUnavailable(RuntimeError):
    """The npm step could not run or did not produce a listed file."""


def missing(face: str | None = None, vendor_dir: Path = VENDOR) -> list[str]:
    """The listed files not present under ``vendor_dir`` (of one face, or of all)."""
    wanted = FACES[face] if face is not None else tuple(ASSETS)
    return [name for name in wanted if not (vendor_dir / name).is_file()]


def notice(face: str) -> str | None:
    """What a page or the log says when ``face`` cannot work, or None when it can."""
    absent = missing(face)
    if not absent:
        return None
    return f"{face} cannot start: its front-end files are not installed ({', '.join(absent)}); {HOW_TO_INSTALL}."


def vendor(project_root: Path, vendor_dir: Path = VENDOR) -> None:
    """``npm ci`` in ``project_root``, then copy every listed file into ``vendor_dir``."""
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsUnavailable(f"npm is not installed: it is needed for the front-end files; {HOW_TO_INSTALL}")
    command = [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    if subprocess.run(command, cwd=project_root).returncode != 0:
        raise AssetsUnavailable(f"`{' '.join(command[1:])}` failed in {project_root} (see its output above)")
    for name, source in ASSETS.items():
        origin = project_root / source
        if not origin.is_file():
            raise AssetsUnavailable(f"npm did not install {source} (is package-lock.json up to date?)")
        target = vendor_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(origin, target)
    (vendor_dir / ".installed").touch()  # make's target: newer than package-lock.json means done


if __name__ == "__main__":
    try:
        vendor(Path(__file__).resolve().parents[1])
    except AssetsUnavailable as exc:
        sys.exit(f"error: {exc}")
