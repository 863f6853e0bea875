"""A loopback HTTP proxy that delays, drops and resets answers, for the remote-store fault tests.

It stands between ietf-kg and a real SPARQL server and forwards requests one
write at a time. A rule picks the fault for each request:

- ``held``: forward the request, let the server run it, and keep its answer until
  the client gives up waiting and hangs up (an answer "later than the client's
  timeout", without the test depending on how long anything takes);
- ``dropped``: forward it, then close the connection without an answer;
- ``reset``: forward it, then reset the connection (TCP RST);
- ``lost``: close the connection without forwarding (the server never sees it);
- ``unavailable``: answer 503 without forwarding.

Every request is logged with the fault it met, so a test can say what the
server received.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx

FAULTS = ("held", "dropped", "reset", "lost", "unavailable")
WRITES = ("PUT", "POST", "DELETE")


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    target: str  # path and query
    body: bytes

    @property
    def is_write(self) -> bool:
        return self.method in WRITES and not self.target.startswith("/query")


Rule = Callable[[Request], str | None]  # the fault for a request, or None to pass it through


@dataclass
class FaultProxy:
    upstream: str
    rule: Rule = lambda request: None
    log: list[tuple[Request, str | None]] = field(default_factory=list)
    url: str = ""

    def forwarded(self, method: str | None = None) -> list[Request]:
        """The requests the server received (faults that forward included), optionally of one method."""
        return [r for r, fault in self.log if fault not in ("lost", "unavailable") and method in (None, r.method)]

    # -- the server ------------------------------------------------------------------
    async def serve(self, ready: threading.Event, stop: asyncio.Event) -> None:
        self._writes = asyncio.Lock()
        self._open: set[asyncio.Task[None]] = set()
        self._client = httpx.AsyncClient(base_url=self.upstream, timeout=None)
        server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        ready.set()
        async with server:
            await stop.wait()
        for task in list(self._open):  # connections still open (a held answer, a keep-alive client)
            task.cancel()
        await asyncio.gather(*self._open, return_exceptions=True)
        await self._client.aclose()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._open.add(task)
        try:
            while (request := await _read_request(reader)) is not None:
                request, headers = request
                fault = self.rule(request)
                self.log.append((request, fault))
                if fault == "lost":
                    break
                if fault == "unavailable":
                    writer.write(_response(503, {"content-type": "text/plain"}, b"unavailable (fault proxy)"))
                    await writer.drain()
                    continue
                status, answer_headers, body = await self._forward(request, headers)
                if fault == "held":
                    await reader.read()  # until the client hangs up: it has given up on the answer
                    break
                if fault == "dropped":
                    break
                if fault == "reset":
                    _reset(writer)
                    return
                writer.write(_response(status, answer_headers, body))
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            writer.close()
            self._open.discard(task)

    async def _forward(self, request: Request, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        kept = {k: v for k, v in headers.items() if k not in ("host", "content-length", "connection")}
        if request.is_write:  # one write at a time, as a server with a single writer takes them
            async with self._writes:
                answer = await self._client.request(request.method, request.target, headers=kept, content=request.body)
        else:
            answer = await self._client.request(request.method, request.target, headers=kept, content=request.body)
        passed = {k: v for k, v in answer.headers.items() if k in ("content-type", "www-authenticate", "server")}
        return answer.status_code, passed, answer.content


async def _read_request(reader: asyncio.StreamReader) -> tuple[Request, dict[str, str]] | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)}
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return Request(method, target, body), headers


def _response(status: int, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in headers.items()]
    lines.append(f"content-length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _reset(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:  # linger 0: close() sends RST instead of FIN
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


@contextmanager
def fault_proxy(upstream: str, rule: Rule = lambda request: None) -> Iterator[FaultProxy]:
    """Run a ``FaultProxy`` in front of ``upstream`` on a free loopback port, in a thread of its own."""
    proxy = FaultProxy(upstream, rule)
    loop = asyncio.new_event_loop()
    ready, stop = threading.Event(), asyncio.Event()
    thread = threading.Thread(target=loop.run_until_complete, args=(proxy.serve(ready, stop),), daemon=True)
    thread.start()
    ready.wait(30)
    try:
        yield proxy
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(30)
        loop.close()


def first(fault: str, matches: Callable[[Request], bool]) -> Rule:
    """A rule giving ``fault`` to the first request that ``matches``, and passing every other."""
    met: list[Request] = []

    def rule(request: Request) -> str | None:
        if not met and matches(request):
            met.append(request)
            return fault
        return None

    return rule
