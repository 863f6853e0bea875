"""The limits of ``/sparql`` in one place: which answers the row cap applies to, and
``GET /sparql/limits``, the JSON document that tells clients.

The rule: CSV and TSV (by ``Accept`` or ``format=``) and every download (a
``format=`` naming a format this query can have, as the query page's links do)
are meant to be complete, so they stream every row or triple up to the time
limit. Every other answer (JSON, XML, Turtle, N-Triples, JSON-LD, RDF/XML
negotiated by ``Accept``: API clients, the query page's table) stops at
``max_rows``; when the cap cuts one, the ``IETFKG-Truncated`` header says so
(``graph/truncation.py``), and SPARQL JSON also ends with ``"truncated": true``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from ietfkg.api.http_server import MAX_URL_BYTES
from ietfkg.api.settings import Settings
from ietfkg.api.sparql.analysis import MAX_QUERY_CHARS
from ietfkg.graph.exports import Format
from ietfkg.graph.truncation import HEADER

WHOLE_FORMATS = ("csv", "tsv")  # SELECT formats meant for files and spreadsheets: never capped


def row_cap(fmt: Format, download: bool, max_rows: int) -> int | None:
    """The cap for an answer in ``fmt``; ``None``: every row, up to the time limit.

    >>> from ietfkg.graph.exports import get
    >>> row_cap(get("csv", "results"), False, 10), row_cap(get("json", "results"), False, 10)
    (None, 10)
    >>> row_cap(get("ttl", "rdf"), True, 10) is None
    True
    """
    whole = download or (fmt.kind == "results" and fmt.name in WHOLE_FORMATS)
    return None if whole else max_rows


def document(settings: Settings) -> dict[str, Any]:
    """What ``GET /sparql/limits`` answers (the service description says the same in RDF)."""
    return {
        "max_rows": settings.max_rows,
        "row_cap_applies_to": (
            "answers negotiated by Accept in SPARQL JSON or XML (SELECT), Turtle, N-Triples, JSON-LD or "
            "RDF/XML (CONSTRUCT, DESCRIBE): API clients and the query page's table"
        ),
        "streamed_whole": {
            "formats": list(WHOLE_FORMATS),
            "downloads": "any request with format= (a download: Content-Disposition: attachment)",
            "rule": "every row or triple, streamed as it is produced, until the query time limit",
        },
        "truncation_header": {
            "name": HEADER,
            "value": "rows=N (SELECT) or triples=N (CONSTRUCT, DESCRIBE)",
            "sent": "before the body, only when the row cap cut the answer",
        },
        "json_truncated_key": 'a cut SPARQL JSON result ends with "truncated": true',
        "query_timeout_s": settings.query_timeout_s,
        "on_timeout": "503 query_timeout before the first byte; a streamed answer past the limit is "
        "broken off, so the client sees an incomplete transfer, never a short file that looks whole",
        "max_query_chars": MAX_QUERY_CHARS,
        "max_body_bytes": settings.max_body_bytes,
        "max_url_bytes": MAX_URL_BYTES,
        "max_url": "a longer URL is answered 414 uri_too_long; POST longer queries",
        "read_only": True,
        "refused": ["SPARQL Update", "SERVICE"],
    }


async def limits(request: Request) -> JSONResponse:
    return JSONResponse(document(request.app.state.settings))
