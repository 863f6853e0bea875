"""Small helpers every parser shares: how bad entries are reported, and clean text.

Parsers take ``on_error``: with a callback, a bad entry is handed to it and
skipped (the pipeline counts it); with ``None`` the first error is raised,
which is what ``--strict`` needs.
"""

from __future__ import annotations

from collections.abc import Callable
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
