"""A real Oxigraph SPARQL server on a free localhost port, for the remote-store tests."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil

from tests.timeouts import START_LIMIT_S


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        raise RuntimeError("the `oxigraph` server is not installed (it comes with `make install`)")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OxigraphServer:
    """`oxigraph serve` on one port and data directory; can be stopped and started again."""

    def __init__(self, location: Path, port: int | None = None) -> None:
        self.location, self.port = location, port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        command = [oxigraph_binary(), "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
        log = self.location.parent / f"oxigraph-{self.port}.log"
        with log.open("ab") as sink:
            self.proc = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
        # Wait until *our* process listens: a port picked by free_port() can be taken by someone
        # else meanwhile, and their server would answer too. Reopening a big store takes long on a
        # loaded machine: the limit only stops a hang, it is no speed check.
        deadline = time.monotonic() + START_LIMIT_S
        while not self._listening():
            if self.proc.poll() is not None:
                raise RuntimeError(f"oxigraph server on port {self.port} exited: {log.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"oxigraph server did not listen on port {self.port} in {START_LIMIT_S} s")
            time.sleep(0.05)
        httpx.get(self.url + "/query", params={"query": "ASK {}"}, timeout=5).raise_for_status()

    def _listening(self) -> bool:
        assert self.proc is not None
        try:
            connections = psutil.Process(self.proc.pid).net_connections(kind="tcp")
        except psutil.NoSuchProcess:
            return False
        return any(c.status == psutil.CONN_LISTEN and c.laddr.port == self.port for c in connections)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=START_LIMIT_S)
            self.proc = None


@contextmanager
def oxigraph_server(location: Path, port: int | None = None) -> Iterator[str]:
    """Start `oxigraph serve`, wait until it answers, yield its base URL, stop it."""
    server = OxigraphServer(location, port)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()
