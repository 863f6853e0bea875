"""How an answer says that a cap cut it: the ``IETFKG-Truncated`` response header.

``/sparql`` sends ``IETFKG-Truncated: rows=10000`` (``triples=`` for CONSTRUCT and
DESCRIBE) on every format whose answer the row cap cut, and no such header when
nothing was cut; the header comes before the body, so a client knows before it
reads a row. The remote backend reads the same header from the servers it
queries.
"""

from __future__ import annotations

from dataclasses import dataclass

HEADER = "IETFKG-Truncated"


@dataclass(frozen=True, slots=True)
class Truncation:
    unit: str  # "rows" (SELECT) or "triples" (CONSTRUCT, DESCRIBE)
    count: int | None  # how many were sent; None when a server did not say

    @classmethod
    def of(cls, kind: str, count: int) -> Truncation:
        """For a result of ``kind`` ("results" or "rdf", as in ``graph/exports.py``) cut after ``count``."""
        return cls("rows" if kind == "results" else "triples", count)

    @property
    def header(self) -> str:
        """
        >>> Truncation.of("rdf", 10000).header
        'triples=10000'
        """
        return f"{self.unit}={'' if self.count is None else self.count}"

    def __str__(self) -> str:
        """
        >>> str(Truncation.of("results", 10000))
        '10,000 rows'
        """
        return f"{self.count:,} {self.unit}" if self.count is not None else f"an unknown number of {self.unit}"


def parse(value: str | None) -> Truncation | None:
    """The header's value read back; ``None`` when there was no header (nothing was cut).

    >>> parse("rows=10000"), parse(None)
    (Truncation(unit='rows', count=10000), None)
    >>> parse("something else")
    Truncation(unit='rows', count=None)
    """
    if value is None:
        return None
    unit, _, count = value.strip().partition("=")
    unit = unit.strip().lower()
    return Truncation(unit if unit in ("rows", "triples") else "rows", int(count) if count.strip().isdigit() else None)
