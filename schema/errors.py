"""The single exception hierarchy of ietf-kg.

It lives in the lowest layer so every layer can raise it; only the edges
(``api/http_errors.py`` for HTTP/GraphQL, ``api/cli.py`` for exit codes) turn
these into responses.
"""

from __future__ import annotations

from collections.abc import Sequence


class IetfKgError(Exception):
    """Base of every error we raise on purpose."""

    status: int = 500
    code: str = "internal"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- sources -------------------------------------------------------------------
class SourceError(IetfKgError):
    status = 502
    code = "source_error"


class ParseError(SourceError):
    """A source record could not be turned into a record (file and record named)."""

    code = "parse_error"

    def __init__(self, source: str, key: str, reason: str) -> None:
        super().__init__(f"{source}: {key}: {reason}")
        self.source, self.key, self.reason = source, key, reason

    def __reduce__(self) -> tuple[type[ParseError], tuple[str, str, str]]:  # pickled by a source read apart
        return type(self), (self.source, self.key, self.reason)


class UpstreamError(SourceError):
    code = "upstream_error"


class UpstreamNotFound(UpstreamError):
    code = "upstream_not_found"


class UpstreamRateLimited(UpstreamError):
    code = "upstream_rate_limited"


# -- store ---------------------------------------------------------------------
class StoreError(IetfKgError):
    status = 500
    code = "store_error"


class StoreMissing(StoreError):
    status = 503
    code = "store_missing"


class StoreUnavailable(StoreError):
    """A remote SPARQL server did not answer after the allowed retries."""

    status = 503
    code = "store_unavailable"


class UnknownBackend(StoreError):
    status = 400
    code = "unknown_backend"

    def __init__(self, name: str, known: Sequence[str]) -> None:
        super().__init__(f"unknown store backend {name!r}; known: {', '.join(known)}")


class BadQuery(StoreError):
    status = 400
    code = "bad_query"


class ResultCut(StoreError):
    """A SPARQL server cut a result at its own cap even when asked for every row; ``partial`` is what came."""

    status = 502
    code = "result_cut"

    def __init__(self, message: str, partial: object = None) -> None:
        super().__init__(message)
        self.partial = partial


class QueryTimeout(StoreError):
    status = 503
    code = "query_timeout"


class Starting(StoreError):
    """The server is up but its SPARQL workers are still loading the store."""

    status = 503
    code = "starting"


class BuildFailed(StoreError):
    code = "build_failed"


class ValidationFailed(BuildFailed):
    code = "validation_failed"


# -- requests ------------------------------------------------------------------
class RequestError(IetfKgError):
    status = 400
    code = "bad_request"


class NotFound(RequestError):
    status = 404
    code = "not_found"


class UnknownFormat(RequestError):
    status = 406
    code = "unknown_format"

    def __init__(self, name: str, known: Sequence[str]) -> None:
        super().__init__(f"unknown format {name!r}; known: {', '.join(known)}")
        self.known = list(known)


class UnknownFormatName(UnknownFormat):
    """A ``format=`` or ``--format`` that names no format at all (a 400: the request itself is wrong)."""

    status = 400


class LimitExceeded(RequestError):
    status = 413
    code = "limit_exceeded"


class UriTooLong(RequestError):
    status = 414
    code = "uri_too_long"


class MethodNotAllowed(RequestError):
    status = 405
    code = "method_not_allowed"


class UnsupportedMediaType(RequestError):
    status = 415
    code = "unsupported_media_type"


class Forbidden(RequestError):
    """A request the service refuses by policy (SPARQL Update, SERVICE on a read-only endpoint)."""

    status = 403
    code = "forbidden"


def error_for_code(code: str, message: str) -> IetfKgError:
    """Rebuild an error sent across a process boundary as ``(code, message)``.

    The class whose ``code`` matches is used when it takes a plain message, so
    the status (and, at the edge, the HTTP response) survives the trip.

    >>> error = error_for_code("store_unavailable", "down")
    >>> type(error).__name__, error.status
    ('StoreUnavailable', 503)
    """
    found: type[IetfKgError] = StoreError
    pending: list[type[IetfKgError]] = [IetfKgError]
    while pending:
        cls = pending.pop()
        if cls.code == code and cls.__init__ is IetfKgError.__init__:
            found = cls
            break
        pending.extend(cls.__subclasses__())
    error = found(message)
    error.code = code
    return error
