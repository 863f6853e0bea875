"""The package build runs the front-end step first, so ``pip install .`` carries the assets.

Everything else about the package is in ``pyproject.toml``; this file only adds that step, as
Jupyter's hatch-jupyter-builder does for hatch. Set ``IETFKG_SKIP_ASSETS=1`` to build without
them (the server then says on each page that needs them how to install them).
"""

import importlib.util
import os
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _assets():
    spec = importlib.util.spec_from_file_location("ietfkg_assets", ROOT / "api" / "assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildPyWithAssets(build_py):
    def run(self) -> None:
        assets = _assets()
        if assets.missing() and not os.environ.get("IETFKG_SKIP_ASSETS"):
            assets.vendor(ROOT)
        super().run()


setup(cmdclass={"build_py": BuildPyWithAssets})
