"""An ASGI app served by uvicorn in a thread, on a free loopback port, for the length of a ``with``."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from tests.timeouts import START_LIMIT_S


@contextmanager
def served_in_thread(app: Any, what: str, lifespan: str = "on", http: Any = "auto") -> Iterator[str]:
    """Serve ``app`` until the block ends; yields its base URL once uvicorn has started.

    ``what`` names the server in the error raised if it never starts (a safety stop, not a
    timing assertion); ``http`` is uvicorn's HTTP protocol (ietf-kg's app runs on its own).
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan=lifespan, http=http))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_LIMIT_S
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"{what} did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
