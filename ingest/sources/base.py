"""What every source module shares: the ``Source`` a reader makes, and the small steps
between a decoded file and the parser (report a decoding error, skip a bad record)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ietfkg.ingest.parsing import OnError
from ietfkg.ingest.records import Record, SourceInfo
from ietfkg.schema.errors import ParseError

Parsed = Mapping[str, list[Record]]
Reader = Callable[[Path, Parsed, OnError], Iterator[Record]]
R = TypeVar("R", bound=Record)

__all__ = ["OnError", "Parsed", "Reader", "Source", "catch", "decoded", "each", "of_type"]


@dataclass(frozen=True, slots=True)
class Source:
    info: SourceInfo
    read: Reader
    apart: bool = False  # slow, and reads no earlier source: read in a second process meanwhile (``apart``)


def decoded(item: tuple[str, Any], on_error: OnError) -> Any | None:
    """The decoded value, or None after reporting a decoding error."""
    _, value = item
    if isinstance(value, ParseError):
        on_error(value)
        return None
    return value


def each(
    parse: Callable[[Any, str], Record], items: Iterator[tuple[str, Any]], on_error: OnError
) -> Iterator[Record]:
    """One record per decoded item; a bad item is reported and skipped."""
    for locator, value in items:
        if isinstance(value, ParseError):
            on_error(value)
            continue
        try:
            yield parse(value, locator)
        except ParseError as err:
            on_error(err)


def catch(run: Callable[[], list[Record]], on_error: OnError) -> list[Record]:
    """``run``'s records, or none after reporting the error that stopped it."""
    try:
        return run()
    except ParseError as err:
        on_error(err)
        return []


def of_type(records: Iterable[Record], kind: type[R]) -> list[R]:
    return [r for r in records if isinstance(r, kind)]
