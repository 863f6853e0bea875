"""Named SPARQL queries, one per ``queries/*.rq`` file, loaded once.

Each file opens with a comment saying what it returns. Values reach a query
only as bound variables (``substitutions``), never by string splicing.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def load(name: str) -> str:
    """The text of ``queries/<name>.rq``.

    >>> load("sources").lstrip().startswith("#")
    True
    """
    return (files("ietfkg.graph") / "queries" / f"{name}.rq").read_text("utf-8")


def names() -> list[str]:
    return sorted(p.name.removesuffix(".rq") for p in (files("ietfkg.graph") / "queries").iterdir() if p.name.endswith(".rq"))
