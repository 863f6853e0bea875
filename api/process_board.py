"""Readiness shared by the server processes of one ``ietfkg serve`` (``server_processes`` > 1).

Each server process holds its own store and its own SPARQL worker pool, and the kernel hands a
new connection to whichever process accepts it first: ``/healthz`` must say ``starting`` until
*every* process is ready, whichever one answers. So the processes share a board: a directory
(made by ``ietfkg serve``, named in ``IETFKG_PROCESS_BOARD``) where a ready process writes a file
named after its pid and removes it when it stops. A process that died without removing its file
(killed) is not counted: its pid is not alive. The server is ready when the board counts as many
live ready processes as it was started with (uvicorn's supervisor replaces a dead one, which
counts again once it has loaded). One process, the first to claim ``announced``, logs the ready line.

With one server process there is no board (``Board.from_env()`` is ``None``): readiness is the
process's own pool's, as before.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV = "IETFKG_PROCESS_BOARD"
_ANNOUNCED = "announced"


@dataclass(frozen=True, slots=True)
class Board:
    directory: Path
    processes: int

    @classmethod
    def from_env(cls, processes: int) -> Board | None:
        """The board of this ``ietfkg serve``, or ``None`` when it runs one process."""
        named = os.environ.get(ENV)
        return cls(Path(named), processes) if named and processes > 1 else None

    def mark_ready(self) -> None:
        (self.directory / str(os.getpid())).touch()

    def mark_stopped(self) -> None:
        (self.directory / str(os.getpid())).unlink(missing_ok=True)

    def ready(self) -> bool:
        """Every process the server was started with has loaded its store and workers.

        >>> import tempfile
        >>> board = Board(Path(tempfile.mkdtemp()), 2)
        >>> board.mark_ready(); board.ready()
        False
        >>> (board.directory / "1").touch(); board.ready()  # pid 1 (init) is alive
        True
        """
        return sum(1 for path in self.directory.iterdir() if path.name.isdigit() and _alive(int(path.name))) >= self.processes

    def claim_announcement(self) -> bool:
        """True for the one process that logs the ready line (the first to ask)."""
        try:
            (self.directory / _ANNOUNCED).open("x").close()
        except FileExistsError:
            return False
        return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, someone else's
    return True
