"""The app served over real HTTP on localhost."""

from __future__ import annotations

import httpx


def test_home_lists_sources(live_server: str) -> None:
    response = httpx.get(live_server + "/")
    assert response.status_code == 200
    assert "rfc-editor" in response.text and "iesg-roll-calls" in response.text


def test_health(live_server: str) -> None:
    assert httpx.get(live_server + "/healthz").json() == {"status": "ok"}
