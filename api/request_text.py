"""Request text read strictly as UTF-8: a byte that is not UTF-8 is refused with a 400, never replaced.

Starlette (and ``bytes.decode(errors="replace")``) would turn such a byte into U+FFFD and answer a
query nobody sent; the SPARQL endpoint and GraphQL read their bodies and query strings here.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from ietfkg.schema.errors import RequestError


def utf8(data: bytes, what: str) -> str:
    """``data`` decoded, or a 400 naming the first bad byte and where it is.

    >>> utf8(b"ASK {} #\\xff", "the query")
    Traceback (most recent call last):
    ietfkg.schema.errors.RequestError: the query is not UTF-8: byte 0xff at offset 8
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RequestError(f"{what} is not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}") from None


def form(data: bytes, what: str) -> dict[str, list[str]]:
    """``key=value&...`` pairs (a query string or a form body), %-escapes decoded as UTF-8."""
    try:
        return parse_qs(utf8(data, what), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise RequestError(f"{what} is not UTF-8 once its %-escapes are decoded") from None
