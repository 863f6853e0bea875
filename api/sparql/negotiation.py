"""Content negotiation: ``Accept`` header (and a ``format=`` override) to a serializer.

Media types and names resolve through one table, ``graph/exports.py``; this
module only orders what the client accepts and picks the first format the
resource can produce. ``None`` means "the HTML page". The choice depends on the
``Accept`` header and ``format=`` alone (and the fixed table), so it is memoized for
short ones: a pure function's cache, holding nothing of any one request.
"""

from __future__ import annotations

import functools

from starlette.requests import Request

from ietfkg.graph import exports
from ietfkg.graph.exports import Format
from ietfkg.schema.errors import UnknownFormat, UnknownFormatName

HTML_TYPES = ("text/html", "application/xhtml+xml")


def accepted(header: str | None) -> list[str]:
    """Media ranges of an ``Accept`` header, most wanted first (q=0 dropped, ties keep order).

    >>> accepted("text/turtle;q=0.5, application/ld+json, */*;q=0.1")
    ['application/ld+json', 'text/turtle', '*/*']
    """
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "*/*").split(",")):
        media, *params = (piece.strip() for piece in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, index, media.lower()))
    return [media for _, _, media in sorted(ranked)]


def offered(kind: str) -> list[Format]:
    """What a resource of this kind can produce: every result format, or the triple formats."""
    return [f for f in exports.FORMATS if f.kind == kind and (kind != "rdf" or f.holds_triples)]


def is_download(request: Request, fmt: Format) -> bool:
    """Whether ``format=`` chose ``fmt`` (a download link), rather than the ``Accept`` header."""
    override = request.query_params.get("format", "").strip().lower()
    return override in (fmt.name, fmt.media_type, *fmt.aliases)


_CACHED_CHARS = 512  # longer Accept headers and format= values are negotiated afresh: they bound the cache's size


def negotiate(request: Request, kind: str, default: str | None, html: bool = False) -> Format | None:
    """The format to answer with; ``None`` for HTML (only when ``html``).

    ``default`` answers a wildcard (``*/*``); ``None`` there means HTML. The
    ``format=`` query parameter (a name, alias or media type) wins over the header
    when it names a format offered here; one that names no format at all is a 400.
    """
    override = request.query_params.get("format", "").strip().lower()
    header = request.headers.get("accept")
    if len(override) + len(header or "") <= _CACHED_CHARS:
        return _negotiated(override, header, kind, default, html)  # clients send the same few headers
    return _negotiate(override, header, kind, default, html)


def _negotiate(override: str, header: str | None, kind: str, default: str | None, html: bool) -> Format | None:
    choices = offered(kind)
    if html and override == "html":
        return None
    if override and not exports.is_known(override):
        names = [f.name for f in (*offered("results"), *offered("rdf"))] + (["html"] if html else [])
        raise UnknownFormatName(override, list(dict.fromkeys(names)))
    for fmt in choices:
        # Clients such as SPARQLWrapper add their own format=n3 / format=rdf+xml: a name we
        # do not serve for this kind falls back to the Accept header instead of failing.
        if override in (fmt.name, fmt.media_type, *fmt.aliases):
            return fmt
    for media in accepted(header):
        if html and media in HTML_TYPES:
            return None
        if media == "*/*" or media.endswith("/*"):
            return exports.get(default, kind) if default else None
        try:
            fmt = exports.get(media, kind)
        except UnknownFormat:
            continue
        if fmt in choices:
            return fmt
    known = [f.media_type for f in choices] + (list(HTML_TYPES[:1]) if html else [])
    raise UnknownFormat(header or "", known)


_negotiated = functools.lru_cache(maxsize=1_024)(_negotiate)  # a refusal raises: it is not cached
