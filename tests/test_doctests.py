"""Run the doctests of every ietfkg module (examples in docstrings must stay true)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import ietfkg.api
import ietfkg.graph
import ietfkg.ingest
import ietfkg.schema


def _modules() -> list[str]:
    names = []
    for package in (ietfkg.schema, ietfkg.ingest, ietfkg.graph, ietfkg.api):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
