"""The live HTTP client against a real local server: pagination, retries, cache, bad pages."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ietfkg.ingest.fetch.http_cache import HttpCache
from ietfkg.ingest.fetch.http_client import HttpSettings, LiveClient
from ietfkg.schema.errors import ParseError, UpstreamError, UpstreamNotFound, UpstreamRateLimited
from tests.live_upstream import Upstream, serve_upstream

GROUPS = "/api/v1/group/group/"
FAST = HttpSettings(
    rate_per_s=0, backoff_base_s=0.01, backoff_max_s=0.05, timeout_s=0.3, page_limit=4, fresh_s=0, max_tries=3
)


@pytest.fixture(scope="module")
def server() -> Iterator[Upstream]:
    with serve_upstream() as upstream:
        yield upstream


@pytest.fixture()
def upstream(server: Upstream) -> Upstream:
    server.state, server.faults, server.log[:] = "base", {}, []
    server.agents.clear()
    return server


class Sleeps(list[float]):
    """Records the delays the client asks for and sleeps a tiny bit instead."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        time.sleep(min(seconds, 0.01))


def client(tmp_path: Path, sleeps: Sleeps | None = None, **overrides: object) -> LiveClient:
    settings = HttpSettings(**{**{f: getattr(FAST, f) for f in FAST.__dataclass_fields__}, **overrides})
    return LiveClient(
        settings, HttpCache(tmp_path / "http"), sleep=sleeps if sleeps is not None else Sleeps()
    )


def acronyms(c: LiveClient, upstream: Upstream, errors: list[ParseError]) -> list[str]:
    return [
        obj["acronym"]
        for _, obj in c.datatracker_objects(
            upstream.url, GROUPS, {}, source="datatracker", on_error=errors.append
        )
    ]


def test_pagination_follows_meta_next(upstream: Upstream, tmp_path: Path) -> None:
    errors: list[ParseError] = []
    found = acronyms(client(tmp_path), upstream, errors)
    assert len(found) == 14 and {"sec", "tls", "acme", "cfrg", "fixwg"} <= set(found)
    assert [q for p, q, s in upstream.requests_to(GROUPS)] == [
        "limit=4",
        "limit=4&offset=4",
        "limit=4&offset=8",
        "limit=4&offset=12",
    ]
    assert errors == []


def test_429_honours_retry_after(upstream: Upstream, tmp_path: Path) -> None:
    upstream.faults[(GROUPS, 4)] = [("status", 429, {"Retry-After": "2"})]
    sleeps = Sleeps()
    c = client(tmp_path, sleeps, retry_after_max_s=5)
    assert len(acronyms(c, upstream, [])) == 14
    assert [r.reason for r in c.stats.retries] == ["HTTP 429"]
    assert c.stats.retries[0].delay == 2.0 and 2.0 in sleeps
    assert [s for _, _, s in upstream.requests_to(GROUPS)] == [200, 429, 200, 200, 200]


def test_retry_after_beyond_the_limit_fails_with_the_url(upstream: Upstream, tmp_path: Path) -> None:
    upstream.faults[(GROUPS, 0)] = [("status", 429, {"Retry-After": "3600"})]
    with pytest.raises(UpstreamRateLimited, match=r"127\.0\.0\.1.*group/group.*3600"):
        acronyms(client(tmp_path, retry_after_max_s=5), upstream, [])


def test_500_then_success(upstream: Upstream, tmp_path: Path) -> None:
    upstream.faults[(GROUPS, 8)] = [("status", 500, {}), ("status", 503, {})]
    c = client(tmp_path)
    assert len(acronyms(c, upstream, [])) == 14
    assert [r.reason for r in c.stats.retries] == ["HTTP 500", "HTTP 503"]
    first, second = (r.delay for r in c.stats.retries)
    assert 0.005 <= first <= 0.01 and 0.01 <= second <= 0.02  # exponential, with jitter, capped


def test_persistent_500_gives_up_after_max_tries(upstream: Upstream, tmp_path: Path) -> None:
    upstream.faults[(GROUPS, 0)] = [("status", 500, {})] * 3
    with pytest.raises(UpstreamError, match=r"group/group/.*HTTP 500, gave up after 3 tries"):
        acronyms(client(tmp_path), upstream, [])


def test_timeout_is_retried(upstream: Upstream, tmp_path: Path) -> None:
    upstream.faults[(GROUPS, 0)] = [("sleep", 0.6)]
    c = client(tmp_path, timeout_s=0.2)
    assert len(acronyms(c, upstream, [])) == 14
    assert len(c.stats.retries) == 1 and "Timeout" in c.stats.retries[0].reason
    # the abandoned slow answer is logged when the stand-in finishes it: wait for it here, so it
    # does not land in a later test's log (4 pages + the timed-out first try)
    deadline = time.monotonic() + 120  # a hang guard: the loop ends as soon as the answer is in
    while len(upstream.requests_to(GROUPS)) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(upstream.requests_to(GROUPS)) == 5


def test_not_found_is_typed(upstream: Upstream, tmp_path: Path) -> None:
    with pytest.raises(UpstreamNotFound, match="rfc99999.json"):
        client(tmp_path).json(f"{upstream.url}/rfc/rfc99999.json", source="rfc-editor")


@pytest.mark.parametrize(
    ("body", "kind", "reason"),
    [
        (b"<html><body>Service maintenance</body></html>", "text/html", "HTML page"),
        (b'{"meta": {"limit": 4, "next": "/api/v1/gro', "application/json", "malformed JSON"),
        (b'{"meta": {}, "items": []}', "application/json", "no 'objects' list"),
    ],
)
def test_malformed_page_is_reported_with_its_url_and_skipped(
    upstream: Upstream, tmp_path: Path, body: bytes, kind: str, reason: str
) -> None:
    upstream.faults[(GROUPS, 4)] = [("body", body, kind)]
    errors: list[ParseError] = []
    found = acronyms(client(tmp_path), upstream, errors)
    assert len(found) == 10  # the 4 objects of the bad page are missing, the rest is there
    assert len(errors) == 1 and reason in errors[0].reason and errors[0].key.endswith("limit=4&offset=4")
    # the bad body was not cached: the next run gets the real page
    assert len(acronyms(client(tmp_path), upstream, [])) == 14


def test_etag_revalidation_reuses_the_cached_body(upstream: Upstream, tmp_path: Path) -> None:
    first = acronyms(client(tmp_path), upstream, [])
    upstream.log.clear()
    again = client(tmp_path)
    assert acronyms(again, upstream, []) == first
    assert [s for _, _, s in upstream.requests_to(GROUPS)] == [304] * 4
    assert again.stats.not_modified == 4


def test_fresh_cache_makes_completed_pages_free(upstream: Upstream, tmp_path: Path) -> None:
    upstream.faults[(GROUPS, 8)] = [("status", 500, {})] * 3
    with pytest.raises(UpstreamError):
        acronyms(client(tmp_path), upstream, [])  # interrupted at the third page
    upstream.log.clear()
    resumed = client(tmp_path, fresh_s=600)
    assert len(acronyms(resumed, upstream, [])) == 14
    assert [q for _, q, _ in upstream.requests_to(GROUPS)] == ["limit=4&offset=8", "limit=4&offset=12"]
    assert resumed.stats.from_cache == 2


def test_user_agent_is_descriptive(upstream: Upstream, tmp_path: Path) -> None:
    upstream.agents.clear()
    acronyms(client(tmp_path), upstream, [])
    (agent,) = upstream.agents
    assert agent.startswith("ietf-kg/") and "live ingest" in agent


def test_settings_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IETFKG_HTTP_RATE_PER_S", "0.5")
    monkeypatch.setenv("IETFKG_HTTP_MAX_TRIES", "7")
    s = HttpSettings.from_env()
    assert (s.rate_per_s, s.max_tries) == (0.5, 7)


def test_rate_limit_spaces_requests(upstream: Upstream, tmp_path: Path) -> None:
    sleeps = Sleeps()
    acronyms(client(tmp_path, sleeps, rate_per_s=1.0), upstream, [])
    assert len(upstream.requests_to(GROUPS)) == 4
    assert len(sleeps) == 3 and all(0.5 < s <= 1.0 for s in sleeps)  # one wait before each later request
