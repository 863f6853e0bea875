"""The app served over real HTTP on localhost."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import httpx

from tests.conftest import cli_command
from tests.timeouts import HTTP_TIMEOUT_S


def test_home_lists_sources(live_server: str) -> None:
    response = httpx.get(live_server + "/", timeout=HTTP_TIMEOUT_S)
    assert response.status_code == 200
    assert "rfc-editor" in response.text and "iesg-roll-calls" in response.text


def test_health(live_server: str) -> None:
    assert httpx.get(live_server + "/healthz", timeout=HTTP_TIMEOUT_S).json() == {"status": "ok"}


def test_serve_takes_host_and_port_from_the_environment(store_root: Path) -> None:
    """`ietfkg serve` with no --host/--port binds where IETFKG_HOST and IETFKG_PORT say."""
    from tests.remote import free_port

    port = free_port()
    env = {**os.environ, "IETFKG_HOST": "127.0.0.1", "IETFKG_PORT": str(port), "IETFKG_SPARQL_WORKERS": "1"}
    command = cli_command("serve", "--store", str(store_root))
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert _answers(f"http://127.0.0.1:{port}/healthz", proc), proc.stderr and proc.stderr.read()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _answers(url: str, proc: subprocess.Popen) -> bool:
    """Poll until the server answers 200 or its process ends (a safety stop, not a timing assertion)."""
    for _ in range(1200):
        if proc.poll() is not None:
            return False
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    return False
