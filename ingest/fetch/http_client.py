"""The polite HTTP client of live ingest: retries, rate limit, cache, pagination.

Every network read of ingest goes through ``LiveClient`` (``fetch/local.py`` keeps the
file reads). It:

* sends a descriptive ``User-Agent`` and keeps at most ``rate_per_s`` requests a second;
* retries 429, 5xx, timeouts and connection errors with exponential backoff and
  jitter, honours ``Retry-After`` (seconds or an HTTP date) up to
  ``retry_after_max_s``, and gives up after ``max_tries`` with ``UpstreamError`` /
  ``UpstreamRateLimited`` (404 is ``UpstreamNotFound`` at once), always naming the URL;
* revalidates cached bodies with ``If-None-Match`` / ``If-Modified-Since`` (a 304
  reuses the body), and trusts a body younger than ``fresh_s`` without asking, so
  a rerun after an interruption skips the pages it already has;
* decodes before caching: a body that does not decode (an HTML error page with
  status 200, truncated JSON) comes back as a ``ParseError`` naming the URL, and
  is never cached.

``datatracker_objects(endpoint, params)`` follows the Datatracker REST API's
``meta.next`` links and yields ``(page_url, object)``; a malformed page is
reported and skipped by computing the next ``offset`` itself.

Politeness settings live in ``HttpSettings`` (env ``IETFKG_HTTP_<NAME>``).
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpx

from ietfkg.ingest.fetch.http_cache import CachedResponse, HttpCache
from ietfkg.schema.errors import ParseError, UpstreamError, UpstreamNotFound, UpstreamRateLimited
from ietfkg.schema.settings_table import from_env, rows
from ietfkg.schema.settings_table import setting as _setting

USER_AGENT = "ietf-kg/0.1 (knowledge graph of the IETF; live ingest; +https://ietf-kg.example/)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """Network politeness; each field can be set with ``IETFKG_HTTP_<NAME>``."""

    user_agent: str = _setting(USER_AGENT, "User-Agent sent with every request")
    rate_per_s: float = _setting(2.0, "at most this many requests per second")
    max_tries: int = _setting(5, "tries per URL before giving up (429, 5xx, timeouts)")
    backoff_base_s: float = _setting(1.0, "first retry delay; doubles per try, with jitter")
    backoff_max_s: float = _setting(60.0, "cap on one retry delay")
    retry_after_max_s: float = _setting(300.0, "longest Retry-After honoured; a longer one fails at once")
    timeout_s: float = _setting(30.0, "connect/read timeout per request")
    page_limit: int = _setting(500, "objects per Datatracker API page")
    fresh_s: float = _setting(600.0, "reuse a cached body this young without asking (resume)")

    @classmethod
    def from_env(cls, **overrides: Any) -> HttpSettings:
        return from_env(cls, "IETFKG_HTTP_", **overrides)


def settings_table() -> list[tuple[str, Any, str]]:
    """``(name, default, help)`` rows, for the README and ``ietfkg settings``."""
    return rows(HttpSettings, "http_")


@dataclass(frozen=True, slots=True)
class Retry:
    """One retry the client made: which URL, why, and how long it waited."""

    url: str
    reason: str
    delay: float


@dataclass(slots=True)
class ClientStats:
    requests: int = 0
    not_modified: int = 0
    from_cache: int = 0
    retries: list[Retry] = field(default_factory=list)


Decode = Callable[[str, bytes, str], Any]  # (url, body, content type) -> value, raises ParseError


class LiveClient:
    """GETs with retries, a rate limit and the on-disk cache; see the module docstring."""

    def __init__(
        self,
        settings: HttpSettings | None = None,
        cache: HttpCache | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.settings = settings or HttpSettings()
        self.cache = cache
        self.stats = ClientStats()
        self._sleep = sleep
        self._jitter = jitter
        self._last_request = 0.0
        self._http = httpx.Client(
            headers={"User-Agent": self.settings.user_agent, "Accept-Encoding": "gzip"},
            timeout=self.settings.timeout_s,
            follow_redirects=True,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> LiveClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one document ------------------------------------------------------------
    def fetch(self, url: str, decode: Decode, *, fresh_s: float | None = None) -> Any:
        """The decoded body of ``url``; raises ``ParseError`` for a body that does not decode.

        A cached body younger than ``fresh_s`` (default: the setting) is used
        without a request; ``fresh_s=float("inf")`` makes the cache authoritative
        (for immutable documents).
        """
        cached = self.cache.get(url) if self.cache else None
        limit = self.settings.fresh_s if fresh_s is None else fresh_s
        if cached is not None and cached.age() < limit:
            self.stats.from_cache += 1
            return decode(url, cached.body, "")
        response = self._get(url, cached)
        if response.status_code == 304 and cached is not None:
            self.stats.not_modified += 1
            value = decode(url, cached.body, "")
            if self.cache:
                self.cache.touch(cached)
            return value
        value = decode(url, response.content, response.headers.get("content-type", ""))
        if self.cache:
            self.cache.put(
                url, response.content, response.headers.get("etag"), response.headers.get("last-modified")
            )
        return value

    def json(self, url: str, *, source: str, fresh_s: float | None = None) -> Any:
        return self.fetch(url, json_decoder(source), fresh_s=fresh_s)

    # -- Datatracker pagination ----------------------------------------------------
    def datatracker_objects(
        self,
        base: str,
        endpoint: str,
        params: Mapping[str, str] | None = None,
        *,
        source: str,
        on_error: Callable[[ParseError], None],
        on_page: Callable[[int | None], None] | None = None,
    ) -> Iterator[tuple[str, Any]]:
        """Every object of a list endpoint, following ``meta.next``; yields ``(page URL, object)``.

        ``on_page(total_count)`` is called once per good page (for progress bars).
        A page that is not a Datatracker list (HTML, truncated JSON, no ``objects``)
        goes to ``on_error`` and is skipped: the next page is the same query at
        ``offset + limit``, while the total from an earlier page says there is one.
        """
        url: str | None = page_url(base, endpoint, {**(params or {}), "limit": str(self.settings.page_limit)})
        total: int | None = None
        while url is not None:
            try:
                page = self.json(url, source=source)
                objects, next_ref, total = _list_page(page, url, source)
            except ParseError as err:
                on_error(err)
                url = _skip_page(url, total, self.settings.page_limit)
                continue
            if on_page is not None:
                on_page(total)
            for obj in objects:
                yield url, obj
            url = urljoin(base, next_ref) if next_ref else None

    # -- the request loop ------------------------------------------------------------
    def _get(self, url: str, cached: CachedResponse | None) -> httpx.Response:
        headers = cached.validators() if cached is not None else {}
        s = self.settings
        for attempt in range(1, s.max_tries + 1):
            self._throttle()
            try:
                response = self._http.get(url, headers=headers)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                reason = f"{type(exc).__name__}: {exc}".rstrip(": ")
                if attempt == s.max_tries:
                    raise UpstreamError(f"{url}: gave up after {attempt} tries ({reason})") from exc
                self._wait(url, reason, self._backoff(attempt))
                continue
            if response.status_code == 200 or (response.status_code == 304 and cached is not None):
                return response
            if response.status_code == 404:
                raise UpstreamNotFound(f"{url}: 404 not found")
            if response.status_code not in RETRY_STATUSES:
                raise UpstreamError(f"{url}: HTTP {response.status_code}")
            delay = self._backoff(attempt)
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            if retry_after is not None:
                if retry_after > s.retry_after_max_s:
                    raise UpstreamRateLimited(
                        f"{url}: asked to retry after {retry_after:.0f} s (more than {s.retry_after_max_s:.0f} s)"
                    )
                delay = max(delay, retry_after)
            if attempt == s.max_tries:
                error = UpstreamRateLimited if response.status_code == 429 else UpstreamError
                raise error(f"{url}: HTTP {response.status_code}, gave up after {attempt} tries")
            self._wait(url, f"HTTP {response.status_code}", delay)
        raise UpstreamError(f"{url}: no tries allowed (max_tries={s.max_tries})")

    def _backoff(self, attempt: int) -> float:
        """Exponential, capped, with "equal jitter": half fixed, half random."""
        s = self.settings
        ceiling = min(s.backoff_max_s, s.backoff_base_s * 2 ** (attempt - 1))
        return ceiling / 2 + ceiling / 2 * self._jitter()

    def _wait(self, url: str, reason: str, delay: float) -> None:
        self.stats.retries.append(Retry(url, reason, delay))
        self._sleep(delay)

    def _throttle(self) -> None:
        gap = 1.0 / self.settings.rate_per_s if self.settings.rate_per_s > 0 else 0.0
        wait = self._last_request + gap - time.monotonic()
        if wait > 0:
            self._sleep(wait)
        self._last_request = time.monotonic()
        self.stats.requests += 1


# -- helpers ----------------------------------------------------------------------
def json_decoder(source: str) -> Decode:
    def decode(url: str, body: bytes, content_type: str) -> Any:
        if "html" in content_type.lower():
            raise ParseError(source, url, f"an HTML page ({content_type}) where JSON was expected")
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(source, url, f"malformed JSON: {exc}") from exc

    return decode


def page_url(base: str, endpoint: str, params: Mapping[str, str]) -> str:
    """The absolute URL with parameters in sorted order, so cache keys are stable.

    >>> page_url("http://dt.example", "/api/v1/group/group/", {"type__slug": "wg", "limit": "2"})
    'http://dt.example/api/v1/group/group/?limit=2&type__slug=wg'
    """
    url = urljoin(base.rstrip("/") + "/", endpoint.lstrip("/"))
    return f"{url}?{urlencode(sorted(params.items()))}" if params else url


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date counted from now.

    >>> parse_retry_after("3"), parse_retry_after(None), parse_retry_after("soon")
    (3.0, None, None)
    """
    if value is None:
        return None
    text = value.strip()
    if text.replace(".", "", 1).isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _list_page(page: Any, url: str, source: str) -> tuple[list[Any], str | None, int | None]:
    if not isinstance(page, Mapping) or not isinstance(page.get("objects"), list):
        raise ParseError(source, url, "not a Datatracker list page (no 'objects' list)")
    meta = page.get("meta")
    if not isinstance(meta, Mapping):
        raise ParseError(source, url, "list page has no 'meta'")
    total = meta.get("total_count")
    next_ref = meta.get("next")
    return (
        page["objects"],
        next_ref if isinstance(next_ref, str) and next_ref else None,
        (total if isinstance(total, int) else None),
    )


def _skip_page(url: str, total: int | None, limit: int) -> str | None:
    """The same query at the next offset, when an earlier page said more objects exist."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    offset = int(query.get("offset", "0")) + int(query.get("limit", str(limit)))
    if total is None or offset >= total:
        return None
    query["offset"] = str(offset)
    return urlunsplit(parts._replace(query=urlencode(sorted(query.items()))))
