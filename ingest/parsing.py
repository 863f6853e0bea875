"""Small helpers every parser shares: how bad entries are reported, and clean text.

Parsers take ``on_error``: with a callback, a bad entry is handed to it and
skipped (the pipeline counts it); with ``None`` the first error is raised,
which is what ``--strict`` needs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ietfkg.schema.errors import ParseError

OnError = Callable[[ParseError], None]


def skip_or_raise(err: ParseError, on_error: OnError | None) -> None:
    """Report a bad entry to ``on_error``, or raise it when there is none."""
    if on_error is None:
        raise err
    on_error(err)


def text(value: Any) -> str | None:
    """Stripped string, or None for missing/empty (records never hold "").

    >>> text("  tls "), text(""), text(None)
    ('tls', None, None)
    """
    if value is None:
        return None
    stripped = str(value).strip()
    return stripped or None


def value_of(entry: Any, field: str, source: str, where: str, problem: str | None = None) -> Any:
    """``entry[field]`` as it is; ``ParseError`` when ``entry`` is not an object or the value is missing or "".

    >>> value_of({"group": "/api/v1/group/group/1/"}, "group", "demo", "x")
    '/api/v1/group/group/1/'
    >>> value_of([], "group", "demo", "x")
    Traceback (most recent call last):
    ietfkg.schema.errors.ParseError: demo: x: expected an object, got list
    """
    if not isinstance(entry, Mapping):
        raise ParseError(source, where, f"expected an object, got {type(entry).__name__}")
    value = entry.get(field)
    if value is None or value == "":
        raise ParseError(source, where, problem or f"missing {field!r}")
    return value


def required(entry: Mapping[str, Any], field: str, source: str, where: str, problem: str | None = None) -> str:
    """The stripped text of ``entry[field]``; ``ParseError(source, where, problem)`` when missing.

    >>> required({"acronym": " tls "}, "acronym", "demo", "x", "group has no acronym")
    'tls'
    >>> required({"acronym": "  "}, "acronym", "demo", "x", "group has no acronym")
    Traceback (most recent call last):
    ietfkg.schema.errors.ParseError: demo: x: group has no acronym
    """
    value = text(value_of(entry, field, source, where, problem))
    if value is None:
        raise ParseError(source, where, problem or f"missing {field!r}")
    return value


def cited_urls(entry: Mapping[str, Any], source: str, where: str) -> tuple[str, ...]:
    """A curated entry's ``evidence``: a non-empty list of absolute URLs, else ``ParseError``.

    >>> cited_urls({"evidence": ["https://x.example/"]}, "demo", "e")
    ('https://x.example/',)
    """
    urls = entry.get("evidence")
    if not urls or not isinstance(urls, list) or not all(
        isinstance(url, str) and url.startswith(("http://", "https://")) for url in urls
    ):
        raise ParseError(source, where, "evidence must be a non-empty list of absolute URLs")
    return tuple(urls)


def section_entries(doc: Any, section: str, source: str) -> list[Any]:
    """The list under ``doc[section]`` (none: empty); ``ParseError`` when it is not a list."""
    entries = (doc.get(section) or []) if isinstance(doc, Mapping) else None
    if not isinstance(entries, list):
        raise ParseError(source, section, "section is not a list")
    return entries
