"""A real Virtuoso Open Source server (Debian's ``virtuoso-opensource``) on free localhost ports.

Each server gets a data directory and a ``virtuoso.ini`` of its own, listening on
127.0.0.1 only; ``dba``/``dba`` (the package's default account) writes through the
``-auth`` endpoints with HTTP Digest.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.remote import free_port
from tests.timeouts import START_LIMIT_S

USER, PASSWORD = "dba", "dba"
VAD_DIR = "/usr/share/virtuoso-opensource-7/vad"

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
DirsAllowed = ., {vad}
VADInstallDir = {vad}/
NumberOfBuffers = 30000
MaxDirtyBuffers = 20000
MaxQueryMem = 1G

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
MaxClientConnections = 10
EnabledGzipContent = 0

[SPARQL]
; the defaults cap results at 10,000 rows and queries at 60 s: a knowledge graph's own queries need more
ResultSetMaxRows = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 600
"""


def virtuoso_binary() -> str:
    found = shutil.which("virtuoso-t")
    if found is None:
        raise RuntimeError("Virtuoso is not installed (`make test` installs Debian's virtuoso-opensource)")
    return found


class VirtuosoServer:
    def __init__(self, location: Path, max_rows: int = 1_000_000) -> None:
        self.location, self.max_rows = location, max_rows
        self.http_port, self.sql_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.http_port}/sparql"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.location.mkdir(parents=True, exist_ok=True)
        ini = self.location / "virtuoso.ini"
        ini.write_text(
            INI.format(
                dir=self.location, sql_port=self.sql_port, http_port=self.http_port, vad=VAD_DIR, max_rows=self.max_rows
            )
        )
        command = [virtuoso_binary(), "+foreground", "+configfile", str(ini)]
        self.proc = subprocess.Popen(command, cwd=self.location, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + START_LIMIT_S  # a hang guard: a new database is created on first start
        while not self._answers():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                log = (self.location / "virtuoso.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"Virtuoso did not start on port {self.http_port}:\n{log}")
            time.sleep(0.2)

    def _answers(self) -> bool:
        try:
            return httpx.get(self.url, params={"query": "ASK {}"}, timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


@contextmanager
def virtuoso_server(location: Path, max_rows: int = 1_000_000) -> Iterator[str]:
    """Start Virtuoso (``max_rows``: its ResultSetMaxRows), wait until its SPARQL endpoint answers, yield the
    endpoint URL, stop it."""
    server = VirtuosoServer(location, max_rows)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


def credentials() -> dict[str, str]:
    """The environment that lets ietf-kg write to these servers."""
    return {"IETFKG_REMOTE_USER": USER, "IETFKG_REMOTE_PASSWORD": PASSWORD}
