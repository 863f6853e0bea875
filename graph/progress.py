"""How long jobs report progress: the build, live fetches and remote publishing.

The faces draw it (``api/progress.py`` for the CLI); everything else stays quiet.
"""

from __future__ import annotations

from typing import Protocol


class Reporter(Protocol):
    def begin(self, task: str, total: int | None = None) -> None: ...

    def advance(self, task: str, amount: int = 1) -> None: ...

    def end(self, task: str, note: str = "") -> None: ...


class QuietReporter:
    def begin(self, task: str, total: int | None = None) -> None:
        pass

    def advance(self, task: str, amount: int = 1) -> None:
        pass

    def end(self, task: str, note: str = "") -> None:
        pass
